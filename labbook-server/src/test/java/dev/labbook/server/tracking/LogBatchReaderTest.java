package dev.labbook.server.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunTag;
import dev.labbook.core.validation.Limits;
import dev.labbook.core.validation.Validation;
import dev.labbook.server.http.ApiRequest;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming log-batch reader must answer every body exactly as the tree-based reading it
 * replaced: the same metrics, params, tags and run id, or the same error code and message.
 */
class LogBatchReaderTest {

    /** A POST context with just what ApiRequest reads. */
    static Context post(String path, byte[] body) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "method" -> HandlerType.POST;
                    case "path" -> path;
                    case "bodyAsBytes" -> body;
                    case "queryParam" -> null; // no query string
                    case "toString" -> "test context";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** What RunRoutes.logBatch did before the streaming reader, store call aside. */
    static RunRoutes.LoggedBatch treeReading(byte[] bytes) {
        ApiRequest req = ApiRequest.of(post("/api/2.0/mlflow/runs/tree-reference", bytes));
        int size = req.context().bodyAsBytes().length;
        if (size > Limits.MAX_REQUEST_BYTES) {
            throw LabbookException.invalid("Batched logging API requests must be at most %d bytes, got %d bytes",
                    Limits.MAX_REQUEST_BYTES, size);
        }
        List<Metric> metrics = req.objects("metrics", Messages::metric);
        List<Param> params = req.objects("params", Messages::param);
        List<RunTag> tags = req.objects("tags", Messages::runTag);
        Validation.validateBatch(metrics, params, tags);
        return new RunRoutes.LoggedBatch(RunRoutes.runId(req), metrics, params, tags);
    }

    static String outcome(java.util.function.Supplier<RunRoutes.LoggedBatch> reading) {
        try {
            RunRoutes.LoggedBatch b = reading.get();
            StringBuilder sb = new StringBuilder("OK run=").append(b.runId());
            long now = System.currentTimeMillis();
            for (Metric m : b.metrics()) {
                // an absent timestamp means "now", read at slightly different instants
                String ts = Math.abs(m.timestamp() - now) < 60_000 ? "now" : Long.toString(m.timestamp());
                sb.append(" M(").append(m.key()).append(',').append(Double.doubleToRawLongBits(m.value()))
                        .append(',').append(ts).append(',').append(m.step());
                if (m.hasDetails()) { // MLflow 3's fields
                    sb.append(",ds=").append(m.datasetName()).append(",dg=").append(m.datasetDigest())
                            .append(",model=").append(m.modelId()).append(",run=").append(m.runId());
                }
                sb.append(')');
            }
            b.params().forEach(p -> sb.append(" P(").append(p.key()).append(',').append(p.value()).append(')'));
            b.tags().forEach(t -> sb.append(" T(").append(t.key()).append(',').append(t.value()).append(')'));
            return sb.toString();
        } catch (LabbookException e) {
            return "ERR " + e.code() + " " + e.getMessage();
        }
    }

    static void assertSame(byte[] body) {
        String expected = outcome(() -> treeReading(body));
        String actual = outcome(() -> RunRoutes.readLogBatch(ApiRequest.of(post("/api/2.0/mlflow/runs/log-batch", body))));
        assertEquals(expected, actual, () -> "body: " + new String(body, StandardCharsets.UTF_8));
    }

    static void assertSame(String body) {
        assertSame(body.getBytes(StandardCharsets.UTF_8));
    }

    static final String M = "{\"key\":\"loss\",\"value\":0.25,\"timestamp\":1700000000000,\"step\":3}";

