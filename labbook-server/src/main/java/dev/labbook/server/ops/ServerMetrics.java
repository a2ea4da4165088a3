package dev.labbook.server.ops;

import dev.labbook.server.tracking.IngestionListener;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server's Prometheus metrics: HTTP requests per endpoint, in-flight requests, what the
 * logging endpoints ingested, the JVM; the connection pool reports into {@link #registry()} too.
 * Each server has a registry of its own (never Micrometer's global one), so servers started side
 * by side in one JVM, as tests do, do not mix their figures.
 *
 * <p>Requests are labelled by the route template they matched ({@code /api/2.0/mlflow/runs/get},
 * {@code /api/2.0/mlflow-artifacts/artifacts/<path>}), never by the raw path, so run ids and
 * artifact paths do not become label values: the number of series stays bounded by the routes.
 */
public final class ServerMetrics implements IngestionListener, AutoCloseable {
    /** Latency buckets (seconds) of the request histogram: Prometheus's defaults, 5 ms to 10 s, plus 30 s. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    };
    /** The label of requests that matched no route (an unknown path, a static file). */
    static final String NOT_FOUND = "NOT_FOUND";
    static final String STATIC = "static";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter metricPoints;
    private final Counter params;
    private final Counter tags;

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        metricPoints = ingested("metric");
        params = ingested("param");
        tags = ingested("tag");
    }

    private Counter ingested(String kind) {
        return Counter.builder("labbook.ingested")
                .baseUnit("items")
                .description("Metric points, params and tags stored by log-batch, log-metric, log-parameter and set-tag")
                .tag("kind", kind)
                .register(registry);
    }

    /** Where the connection pool and other components register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Publishes the number of requests being served, as the server counts them. */
    public void gaugeActiveRequests(LongSupplier active) {
        Gauge.builder("http.server.requests.active", active::getAsLong)
                .description("Requests being served, this scrape included")
                .register(registry);
    }

    /** Records one finished request; the signature of Javalin's request logger. */
    public void requestDone(Context ctx, Float executionTimeMs) {
        Timer.builder("http.server.requests")
                .description("HTTP requests by route template, method and status")
                .tag("method", ctx.method().name())
                .tag("uri", routeOf(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record((long) (executionTimeMs * 1_000_000.0), TimeUnit.NANOSECONDS);
    }

    /** The matched route template; a fixed label for anything that matched none. */
    private static String routeOf(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint != null) {
            return endpoint.path;
        }
        return ctx.statusCode() == 404 ? NOT_FOUND : STATIC;
    }

    @Override
    public void accepted(int metrics, int paramCount, int tagCount) {
        if (metrics > 0) {
            metricPoints.increment(metrics);
        }
        if (paramCount > 0) {
            params.increment(paramCount);
        }
        if (tagCount > 0) {
            tags.increment(tagCount);
        }
    }

    /** The Prometheus text exposition format (version 0.0.4) of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
