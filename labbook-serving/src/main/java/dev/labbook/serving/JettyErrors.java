package dev.labbook.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Answers what Jetty rejects before a route sees it (a malformed request line, an illegal URI,
 * headers too large) with MLflow's error JSON instead of an HTML page, and never with internals.
 */
final class JettyErrors extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
            Callback callback) throws java.io.IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", status >= 500 ? "INTERNAL_ERROR" : status == 404 ? "ENDPOINT_NOT_FOUND" : "BAD_REQUEST");
        body.put("message", message == null || status >= 500 ? HttpStatus.getMessage(status) : message);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(body)), callback);
    }
}
