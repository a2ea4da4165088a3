package dev.labbook.server;

import io.javalin.config.RoutesConfig;

/** {@code /version}, as MLflow's server has it ({@code /health} is in {@link dev.labbook.server.ops.OpsRoutes}). */
final class HealthRoutes {
    private HealthRoutes() {}

    static void register(RoutesConfig routes) {
        routes.get("/version", ctx -> ctx.result(Version.get()));
    }
}
