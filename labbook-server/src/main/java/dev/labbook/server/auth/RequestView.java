package dev.labbook.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.server.http.Json;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a request as its handler will read them (the query string of a GET or of a
 * request without a body, else the JSON body), for finding what a request acts on. Lenient: a
 * malformed body reads as empty, and the handler then answers with its own error.
 */
final class RequestView {
    private final Context ctx;
    private JsonNode body;
    private boolean parsed;

    RequestView(Context ctx) {
        this.ctx = ctx;
    }

    Context ctx() {
        return ctx;
    }

    /** The JSON body, or null for a request whose parameters are in the query string. */
    JsonNode body() {
        if (!parsed) {
            parsed = true;
            if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
                byte[] bytes = ctx.bodyAsBytes();
                if (bytes.length > 0) {
                    try {
                        body = Json.MAPPER.readTree(bytes);
                    } catch (java.io.IOException e) {
                        body = Json.MAPPER.createObjectNode();
                    }
                }
            }
        }
        return body;
    }

    /** A scalar parameter, or null. */
    String param(String name) {
        JsonNode b = body();
        if (b == null) {
            return ctx.queryParam(name);
        }
        JsonNode n = b.get(name);
        return n == null || n.isNull() || !n.isValueNode() ? null : n.asText();
    }

    /** A repeated parameter; empty when absent. */
    List<String> params(String name) {
        JsonNode b = body();
        if (b == null) {
            return ctx.queryParams(name);
        }
        List<String> out = new ArrayList<>();
        JsonNode n = b.get(name);
        if (n != null && n.isArray()) {
            n.forEach(e -> {
                if (e.isValueNode()) {
                    out.add(e.asText());
                }
            });
        } else if (n != null && n.isValueNode() && !n.isNull()) {
            out.add(n.asText());
        }
        return out;
    }

    /** A path parameter of the matched route, or null. */
    String path(String name) {
        return ctx.pathParamMap().get(name);
    }
}
