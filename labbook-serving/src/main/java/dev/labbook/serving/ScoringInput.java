package dev.labbook.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the texts to score from an {@code /invocations} body, in the formats of MLflow's scoring
 * protocol: JSON with exactly one of {@code dataframe_split}, {@code dataframe_records},
 * {@code instances} or {@code inputs} (plus optional {@code params}), or CSV with a header row.
 * The model's signature has one string input column ({@code text}); bodies that cannot be read
 * are BAD_REQUEST, inputs without that column or with a non-string in it INVALID_PARAMETER_VALUE,
 * as MLflow's schema enforcement answers them.
 */
public final class ScoringInput {
    static final String CSV = "text/csv";
    static final String JSON_TYPE = "application/json";
    private static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");
    private static final String REQUIRED = "The input must be a JSON dictionary with exactly one of the input fields "
            + "{'dataframe_split', 'dataframe_records', 'instances', 'inputs'}";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScoringInput() {}

    /**
     * The texts of a request body.
     *
     * @param contentType the request's Content-Type header, possibly null
     * @param column the model's input column
     */
    public static List<String> parse(String contentType, byte[] body, String column) {
        String mime = mimeType(contentType);
        return mime.equals(CSV) ? csv(body, column) : json(body, column);
    }

    /** The media type, after checking it and its parameters as MLflow does (else 415). */
    static String mimeType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw unsupportedType(contentType);
        }
        String[] parts = contentType.split(";");
        String mime = parts[0].trim().toLowerCase(Locale.ROOT);
        List<String> unexpected = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : p.substring(eq + 1).trim().replace("\"", "");
            if (key.equals("charset")) {
                if (!value.equalsIgnoreCase("utf-8")) {
                    throw ScoringError.unsupported("The scoring server only supports UTF-8");
                }
            } else {
                unexpected.add(key);
            }
        }
        if (!mime.equals(CSV) && !mime.equals(JSON_TYPE)) {
            throw unsupportedType(contentType);
        }
        if (!unexpected.isEmpty()) {
            throw ScoringError.unsupported("Unrecognized content type parameters: " + String.join(", ", unexpected) + ".");
        }
        return mime;
    }

    private static ScoringError unsupportedType(String contentType) {
        return ScoringError.unsupported("This predictor only supports the following content types: Types: "
                + "['text/csv', 'application/json']. Got '" + (contentType == null ? "None" : contentType) + "'.");
    }

    // --- JSON

    private static List<String> json(byte[] body, String column) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ScoringError.badRequest("Failed to parse input from JSON. Ensure that input is a valid JSON formatted string. Error: '"
                    + e.getOriginalMessage() + "'");
        } catch (IOException e) {
            throw ScoringError.badRequest("Failed to read the request body: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw ScoringError.badRequest(REQUIRED + ". Received an empty body.");
        }
        if (root.isArray()) {
            throw ScoringError.badRequest(REQUIRED + ". Received a list.");
        }
        if (!root.isObject()) {
            throw ScoringError.badRequest(REQUIRED + ". Received unexpected input type '" + root.getNodeType().name().toLowerCase(Locale.ROOT) + "'.");
        }
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        List<String> formats = keys.stream().filter(FORMATS::contains).toList();
        if (formats.size() != 1) {
            throw ScoringError.badRequest(REQUIRED + ". Received dictionary with input fields: " + pyList(keys) + ".");
        }
        JsonNode params = root.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw ScoringError.badRequest("'params' must be a JSON dictionary of parameter names to values; got " + kind(params) + ".");
        }
        String format = formats.get(0);
        JsonNode data = root.get(format);
        return switch (format) {
            case "dataframe_split" -> split(data, column);
            case "dataframe_records" -> records(data, column);
            default -> tensor(data, column);
        };
    }

    /** {@code {"columns": [...], "data": [[...], ...]}} (pandas' split orient). */
    private static List<String> split(JsonNode d, String column) {
        if (!d.isObject()) {
            throw ScoringError.badRequest("'dataframe_split' must be a dictionary with 'columns' and 'data'; got " + kind(d) + ".");
        }
        JsonNode data = d.get("data");
        if (data == null || !data.isArray()) {
            throw ScoringError.badRequest("'dataframe_split' needs 'data', a list of rows.");
        }
        JsonNode columns = d.get("columns");
        List<String> names = new ArrayList<>();
        if (columns != null && !columns.isNull()) {
            if (!columns.isArray()) {
                throw ScoringError.badRequest("'dataframe_split.columns' must be a list of column names.");
            }
            columns.forEach(c -> names.add(c.asText()));
        }
        int at = names.indexOf(column);
        if (at < 0) {
            throw missing(column, names);
        }
        List<String> out = new ArrayList<>(data.size());
        for (JsonNode row : data) {
            if (!row.isArray() || row.size() != names.size()) {
                throw ScoringError.badRequest("Each row of 'dataframe_split.data' must be a list of " + names.size()
                        + " values, one per column; row " + out.size() + " is " + kind(row) + ".");
            }
            out.add(text(row.get(at), column));
        }
        return out;
    }

    /** {@code [{"text": ...}, ...]} (pandas' records orient). */
    private static List<String> records(JsonNode d, String column) {
        if (!d.isArray()) {
            throw ScoringError.badRequest("'dataframe_records' must be a list of dictionaries, one per row; got " + kind(d) + ".");
        }
        List<String> out = new ArrayList<>(d.size());
        for (JsonNode row : d) {
            if (!row.isObject()) {
                throw ScoringError.badRequest("Each row of 'dataframe_records' must be a dictionary; row " + out.size() + " is " + kind(row) + ".");
            }
            JsonNode v = row.get(column);
            if (v == null) {
                List<String> names = new ArrayList<>();
                row.fieldNames().forEachRemaining(names::add);
                throw missing(column, names);
            }
            out.add(text(v, column));
        }
        return out;
    }

    /**
     * TF-serving style {@code instances} / {@code inputs}: a string, a list of strings, a list of
     * {@code {"text": ...}} rows, or columns {@code {"text": [...]}}.
     */
    private static List<String> tensor(JsonNode d, String column) {
        if (d.isTextual()) {
            return List.of(d.asText());
        }
        if (d.isObject()) {
            JsonNode v = d.get(column);
            if (v == null) {
                List<String> names = new ArrayList<>();
                d.fieldNames().forEachRemaining(names::add);
                throw missing(column, names);
            }
            if (!v.isArray()) {
                return List.of(text(v, column));
            }
            List<String> out = new ArrayList<>(v.size());
            v.forEach(x -> out.add(text(x, column)));
            return out;
        }
        if (!d.isArray()) {
            throw schemaType(column, kind(d));
        }
        List<String> out = new ArrayList<>(d.size());
        for (Iterator<JsonNode> it = d.elements(); it.hasNext(); ) {
            JsonNode row = it.next();
            if (row.isObject()) {
                JsonNode v = row.get(column);
                if (v == null) {
                    List<String> names = new ArrayList<>();
                    row.fieldNames().forEachRemaining(names::add);
                    throw missing(column, names);
                }
                out.add(text(v, column));
            } else {
                out.add(text(row, column));
            }
        }
        return out;
    }

    private static String text(JsonNode v, String column) {
        if (!v.isTextual()) {
            throw schemaType(column, kind(v));
        }
        return v.asText();
    }

    // --- CSV

    private static List<String> csv(byte[] body, String column) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ScoringError.badRequest("Failed to parse input as CSV: the body is not valid UTF-8.");
        }
        CsvRecords records = new CsvRecords(new StringReader(text));
        try {
            List<String> header = records.next();
            if (header == null) {
                throw ScoringError.badRequest("Failed to parse input as CSV: No columns to parse from file.");
            }
            int at = header.indexOf(column);
            if (at < 0) {
                throw missing(column, header);
            }
            List<String> out = new ArrayList<>();
            for (List<String> row = records.next(); row != null; row = records.next()) {
                if (row.size() != header.size()) {
                    throw ScoringError.badRequest("Failed to parse input as CSV: a record before line " + records.line()
                            + " has " + row.size() + " fields where the header has " + header.size() + ".");
                }
                out.add(row.get(at));
            }
            return out;
        } catch (IOException e) {
            throw ScoringError.badRequest("Failed to parse input as CSV: " + e.getMessage() + ".");
        }
    }

    // --- messages

    private static ScoringError missing(String column, List<String> given) {
        return ScoringError.schema("Failed to enforce schema of data with schema ['" + column + "': string]. Error: Model is missing inputs ['"
                + column + "']." + (given.isEmpty() ? "" : " Note that there were extra inputs: " + pyList(given) + "."));
    }

    private static ScoringError schemaType(String column, String got) {
        return ScoringError.schema("Failed to enforce schema of data with schema ['" + column + "': string]. Error: "
                + "Incompatible input types for column " + column + ". Can not safely convert " + got + " to string.");
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "a dictionary";
            case NUMBER -> n.isIntegralNumber() ? "int64" : "float64";
            case BOOLEAN -> "bool";
            case NULL -> "null";
            case STRING -> "a string";
            default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String pyList(List<String> names) {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        names.forEach(n -> seen.put(n, true));
        StringBuilder sb = new StringBuilder("[");
        for (String n : seen.keySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('\'').append(n).append('\'');
        }
        return sb.append(']').toString();
    }
}
