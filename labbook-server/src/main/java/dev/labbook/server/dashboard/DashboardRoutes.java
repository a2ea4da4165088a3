package dev.labbook.server.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The web dashboard's shareable addresses. The dashboard is one page ({@code public/index.html})
 * whose scripts pick the view from the address, so each of these answers with that page; its
 * scripts, styles and the chart libraries (WebJars) are static files.
 */
public final class DashboardRoutes {
    /**
     * The addresses a person can share, each answered with the dashboard page; an experiment's
     * sections (models, one model, traces) live under its address.
     */
    static final String[] PAGES = {"/experiments/<section>", "/runs/{id}", "/compare", "/models", "/models/<name>",
        "/sweeps/{id}", "/login", "/admin"};

    private static final byte[] INDEX = load("/public/index.html");

    private DashboardRoutes() {}

    public static void register(RoutesConfig routes) {
        for (String page : PAGES) {
            routes.get(page, DashboardRoutes::index);
        }
    }

    private static void index(Context ctx) {
        ctx.contentType("text/html; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.result(INDEX);
    }

    private static byte[] load(String resource) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing dashboard resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
