package dev.labbook.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An {@code /invocations} JSON body turned into the tensors of an {@link OnnxModel}'s inputs, as
 * MLflow's scoring server accepts them: {@code inputs} or {@code instances} holding one nested
 * list (a model of one input), an object naming each input, or a list of per-row objects; or a
 * data frame ({@code dataframe_split}, {@code dataframe_records}) whose columns are the features
 * of a single input (in the signature's column order when it has one) or, for a model of several
 * inputs, one input each. Every tensor is checked against the input's shape (-1: any size).
 *
 * @param tensors per input name
 * @param frame whether the input was a data frame (then the answer is one record per row)
 * @param rows the batch size: the first dimension
 */
record TensorRequest(Map<String, Tensor> tensors, boolean frame, int rows) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * One input's values.
     *
     * @param shape its dimensions
     * @param values flattened row-major
     */
    record Tensor(long[] shape, double[] values) {}

    /** Parses {@code body} for {@code model}. */
    static TensorRequest parse(byte[] body, OnnxModel model) {
        ScoringInput.Envelope e = ScoringInput.envelope(body);
        Map<String, JsonNode> nested = switch (e.format()) {
            case "dataframe_split" -> split(e.data(), model);
            case "dataframe_records" -> records(e.data(), model);
            default -> tensors(e.data(), model);
        };
        Map<String, Tensor> out = new LinkedHashMap<>();
        int rows = -1;
        for (OnnxModel.Spec s : model.inputs()) {
            JsonNode n = nested.get(s.name());
            if (n == null) {
                throw ScoringError.schema("Model is missing inputs ['" + s.name() + "'].");
            }
            Tensor t = tensor(s, n);
            out.put(s.name(), t);
            int r = t.shape().length == 0 ? 1 : (int) t.shape()[0];
            if (rows >= 0 && r != rows) {
                throw ScoringError.schema("The inputs have different numbers of rows (" + rows + " and " + r + ").");
            }
            rows = r;
        }
        return new TensorRequest(out, e.format().startsWith("dataframe_"), Math.max(rows, 0));
    }

    private static Map<String, JsonNode> tensors(JsonNode data, OnnxModel model) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (data.isObject()) {
            data.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue()));
            return out;
        }
        if (!data.isArray()) {
            throw ScoringError.badRequest("Tensor input must be a list or a dictionary of input names to lists.");
        }
        if (data.size() > 0 && data.get(0).isObject()) {
            // one object per row: stack each input's values
            for (OnnxModel.Spec s : model.inputs()) {
                ArrayNode column = NODES.arrayNode();
                for (JsonNode row : data) {
                    column.add(row.path(s.name()).isMissingNode() ? null : row.get(s.name()));
                }
                out.put(s.name(), column);
            }
            return out;
        }
        if (model.inputs().size() != 1) {
            throw ScoringError.badRequest("The model has " + model.inputs().size() + " inputs (" + names(model)
                    + "): send a dictionary naming each.");
        }
        out.put(model.inputs().get(0).name(), data);
        return out;
    }

    private static Map<String, JsonNode> split(JsonNode d, OnnxModel model) {
        if (!d.isObject() || !d.path("data").isArray() || !d.path("columns").isArray()) {
            throw ScoringError.badRequest("'dataframe_split' must be a dictionary with 'columns' and 'data' (a list of rows).");
        }
        List<String> columns = new ArrayList<>();
        d.get("columns").forEach(c -> columns.add(c.asText()));
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode row : d.get("data")) {
            if (!row.isArray() || row.size() != columns.size()) {
                throw ScoringError.badRequest("Each row of 'dataframe_split.data' must be a list of " + columns.size() + " values.");
            }
            rows.add(row);
        }
        return frame(columns, rows, model);
    }

    private static Map<String, JsonNode> records(JsonNode d, OnnxModel model) {
        if (!d.isArray()) {
            throw ScoringError.badRequest("'dataframe_records' must be a list of records.");
        }
        List<String> columns = new ArrayList<>(model.columns());
        if (columns.isEmpty()) {
            if (model.inputs().size() > 1) {
                model.inputs().forEach(s -> columns.add(s.name()));
            } else if (d.size() > 0) {
                d.get(0).fieldNames().forEachRemaining(columns::add);
            }
        }
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode rec : d) {
            if (!rec.isObject()) {
                throw ScoringError.badRequest("Each element of 'dataframe_records' must be a record (a dictionary).");
            }
            ArrayNode row = NODES.arrayNode();
            for (String c : columns) {
                row.add(rec.get(c));
            }
            rows.add(row);
        }
        return frame(columns, rows, model);
    }

    /** Columns to inputs: all of them one input's features, or one input each. */
    private static Map<String, JsonNode> frame(List<String> columns, List<JsonNode> rows, OnnxModel model) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (model.inputs().size() == 1) {
            List<String> order = model.columns().isEmpty() ? columns : model.columns();
            int[] at = new int[order.size()];
            for (int i = 0; i < at.length; i++) {
                at[i] = columns.indexOf(order.get(i));
                if (at[i] < 0) {
                    throw ScoringError.schema("Model is missing inputs ['" + order.get(i) + "']. Note that there were extra "
                            + "inputs: " + columns);
                }
            }
            OnnxModel.Spec s = model.inputs().get(0);
            ArrayNode matrix = NODES.arrayNode();
            for (JsonNode row : rows) {
                ArrayNode r = matrix.addArray();
                for (int i : at) {
                    r.add(row.get(i));
                }
            }
            // a one-feature input of rank 1 takes the column itself
            out.put(s.name(), s.shape().length == 1 && at.length == 1 ? column(rows, at[0]) : matrix);
            return out;
        }
        for (OnnxModel.Spec s : model.inputs()) {
            int i = columns.indexOf(s.name());
            if (i < 0) {
                throw ScoringError.schema("Model is missing inputs ['" + s.name() + "'].");
            }
            ArrayNode c = column(rows, i);
            if (s.shape().length == 2 && s.shape()[1] == 1) {
                ArrayNode wrapped = NODES.arrayNode();
                c.forEach(v -> wrapped.addArray().add(v));
                c = wrapped;
            }
            out.put(s.name(), c);
        }
        return out;
    }

    private static ArrayNode column(List<JsonNode> rows, int i) {
        ArrayNode c = NODES.arrayNode();
        rows.forEach(r -> c.add(r.get(i)));
        return c;
    }

    /** Nested lists to a tensor of {@code spec}'s rank and fixed dimensions. */
    static Tensor tensor(OnnxModel.Spec spec, JsonNode n) {
        List<Long> dims = new ArrayList<>();
        for (JsonNode x = n; x != null && x.isArray(); x = x.size() > 0 ? x.get(0) : null) {
            dims.add((long) x.size());
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        if (shape.length != spec.shape().length || !fits(shape, spec.shape())) {
            throw ScoringError.schema("Shape of input " + py(shape) + " does not match expected shape " + py(spec.shape())
                    + " for input '" + spec.name() + "'.");
        }
        long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (size > Integer.MAX_VALUE - 8) {
            throw ScoringError.badRequest("Input '" + spec.name() + "' is too large.");
        }
        double[] values = new double[(int) size];
        int[] at = {0};
        flatten(spec.name(), n, shape, 0, values, at);
        return new Tensor(shape, values);
    }

    private static boolean fits(long[] shape, long[] expected) {
        for (int i = 0; i < shape.length; i++) {
            if (expected[i] >= 0 && expected[i] != shape[i]) {
                return false;
            }
        }
        return true;
    }

    private static void flatten(String name, JsonNode n, long[] shape, int depth, double[] out, int[] at) {
        if (depth == shape.length) {
            if (n == null || !(n.isNumber() || n.isBoolean())) {
                throw ScoringError.schema("Input '" + name + "' must hold numbers; got " + (n == null || n.isNull() ? "null" : n.toString()) + ".");
            }
            out[at[0]++] = n.isBoolean() ? (n.asBoolean() ? 1 : 0) : n.asDouble();
            return;
        }
        if (n == null || !n.isArray() || n.size() != shape[depth]) {
            throw ScoringError.badRequest("Input '" + name + "' is not a rectangular list of lists of shape " + py(shape) + ".");
        }
        for (JsonNode x : n) {
            flatten(name, x, shape, depth + 1, out, at);
        }
    }

    private static String py(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", shape.length == 1 ? ",)" : ")"));
    }

    private static String names(OnnxModel model) {
        return model.inputs().stream().map(OnnxModel.Spec::name).collect(Collectors.joining(", "));
    }
}
