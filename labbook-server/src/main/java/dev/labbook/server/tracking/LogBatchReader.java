package dev.labbook.server.tracking;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunTag;
import dev.labbook.server.http.ApiRequest;
import dev.labbook.server.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a log-batch body with Jackson's streaming parser, straight into metrics, params and tags,
 * without building a JSON tree: log-batch is the ingestion hot path and a tree of 1000 metrics is
 * some 5000 nodes.
 *
 * <p>The answers are exactly those of the tree-based reading ({@link ApiRequest#objects} with
 * {@link Messages}): the same values, and the same error for the same body, in the same order of
 * precedence (malformed JSON anywhere first, then the caller's size check, then the first bad
 * metric, param or tag, in that order of fields). Fields in their usual JSON types take the fast
 * path; anything else (a number as a key, an object as a value, an unknown field) is read as a
 * tree node, and judged as the tree-based reading judges it. Duplicate fields: the last wins, as
 * in a tree.
 */
final class LogBatchReader {
    private LogBatchReader() {}

    /** A read body. The errors found in each list are only thrown by {@link #throwFirstError()}. */
    static final class Body {
        JsonNode runId;
        JsonNode runUuid;
        List<Metric> metrics = List.of();
        List<Param> params = List.of();
        List<RunTag> tags = List.of();
        LabbookException metricsError;
        LabbookException paramsError;
        LabbookException tagsError;

        /** Throws the first error in field order: metrics, then params, then tags. */
        void throwFirstError() {
            if (metricsError != null) {
                throw metricsError;
            }
            if (paramsError != null) {
                throw paramsError;
            }
            if (tagsError != null) {
                throw tagsError;
            }
        }

        /** The run id as {@code ApiRequest.requiredString("run_id", "run_uuid")} reads it. */
        String requiredRunId() {
            String v = text(runId, "run_id");
            if (v == null || v.isEmpty()) {
                v = text(runUuid, "run_uuid");
            }
            if (v == null || v.isEmpty()) {
                throw ApiRequest.missing("run_id");
            }
            return v;
        }

        private static String text(JsonNode n, String name) {
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isTextual()) {
                throw ApiRequest.invalidValue(name, n);
            }
            return n.asText();
        }
    }

    /**
     * Parses the body. Throws MALFORMED_REQUEST for a body that is not JSON or not an object; the
     * other errors wait in the result.
     */
    static Body read(byte[] bytes) {
        Body body = new Body();
        if (bytes.length == 0) {
            return body;
        }
        try (JsonParser p = Json.MAPPER.createParser(bytes)) {
            // Correctly rounded like Double.parseDouble (so the same values), several times faster.
            p.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return body;
            }
            if (t != JsonToken.START_OBJECT) {
                Json.MAPPER.readTree(p); // a syntax error inside the value comes first
                throw ApiRequest.notAnObject();
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = p.nextToken();
                switch (name) {
                    case "metrics" -> readMetrics(p, t, body);
                    case "params" -> readParams(p, t, body);
                    case "tags" -> readTags(p, t, body);
                    case "run_id" -> body.runId = node(p);
                    case "run_uuid" -> body.runUuid = node(p);
                    default -> node(p); // read, not skipped, so that it fails as a tree would
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new IllegalStateException("Unexpected token " + t + " in a JSON object");
            }
            if (p.nextToken() != null) {
                // As Json.MAPPER's FAIL_ON_TRAILING_TOKENS does for the other endpoints.
                throw MismatchedInputException.from(p, JsonNode.class, "trailing content");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw ApiRequest.malformed(e);
        } catch (IOException e) {
            throw ApiRequest.unreadable();
        }
    }

    /** Reads one value in the middle of the body: what follows it is not trailing content. */
    private static final ObjectReader IN_STREAM = Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The current value as a tree node (NullNode for null). */
    private static JsonNode node(JsonParser p) throws IOException {
        JsonNode n = IN_STREAM.readTree(p);
        return n == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : n;
    }

    // ------------------------------------------------------------------ metrics

    private static void readMetrics(JsonParser p, JsonToken t, Body body) throws IOException {
        body.metrics = List.of();
        body.metricsError = null;
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_ARRAY) {
            body.metricsError = ApiRequest.invalidValue("metrics", node(p));
            return;
        }
        List<Metric> out = new ArrayList<>(1000);
        MetricFields f = new MetricFields();
        Keys keys = new Keys();
        int i = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (body.metricsError != null) {
                node(p);
            } else if (t != JsonToken.START_OBJECT) {
                node(p);
                body.metricsError = ApiRequest.wrongType("metrics[" + i + "]", "an object");
            } else {
                f.clear();
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    t = p.nextToken();
                    switch (name) {
                        case "key" -> f.key.read(p, t, keys);
                        case "value" -> f.value.read(p, t, null);
                        case "timestamp" -> f.timestamp.read(p, t, null);
                        case "step" -> f.step.read(p, t, null);
                        case "dataset_name" -> f.datasetName.read(p, t, null);
                        case "dataset_digest" -> f.datasetDigest.read(p, t, null);
                        case "model_id" -> f.modelId.read(p, t, null);
                        case "run_id" -> f.runId.read(p, t, null);
                        default -> node(p);
                    }
                }
                try {
                    out.add(f.metric(i));
                } catch (LabbookException e) {
                    body.metricsError = e;
                }
            }
            i++;
        }
        body.metrics = out;
    }

    /** The fields of one metric object, as {@link Messages#metric} reads them. */
    private static final class MetricFields {
        final Field key = new Field();
        final Field value = new Field();
        final Field timestamp = new Field();
        final Field step = new Field();
        // MLflow 3's optional fields; absent in every 2.x metric
        final Field datasetName = new Field();
        final Field datasetDigest = new Field();
        final Field modelId = new Field();
        final Field runId = new Field();

        void clear() {
            key.clear();
            value.clear();
            timestamp.clear();
            step.clear();
            datasetName.clear();
            datasetDigest.clear();
            modelId.clear();
            runId.clear();
        }

        Metric metric(int i) {
            String path = "metrics[" + i + "]";
            String k = key.requiredString(path, "key");
            double v = value.requiredDouble(path, "value");
            // MLflow requires each metric's timestamp ("Missing value for required parameter 'metrics[0].timestamp'")
            if (timestamp.isAbsent()) {
                throw ApiRequest.missing(path + ".timestamp");
            }
            long ts = timestamp.longOr(path, "timestamp", 0);
            long st = step.longOr(path, "step", 0);
            if (datasetName.kind == Field.ABSENT && datasetDigest.kind == Field.ABSENT
                    && modelId.kind == Field.ABSENT && runId.kind == Field.ABSENT) {
                return new Metric(k, v, ts, st);
            }
            return new Metric(k, v, ts, st, datasetName.optString(path, "dataset_name"),
                    datasetDigest.optString(path, "dataset_digest"), modelId.optString(path, "model_id"),
                    runId.optString(path, "run_id"));
        }
    }

    // ------------------------------------------------------------------ params and tags

    private static void readParams(JsonParser p, JsonToken t, Body body) throws IOException {
        body.params = List.of();
        body.paramsError = null;
        List<String[]> pairs = new ArrayList<>();
        LabbookException e = readPairs(p, t, "params", pairs);
        List<Param> out = new ArrayList<>(pairs.size());
        for (String[] kv : pairs) {
            out.add(new Param(kv[0], kv[1]));
        }
        body.params = out;
        body.paramsError = e;
    }

    private static void readTags(JsonParser p, JsonToken t, Body body) throws IOException {
        body.tags = List.of();
        body.tagsError = null;
        List<String[]> pairs = new ArrayList<>();
        LabbookException e = readPairs(p, t, "tags", pairs);
        List<RunTag> out = new ArrayList<>(pairs.size());
        for (String[] kv : pairs) {
            out.add(new RunTag(kv[0], kv[1]));
        }
        body.tags = out;
        body.tagsError = e;
    }

    /** Reads an array of {key, value} string messages; returns the first error, if any. */
    private static LabbookException readPairs(JsonParser p, JsonToken t, String field, List<String[]> out) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            return ApiRequest.invalidValue(field, node(p));
        }
        LabbookException error = null;
        Field key = new Field();
        Field value = new Field();
        int i = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (error != null) {
                node(p);
            } else if (t != JsonToken.START_OBJECT) {
                node(p);
                error = ApiRequest.wrongType(field + "[" + i + "]", "an object");
            } else {
                key.clear();
                value.clear();
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    t = p.nextToken();
                    switch (name) {
                        case "key" -> key.read(p, t, null);
                        case "value" -> value.read(p, t, null);
                        default -> node(p);
                    }
                }
                String path = field + "[" + i + "]";
                try {
                    String k = key.requiredString(path, "key");
                    String v = value.requiredString(path, "value");
                    out.add(new String[] {k, v});
                } catch (LabbookException e) {
                    error = e;
                }
            }
            i++;
        }
        return error;
    }

    // ------------------------------------------------------------------ one field

    /**
     * One scalar field of a message, in the form it arrived: a string, a double, a 64-bit
     * integer, or, for anything else, a tree node judged exactly as {@code JsonObject} judges it.
     */
    private static final class Field {
        static final int ABSENT = 0;
        static final int STRING = 1;
        static final int INTEGER = 2;
        static final int DOUBLE = 3;
        static final int NODE = 4;

        int kind;
        String string;
        long integer;
        double dbl;
        JsonNode node;

        void clear() {
            kind = ABSENT;
            string = null;
            node = null;
        }

        void read(JsonParser p, JsonToken t, Keys keys) throws IOException {
            string = null;
            node = null;
            switch (t) {
                case VALUE_STRING -> {
                    kind = STRING;
                    string = keys == null ? p.getText() : keys.get(p);
                }
                case VALUE_NUMBER_INT -> {
                    JsonParser.NumberType nt = p.getNumberType();
                    if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) {
                        kind = INTEGER;
                        integer = p.getLongValue();
                    } else {
                        kind = NODE;
                        node = node(p);
                    }
                }
                case VALUE_NUMBER_FLOAT -> {
                    kind = DOUBLE;
                    dbl = p.getDoubleValue();
                }
                case VALUE_NULL -> kind = ABSENT;
                default -> {
                    kind = NODE;
                    node = node(p);
                }
            }
        }

        /** True when the field was not sent, or sent as null. */
        boolean isAbsent() {
            return kind == ABSENT || (kind == NODE && (node == null || node.isNull()));
        }

        /** A string (a key, a param or tag value): numbers and other types are refused, as MLflow's schemas do. */
        String requiredString(String path, String name) {
            switch (kind) {
                case STRING:
                    return string;
                case INTEGER:
                    throw ApiRequest.invalidValue(path + "." + name, Json.MAPPER.getNodeFactory().numberNode(integer));
                case DOUBLE:
                    throw ApiRequest.invalidValue(path + "." + name, Json.MAPPER.getNodeFactory().numberNode(dbl));
                case NODE:
                    if (node != null && !node.isNull()) {
                        if (!node.isTextual()) {
                            throw ApiRequest.invalidValue(path + "." + name, node);
                        }
                        return node.asText();
                    }
                    break;
                default:
                    break;
            }
            throw ApiRequest.missing(path + "." + name);
        }

        /** {@code JsonObject.string}: null when absent or null, the text of a string, else refused. */
        String optString(String path, String name) {
            if (isAbsent()) {
                return null;
            }
            return requiredString(path, name);
        }

        double requiredDouble(String path, String name) {
            switch (kind) {
                case DOUBLE:
                    return dbl;
                case INTEGER:
                    return (double) integer;
                case STRING:
                    return ApiRequest.parseDouble(string, path + "." + name);
                case NODE:
                    Double v = ApiRequest.jsonDouble(node, path + "." + name);
                    if (v != null) {
                        return v;
                    }
                    break;
                default:
                    break;
            }
            throw ApiRequest.missing(path + "." + name);
        }

        long longOr(String path, String name, long fallback) {
            String text;
            switch (kind) {
                case INTEGER:
                    return integer;
                case STRING:
                    text = string;
                    break;
                case DOUBLE:
                    throw ApiRequest.invalidValue(path + "." + name, Json.MAPPER.getNodeFactory().numberNode(dbl));
                case NODE:
                    Long v = ApiRequest.jsonLong(node, path + "." + name);
                    return v == null ? fallback : v;
                default:
                    return fallback;
            }
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw ApiRequest.invalidValue(path + "." + name, Json.MAPPER.getNodeFactory().textNode(text));
            }
        }
    }

    /**
     * Metric keys seen in this body: a batch repeats a handful of keys a thousand times, so each
     * distinct key becomes one String (hashed once) instead of a thousand.
     */
    private static final class Keys {
        private final String[] seen = new String[32];
        private int count;

        String get(JsonParser p) throws IOException {
            char[] buf = p.getTextCharacters();
            int off = p.getTextOffset();
            int len = p.getTextLength();
            for (int i = 0; i < count; i++) {
                String s = seen[i];
                if (s.length() == len && same(s, buf, off, len)) {
                    return s;
                }
            }
            String s = new String(buf, off, len);
            if (count < seen.length) {
                seen[count++] = s;
            }
            return s;
        }

        private static boolean same(String s, char[] buf, int off, int len) {
            for (int i = 0; i < len; i++) {
                if (s.charAt(i) != buf[off + i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