    static final List<String> CASES = List.of(
            "{\"run_id\":\"r1\",\"metrics\":[" + M + "],\"params\":[{\"key\":\"p\",\"value\":\"v\"}],\"tags\":[{\"key\":\"t\",\"value\":\"x\"}]}",
            "{\"run_uuid\":\"r2\",\"metrics\":[" + M + "," + M + "]}",
            "{\"run_id\":\"\",\"run_uuid\":\"r3\"}",
            "{\"run_id\":{\"a\":1},\"run_uuid\":\"r3\"}",
            "{\"run_id\":\"\",\"run_uuid\":[1]}",
            "{\"run_id\":5}", "{\"run_id\":1.50}", "{\"run_id\":true}", "{\"run_id\":null}", "{}", "{\"metrics\":[]}",
            "{\"run_id\":\"r\",\"metrics\":null,\"params\":null,\"tags\":null}",
            "{\"run_id\":\"r\",\"metrics\":{}}", "{\"run_id\":\"r\",\"metrics\":\"x\"}", "{\"run_id\":\"r\",\"metrics\":[1]}",
            "{\"run_id\":\"r\",\"metrics\":[null]}", "{\"run_id\":\"r\",\"metrics\":[{}]}", "{\"run_id\":\"r\",\"metrics\":[[]]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":5,\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":1.50,\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":1e2,\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":true,\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":{},\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":[],\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":null,\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\"}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":\"NaN\"},{\"key\":\"a\",\"value\":\"Infinity\",\"step\":1},{\"key\":\"a\",\"value\":\"-inf\",\"step\":2}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":NaN},{\"key\":\"a\",\"value\":-Infinity},{\"key\":\"a\",\"value\":Infinity}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":+Infinity}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":\"abc\"}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":\" 1.5 \"}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":true}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":{}}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":null}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":12345678901234567890123}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":-0.0},{\"key\":\"a\",\"value\":1e400},{\"key\":\"a\",\"value\":-7}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":\"123\"}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":\" 123 \"}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":1.0}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":1e3}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":\"abc\"}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":99999999999999999999}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":-5}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":null,\"step\":null}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"step\":\"7\"}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"step\":7.5}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"step\":true}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"step\":{}}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"step\":-9223372036854775808}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"extra\":{\"x\":[1,2,{\"y\":null}]}}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"key\":\"b\",\"value\":1,\"value\":\"2\"}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":{},\"key\":\"b\",\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"b\",\"key\":{},\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"b\",\"value\":1,\"step\":2,\"step\":null}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":5}],\"metrics\":[" + M + "]}",
            "{\"run_id\":\"r\",\"metrics\":[" + M + "],\"metrics\":[{\"key\":5}]}",
            "{\"run_id\":\"r\",\"run_id\":\"s\",\"metrics\":[" + M + "]}",
            "{\"run_id\":\"r\",\"metrics\":[" + M + ",{\"value\":1},{\"key\":{}}]}",
            "{\"run_id\":\"r\",\"metrics\":[" + M + ",3,{\"key\":{}}]}",
            "{\"run_id\":\"r\",\"params\":[{\"key\":1}],\"metrics\":[{\"key\":2}]}",
            "{\"run_id\":\"r\",\"tags\":[{\"key\":1}],\"params\":[{\"key\":2}]}",
            "{\"run_id\":\"r\",\"params\":[{\"key\":\"p\",\"value\":0.1},{\"key\":\"q\",\"value\":100},{\"key\":\"s\",\"value\":1e2},{\"key\":\"t\",\"value\":false}]}",
            "{\"run_id\":\"r\",\"params\":[{\"key\":\"p\",\"value\":null}]}",
            "{\"run_id\":\"r\",\"params\":[{\"value\":\"v\"}]}",
            "{\"run_id\":\"r\",\"params\":[{\"key\":\"p\",\"value\":\"v\"},{\"key\":\"p\",\"value\":\"w\"}]}",
            "{\"run_id\":\"r\",\"params\":[{\"key\":\"p\",\"value\":[]}]}",
            "{\"run_id\":\"r\",\"params\":{}}", "{\"run_id\":\"r\",\"params\":[7]}",
            "{\"run_id\":\"r\",\"tags\":[{\"key\":\"t\",\"value\":\"\"},{\"key\":\"t\",\"value\":\"2\"}]}",
            "{\"run_id\":\"r\",\"tags\":[{\"key\":\"t\"}]}", "{\"run_id\":\"r\",\"tags\":\"x\"}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"bad key!\",\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"../a\",\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"caf\\u00e9\",\"value\":1}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\\\"b\",\"value\":1}]}",
            "{\"run_id\":\"r\",\"unknown\":{\"deep\":[1,[2,[3]]]},\"metrics\":[" + M + "]}",
            // MLflow 3's metric fields
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"model_id\":\"m-1\",\"dataset_name\":\"d\",\"dataset_digest\":\"x\",\"run_id\":\"r\"}," + M + "]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"dataset_name\":null,\"model_id\":\"\"}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"model_id\":5,\"dataset_digest\":1.5,\"run_id\":true}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"model_id\":{\"x\":1}}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"dataset_name\":[\"d\"]}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"run_id\":\"s\",\"run_id\":null}]}",
            // malformed
            "{", "{\"metrics\":[", "[1,2]", "[1,", "5", "\"s\"", "null", "", "   ", "{} trailing", "{}}", "]", "{\"a\":1,}",
            "{\"run_id\":\"r\",\"metrics\":[" + M + "],\"x\":tru}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":5},{\"key\":\"a\",\"value\":01}]}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\\q\",\"value\":1}]}",
            "{\"run_id\":\"r\",\"x\":\"a\\q\"}",
            "{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":1}]",
            "{\"run_id\":\"r\" \"metrics\":[]}",
            "{run_id:\"r\"}", "{'run_id':'r'}", "{\"run_id\":\"r\"}/*c*/", "{\"run_id\":\"r\",\"metrics\":[1 2]}");

    @Test
    void answersEveryCaseAsTheTreeReading() {
        for (String c : CASES) {
            assertSame(c);
        }
    }

    @Test
    void answersBadBytesAsTheTreeReading() {
        byte[] prefix = "{\"run_id\":\"r\",\"x\":\"".getBytes(StandardCharsets.UTF_8);
        for (byte[] bad : new byte[][] {{(byte) 0xC3}, {(byte) 0xFF, 'a'}, {(byte) 0xE2, (byte) 0x82}, {0x01}}) {
            byte[] body = new byte[prefix.length + bad.length + 2];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(bad, 0, body, prefix.length, bad.length);
            body[body.length - 2] = '"';
            body[body.length - 1] = '}';
            assertSame(body);
            String asKey = "{\"run_id\":\"r\",\"metrics\":[{\"value\":1,\"key\":\"";
            byte[] b2 = (asKey + "X\"}]}").getBytes(StandardCharsets.ISO_8859_1);
            b2[asKey.length()] = bad[0];
            assertSame(b2);
        }
    }

    @Test
    void answersLimitsAsTheTreeReading() {
        StringBuilder many = new StringBuilder("{\"run_id\":\"r\",\"metrics\":[");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append(M);
        }
        assertSame(many.append("]}").toString());
        String pad = "x".repeat(Limits.MAX_REQUEST_BYTES);
        assertSame("{\"run_id\":\"r\",\"pad\":\"" + pad + "\"}");
        assertSame("{\"run_id\":\"r\",\"pad\":\"" + pad + "\",\"metrics\":[{\"key\":5}]}");
        assertSame("{\"run_id\":\"r\",\"pad\":\"" + pad + "\",\"metrics\":[{\"key\":5}]");
    }

    @Test
    void answersMutatedBodiesAsTheTreeReading() {
        String base = "{\"run_id\":\"abc\",\"metrics\":[" + M + ",{\"key\":\"acc\",\"value\":\"NaN\",\"step\":\"4\"}],"
                + "\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"}],\"tags\":[{\"key\":\"t\",\"value\":\"v\"}]}";
        String alphabet = "{}[],:\"\\ 0123456789.eE+-aNnIftrul";
        Random rnd = new Random(20261126);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 8_000; i++) {
            StringBuilder sb = new StringBuilder(base);
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(sb.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    default -> sb.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
            }
            bodies.add(sb.toString());
        }
        for (String b : bodies) {
            assertSame(b);
        }
    }

    @Test
    void readsNumbersToTheSameBits() {
        Random rnd = new Random(7);
        StringBuilder sb = new StringBuilder("{\"run_id\":\"r\",\"metrics\":[");
        for (int i = 0; i < 1000; i++) {
            String v = switch (i % 6) {
                case 0 -> Double.toString(Double.longBitsToDouble(rnd.nextLong()));
                case 1 -> Double.toString(rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20));
                case 2 -> new java.math.BigDecimal(rnd.nextDouble()).toPlainString(); // many digits
                case 3 -> rnd.nextInt(1000) + "." + rnd.nextInt(1000) + "e" + (rnd.nextInt(700) - 350);
                case 4 -> Long.toString(rnd.nextLong());
                default -> "4.9e-324";
            };
            if (v.contains("NaN") || v.contains("Infinity")) {
                v = "1";
            }
            sb.append(i == 0 ? "" : ",").append("{\"key\":\"k\",\"value\":").append(v)
                    .append(",\"timestamp\":").append(i).append(",\"step\":").append(i).append('}');
        }
        assertSame(sb.append("]}").toString());
    }

    @Test
    void otherAccessorsStillReadAStreamedBody() {
        ApiRequest req = ApiRequest.of(post("/api/2.0/mlflow/runs/log-batch",
                "{\"run_id\":\"r9\",\"metrics\":[]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("r9", req.requiredString("run_id"));
        assertEquals(List.of(), req.objects("metrics", Messages::metric));
    }
}
