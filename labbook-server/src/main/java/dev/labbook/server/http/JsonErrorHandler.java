package dev.labbook.server.http;

import dev.labbook.core.ErrorCode;
import io.javalin.config.JettyConfig;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty rejects before they reach Javalin (an illegal character or a
 * malformed escape in the URI, such as a backslash, {@code %00} or bad UTF-8, or a malformed
 * request, a URI or headers too long) with MLflow's error JSON instead of Jetty's HTML page, with
 * the status the error code owns.
 */
public final class JsonErrorHandler extends ErrorHandler {

    /** Makes this the Jetty server's error handler. */
    public static void install(JettyConfig jetty) {
        jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
    }

    /** Jetty writes error bodies only for GET, POST and HEAD by default; clients of PUT and DELETE need them too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message,
            Throwable cause, Callback callback) throws java.io.IOException {
        ErrorCode code = ErrorMapper.codeFor(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code.name());
        // Jetty's 4xx messages describe the request; 5xx ones could describe the server.
        body.put("message", message == null || status >= 500 ? HttpStatus.getMessage(status) : message);
        response.setStatus(code.httpStatus());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(body)), callback);
    }
}
