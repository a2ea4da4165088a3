package dev.labbook.server;

import io.javalin.config.RoutesConfig;

/** {@code /health} and {@code /version}, as MLflow's server has them. */
final class HealthRoutes {
    private HealthRoutes() {}

    static void register(RoutesConfig routes) {
        routes.get("/health", ctx -> ctx.result("OK"));
        routes.get("/version", ctx -> ctx.result(Version.get()));
    }
}
