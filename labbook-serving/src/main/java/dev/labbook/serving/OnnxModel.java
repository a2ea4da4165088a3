package dev.labbook.serving;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.core.LabbookException;
import dev.labbook.train.model.SentimentModel;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model MLflow's Python client logged with the {@code onnx} flavor ({@code flavors.onnx.data}
 * names the {@code .onnx} file), run with ONNX Runtime's Java API: tensors in, tensors out, no
 * Python. It is a {@link SentimentModel} only so that it fits the server's model slot; it has no
 * text score, and the scoring server gives it tensors ({@link TensorRequest}).
 */
public final class OnnxModel implements SentimentModel, AutoCloseable {
    /** The flavor name, as in MLflow. */
    public static final String FLAVOR = "onnx";

    /**
     * One input or output of the model.
     *
     * @param name the graph's name for it
     * @param type the element type ONNX Runtime gives it
     * @param shape its dimensions, -1 where any size goes (the batch)
     */
    public record Spec(String name, OnnxJavaType type, long[] shape) {}

    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<Spec> inputs;
    private final List<String> outputs;
    /** The signature's column names, when it has a column-based (not tensor) input schema. */
    private final List<String> columns;

    private OnnxModel(OrtEnvironment env, OrtSession session, List<Spec> inputs, List<String> outputs, List<String> columns) {
        this.env = env;
        this.session = session;
        this.inputs = inputs;
        this.outputs = outputs;
        this.columns = columns;
    }

    /** Loads the model of {@code dir}, whose MLmodel {@code mlmodel} has an {@code onnx} flavor. */
    static OnnxModel load(Path dir, JsonNode mlmodel) {
        String data = mlmodel.path("flavors").path(FLAVOR).path("data").asText("model.onnx");
        Path file = dir.resolve(data).normalize();
        if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
            throw LabbookException.invalid("%s: the onnx flavor names %s, which is not a file of the model", dir, data);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
            List<Spec> in = new ArrayList<>();
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                if (!(e.getValue().getInfo() instanceof TensorInfo t)) {
                    session.close();
                    throw LabbookException.invalid("%s: input '%s' is not a tensor; only tensor inputs are served", file, e.getKey());
                }
                in.add(new Spec(e.getKey(), t.type, t.getShape()));
            }
            return new OnnxModel(env, session, List.copyOf(in), List.copyOf(session.getOutputNames()), MlModel.columnNames(mlmodel));
        } catch (OrtException e) {
            throw LabbookException.invalid("%s is not a model ONNX Runtime can load: %s", file, e.getMessage());
        }
    }

    /** The graph's inputs, in its order. */
    public List<Spec> inputs() {
        return inputs;
    }

    /** The signature's input column names, or empty for a tensor signature or none. */
    List<String> columns() {
        return columns;
    }

    /**
     * Runs the graph on one batch: {@code values} per input, flattened row-major, with its shape.
     * Returns each output as nested Java arrays (float[][] and so on), by output name.
     */
    public Map<String, Object> run(Map<String, TensorRequest.Tensor> values) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (Spec s : inputs) {
                feed.put(s.name(), tensor(s, values.get(s.name())));
            }
            try (OrtSession.Result result = session.run(feed)) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (String name : outputs) {
                    OnnxValue v = result.get(name).orElseThrow();
                    out.put(name, v.getValue());
                }
                return out;
            }
        } catch (OrtException e) {
            throw ScoringError.badRequest("The ONNX model could not run on this input: " + e.getMessage());
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(Spec s, TensorRequest.Tensor t) throws OrtException {
        double[] v = t.values();
        return switch (s.type()) {
            case FLOAT -> {
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = (float) v[i];
                }
                yield OnnxTensor.createTensor(env, FloatBuffer.wrap(f), t.shape());
            }
            case DOUBLE -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(v), t.shape());
            case INT64 -> {
                long[] l = new long[v.length];
                for (int i = 0; i < v.length; i++) {
                    l[i] = (long) v[i];
                }
                yield OnnxTensor.createTensor(env, LongBuffer.wrap(l), t.shape());
            }
            case INT32 -> {
                int[] n = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    n[i] = (int) v[i];
                }
                yield OnnxTensor.createTensor(env, IntBuffer.wrap(n), t.shape());
            }
            default -> throw ScoringError.schema("Input '" + s.name() + "' has element type " + s.type()
                    + ", which this server does not feed; float, double, int32 and int64 are supported");
        };
    }

    @Override
    public String flavor() {
        return FLAVOR;
    }

    /** ONNX models take tensors, not texts. */
    @Override
    public double score(String text) {
        throw LabbookException.invalid("an ONNX model scores tensors, not texts: serve it with 'labbook models serve'");
    }

    /** Not supported: the model's directory is what MLflow logged. */
    @Override
    public void save(Path dir) {
        throw LabbookException.invalid("an ONNX model is saved by the tool that made it");
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
