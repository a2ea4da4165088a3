package dev.labbook.server.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.trace.TraceInfo;
import dev.labbook.server.artifact.ArtifactUris;
import dev.labbook.server.http.Json;
import dev.labbook.store.artifact.ArtifactFile;
import dev.labbook.store.artifact.ArtifactStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A trace's spans, read from the {@code traces.json} its client uploaded through the artifact
 * proxy to the trace's artifact location, and given in OpenTelemetry's span form (what MLflow's
 * {@code Trace.spans} holds). MLflow 3 clients write spans in that form already (ids in base64,
 * {@code start_time_unix_nano}, attribute values as JSON text); MLflow 2 clients wrote
 * {@code context.span_id} in hex, {@code start_time} and {@code status_code}, which are converted.
 */
final class TraceSpans {
    /** The file clients upload a trace's span data to, under its artifact location. */
    static final String FILE = "traces.json";

    private final ArtifactStore artifacts;

    TraceSpans(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    /**
     * The trace's spans in OpenTelemetry's JSON form; empty when no span data was uploaded, or
     * when the trace's artifact location is not served by this server's artifact proxy.
     */
    Optional<List<JsonNode>> spans(TraceInfo trace) {
        String location = trace.tags().get(TraceInfo.ARTIFACT_LOCATION_TAG);
        if (location == null || !location.startsWith("mlflow-artifacts:")) {
            return Optional.empty();
        }
        String path;
        try {
            path = ArtifactUris.storePath(location) + "/" + FILE;
        } catch (LabbookException e) {
            return Optional.empty();
        }
        Optional<ArtifactFile> file = artifacts.open(path);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        JsonNode data;
        try (ArtifactFile f = file.get()) {
            data = Json.MAPPER.readTree(f.content());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new LabbookException(dev.labbook.core.ErrorCode.BAD_REQUEST,
                    "The span data of trace " + trace.traceId() + " is corrupted: " + FILE + " is not JSON");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode span : data.path("spans")) {
            out.add(span.has("context") ? fromV2(span) : span);
        }
        return Optional.of(out);
    }

    /** An MLflow 2 span dict in OpenTelemetry's form. */
    private static JsonNode fromV2(JsonNode s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("trace_id", hexToBase64(s.path("context").path("trace_id").asText("")));
        o.put("span_id", hexToBase64(s.path("context").path("span_id").asText("")));
        o.put("parent_span_id", hexToBase64(s.path("parent_id").asText("")));
        o.put("name", s.path("name").asText(""));
        o.set("start_time_unix_nano", s.path("start_time"));
        o.set("end_time_unix_nano", s.path("end_time"));
        ObjectNode status = o.putObject("status");
        status.put("code", "STATUS_CODE_" + s.path("status_code").asText("UNSET"));
        status.put("message", s.path("status_message").asText(""));
        o.set("attributes", s.path("attributes").isObject() ? s.get("attributes") : Json.MAPPER.createObjectNode());
        o.set("events", s.path("events").isArray() ? s.get("events") : Json.MAPPER.createArrayNode());
        return o;
    }

    /** {@code 0x0a1b...} (MLflow 2's id form) as the base64 of its bytes; "" for none. */
    private static String hexToBase64(String hex) {
        String h = hex.startsWith("0x") ? hex.substring(2) : hex;
        if (h.isEmpty()) {
            return "";
        }
        try {
            byte[] raw = new BigInteger(h, 16).toByteArray();
            int width = (h.length() + 1) / 2;
            byte[] fixed = new byte[width];
            int copy = Math.min(raw.length, width);
            System.arraycopy(raw, raw.length - copy, fixed, width - copy, copy);
            return Base64.getEncoder().encodeToString(fixed);
        } catch (NumberFormatException e) {
            return h;
        }
    }
}
