package dev.labbook.serving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny ONNX model written byte by byte in the protobuf wire format (field numbers from the
 * public onnx.proto), and the MLmodel file MLflow's Python client writes for the onnx flavor:
 * {@code z = x @ W + b} and {@code y = sigmoid(z)}, x of shape (-1, 3), W = (0.5, -1, 0.25),
 * b = 0.1. No model is downloaded; the expected outputs are computed by hand in the tests.
 */
final class OnnxFixture {
    static final float[] W = {0.5f, -1f, 0.25f};
    static final float B = 0.1f;

    private OnnxFixture() {}

    /** Writes {@code model.onnx} and {@code MLmodel} into {@code dir}; returns it. */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), model());
        Files.writeString(dir.resolve("MLmodel"), """
                artifact_path: model
                flavors:
                  onnx:
                    code: null
                    data: model.onnx
                    onnx_version: 1.17.0
                    providers:
                    - CPUExecutionProvider
                  python_function:
                    data: model.onnx
                    env:
                      conda: conda.yaml
                      virtualenv: python_env.yaml
                    loader_module: mlflow.onnx
                    python_version: 3.11.9
                mlflow_version: 2.19.0
                model_size_bytes: 230
                model_uuid: 6f1c3e0f9b8c4b9c8f2f3f0c1d2e3f40
                signature:
                  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}, "name": "x"}]'
                  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 1]}, "name": "z"}, {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 1]}, "name": "y"}]'
                  params: null
                utc_time_created: '2026-12-04 12:00:00.000000'
                """);
        return dir;
    }

    /** The ModelProto: IR version 8, opset 13, the graph below. */
    static byte[] model() {
        Proto m = new Proto();
        m.varint(1, 8);                                              // ir_version
        m.string(2, "labbook-test");                                 // producer_name
        m.message(7, graph());                                       // graph
        m.message(8, new Proto().string(1, "").varint(2, 13));       // opset_import
        return m.bytes();
    }

    private static Proto graph() {
        Proto g = new Proto();
        g.message(1, node("MatMul", "matmul", new String[] {"x", "W"}, "xw"));
        g.message(1, node("Add", "add", new String[] {"xw", "b"}, "z"));
        g.message(1, node("Sigmoid", "sigmoid", new String[] {"z"}, "y"));
        g.string(2, "linear_sigmoid");
        g.message(5, floats("W", new long[] {3, 1}, W));                // initializer
        g.message(5, floats("b", new long[] {1}, new float[] {B}));
        g.message(11, valueInfo("x", 3));                               // input
        g.message(12, valueInfo("z", 1));                               // outputs
        g.message(12, valueInfo("y", 1));
        return g;
    }

    private static Proto node(String op, String name, String[] inputs, String output) {
        Proto n = new Proto();
        for (String i : inputs) {
            n.string(1, i);
        }
        n.string(2, output);
        n.string(3, name);
        n.string(4, op);
        return n;
    }

    /** A float TensorProto with raw little-endian data. */
    private static Proto floats(String name, long[] dims, float[] values) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, 1); // FLOAT
        t.string(8, name);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        t.bytes(9, raw.array());
        return t;
    }

    /** A ValueInfoProto of a float tensor of shape (batch, width), the batch a named dimension. */
    private static Proto valueInfo(String name, long width) {
        Proto shape = new Proto()
                .message(1, new Proto().string(2, "batch"))
                .message(1, new Proto().varint(1, width));
        Proto tensor = new Proto().varint(1, 1).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** A protobuf message under construction: varint and length-delimited fields. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            raw((field << 3) | 0);
            raw(value);
            return this;
        }

        Proto bytes(int field, byte[] value) {
            raw((field << 3) | 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return bytes(field, value.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
