package dev.labbook.server.ops;

import dev.labbook.core.ErrorCode;
import dev.labbook.server.http.Api;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} and {@code /metrics}, for load balancers, orchestrators and Prometheus.
 *
 * <p>{@code GET /health} answers 200 when the database and the artifact store both answer, 503
 * when one does not. The body is MLflow's: plain {@code OK} (what MLflow's clients and their
 * container health checks look for), or, when one is down, {@code UNAVAILABLE: database down}.
 * A client sending {@code Accept: application/json} gets each component's state instead:
 * <pre>{"status":"UP","components":{"database":{"status":"UP"},"artifact_store":{"status":"UP"}}}</pre>
 * and when one is down, with MLflow's error fields beside (reason: {@code error} or {@code timeout}):
 * <pre>{"status":"DOWN","error_code":"TEMPORARILY_UNAVAILABLE","message":"database is down",
 *  "components":{"database":{"status":"DOWN","reason":"timeout"},"artifact_store":{"status":"UP"}}}</pre>
 *
 * <p>{@code GET /metrics} is the Prometheus text exposition format (see {@link ServerMetrics}).
 */
public final class OpsRoutes {
    /** The content type of Prometheus's text exposition format, version 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HealthCheck health;
    private final ServerMetrics metrics;

    public OpsRoutes(HealthCheck health, ServerMetrics metrics) {
        this.health = health;
        this.metrics = metrics;
    }

    public void register(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
    }

    private void health(Context ctx) throws java.io.IOException {
        HealthCheck.Report report = health.check();
        int status = report.up() ? 200 : ErrorCode.TEMPORARILY_UNAVAILABLE.httpStatus();
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("application/json")) {
            Api.writeJson(ctx, status, json(report));
            return;
        }
        ctx.status(status).contentType("text/plain; charset=utf-8")
                .result(report.up() ? "OK" : "UNAVAILABLE: " + String.join(", ", report.down()) + " down");
    }

    private static Map<String, Object> json(HealthCheck.Report report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.up() ? "UP" : "DOWN");
        if (!report.up()) {
            body.put("error_code", ErrorCode.TEMPORARILY_UNAVAILABLE.name());
            body.put("message", String.join(" and ", report.down()) + (report.down().size() == 1 ? " is" : " are") + " down");
        }
        Map<String, Object> components = new LinkedHashMap<>();
        for (HealthCheck.Status s : report.statuses()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("status", s.up() ? "UP" : "DOWN");
            if (!s.up()) {
                c.put("reason", s.reason());
            }
            components.put(s.component(), c);
        }
        body.put("components", components);
        return body;
    }
}
