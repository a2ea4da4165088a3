package dev.labbook.core.validation;

import static dev.labbook.core.Invalid.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.model.ExperimentTag;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunTag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

    private static List<Metric> metrics(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Metric("m" + i, i, 1000L, i)).collect(Collectors.toList());
    }

    private static List<Param> params(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Param("p" + i, "v")).collect(Collectors.toList());
    }

    private static List<RunTag> tags(int n) {
        return IntStream.range(0, n).mapToObj(i -> new RunTag("t" + i, "v")).collect(Collectors.toList());
    }

    @Test
    void limitsMatchMlflow() {
        assertEquals(1000, Limits.MAX_METRICS_PER_BATCH);
        assertEquals(100, Limits.MAX_PARAMS_PER_BATCH);
        assertEquals(100, Limits.MAX_TAGS_PER_BATCH);
        assertEquals(1000, Limits.MAX_ENTITIES_PER_BATCH);
        assertEquals(1_048_576, Limits.MAX_REQUEST_BYTES);
        assertEquals(250, Limits.MAX_KEY_LENGTH);
        assertEquals(6000, Limits.MAX_PARAM_VALUE_LENGTH);
        assertEquals(5000, Limits.MAX_TAG_VALUE_LENGTH);
        assertEquals(5000, Limits.MAX_EXPERIMENT_TAG_VALUE_LENGTH);
        assertEquals(500, Limits.MAX_EXPERIMENT_NAME_LENGTH);
        assertEquals(1000, Limits.DEFAULT_SEARCH_MAX_RESULTS);
        assertEquals(50_000, Limits.MAX_RESULTS_SEARCH_RUNS);
        assertEquals(50_000, Limits.MAX_RESULTS_SEARCH_EXPERIMENTS);
        assertEquals(25_000, Limits.MAX_HISTORY_PAGE);
        assertEquals(2500, Limits.MAX_BULK_INTERVAL_RESULTS);
        assertEquals(100, Limits.MAX_BULK_INTERVAL_RUNS);
    }

    @Test
    void requireNonBlank() {
        assertDoesNotThrow(() -> Validation.requireNonBlank("x", "run_id"));
        assertInvalid(() -> Validation.requireNonBlank(null, "run_id"), "Missing value for required parameter 'run_id'");
        assertInvalid(() -> Validation.requireNonBlank("", "experiment_id"), "'experiment_id'");
        assertInvalid(() -> Validation.requireNonBlank(" \t", "name"), "'name'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"acc", "val_loss", "val-loss", "val loss", "train/loss", "a.b.c", "sys/gpu:0 util",
        ".hidden", "a..b", "a/b/c", "métrique", "精度", "A1_-. :/z", "x."})
    void acceptedKeys(String key) {
        assertDoesNotThrow(() -> Validation.validateKey(key, "metric"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a!", "a*b", "a\nb", "a\tb", "a,b", "a=b", "a\\b", "a'b", "a\"b", "a%b", "a@b", "a#b"})
    void keysWithBadCharacters(String key) {
        assertInvalid(() -> Validation.validateKey(key, "metric"), "Invalid metric name", "may only contain");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a", "a//b", "a/", "./a", "a/./b", "a/../b", "../a", "..a", "..", ".", "a/.", "a/.."})
    void keysThatAreNotUniqueAsPaths(String key) {
        assertInvalid(() -> Validation.validateKey(key, "param"), "Invalid param name", "treated as files");
    }

    @Test
    void emptyKeys() {
        assertInvalid(() -> Validation.validateKey(null, "tag"), "Tag name must not be empty");
        assertInvalid(() -> Validation.validateKey("", "metric"), "Metric name must not be empty");
    }

    @Test
    void keyLengthBoundary() {
        assertDoesNotThrow(() -> Validation.validateKey("k".repeat(250), "metric"));
        assertInvalid(() -> Validation.validateKey("k".repeat(251), "metric"),
                "Metric name", "had length 251", "length limit of 250");
    }

    @Test
    void paramValueBoundary() {
        assertDoesNotThrow(() -> Validation.validateParam(new Param("lr", "v".repeat(6000))));
        var e = assertInvalid(() -> Validation.validateParam(new Param("lr", "v".repeat(6001))),
                "Param value", "had length 6001", "limit of 6000");
        assertTrue(e.getMessage().length() < 600, "long values are cut in messages");
        assertDoesNotThrow(() -> Validation.validateParam(new Param("lr", "")));
        assertInvalid(() -> Validation.validateParam(new Param("lr", null)), "Param 'lr' has no value");
        assertInvalid(() -> Validation.validateParam(new Param("l/../r", "1")), "Invalid param name");
        assertInvalid(() -> Validation.validateParam(new Param("k".repeat(251), "1")), "Param name", "251");
    }

    @Test
    void tagValueBoundary() {
        assertDoesNotThrow(() -> Validation.validateRunTag(new RunTag("mlflow.note.content", "v".repeat(5000))));
        assertInvalid(() -> Validation.validateRunTag(new RunTag("note", "v".repeat(5001))), "Tag value", "5001", "5000");
        assertInvalid(() -> Validation.validateRunTag(new RunTag("note", null)), "Tag 'note' has no value");
        assertInvalid(() -> Validation.validateRunTag(new RunTag("bad!", "x")), "Invalid tag name");
        assertDoesNotThrow(() -> Validation.validateExperimentTag(new ExperimentTag("team", "v".repeat(5000))));
        assertInvalid(() -> Validation.validateExperimentTag(new ExperimentTag("team", "v".repeat(5001))), "5001");
        assertInvalid(() -> Validation.validateExperimentTag(new ExperimentTag("", "v")), "must not be empty");
    }

    @Test
    void metrics() {
        assertDoesNotThrow(() -> Validation.validateMetric(new Metric("loss", Double.NaN, 0, 0)));
        assertDoesNotThrow(() -> Validation.validateMetric(new Metric("loss", Double.POSITIVE_INFINITY, 1, -5)));
        assertDoesNotThrow(() -> Validation.validateMetric(new Metric("loss", Double.NEGATIVE_INFINITY, 1, Long.MAX_VALUE)));
        assertInvalid(() -> Validation.validateMetric(new Metric("loss", 1, -1, 0)), "invalid timestamp -1", "'loss'");
        assertInvalid(() -> Validation.validateMetric(new Metric("lo$s", 1, 1, 0)), "Invalid metric name: 'lo$s'");
    }

    @Test
    void batchCountBoundaries() {
        assertDoesNotThrow(() -> Validation.validateBatch(metrics(1000), List.of(), List.of()));
        assertInvalid(() -> Validation.validateBatch(metrics(1001), List.of(), List.of()),
                "at most 1000 metrics", "Got 1001 metrics");
        assertDoesNotThrow(() -> Validation.validateBatch(List.of(), params(100), tags(100)));
        assertInvalid(() -> Validation.validateBatch(List.of(), params(101), List.of()), "at most 100 params");
        assertInvalid(() -> Validation.validateBatch(List.of(), List.of(), tags(101)), "at most 100 tags");
        assertDoesNotThrow(() -> Validation.validateBatch(metrics(800), params(100), tags(100)));
        assertInvalid(() -> Validation.validateBatch(metrics(801), params(100), tags(100)),
                "at most 1000 metrics, params, and tags", "Got 1001");
        assertDoesNotThrow(() -> Validation.validateBatch(null, null, null));
    }

    @Test
    void batchNamesTheBadItem() {
        List<Metric> ms = new ArrayList<>(metrics(5));
        ms.set(3, new Metric("a//b", 1, 1, 1));
        assertInvalid(() -> Validation.validateBatch(ms, List.of(), List.of()), "metrics[3]", "'a//b'");

        List<Param> ps = new ArrayList<>(params(3));
        ps.set(1, new Param("lr", "v".repeat(6001)));
        assertInvalid(() -> Validation.validateBatch(List.of(), ps, List.of()), "params[1]", "6001");

        List<RunTag> ts = new ArrayList<>(tags(2));
        ts.set(0, new RunTag("k".repeat(251), "v"));
        assertInvalid(() -> Validation.validateBatch(List.of(), List.of(), ts), "tags[0]", "Tag name");

        List<Metric> withNull = Arrays.asList(new Metric("a", 1, 1, 1), null);
        assertInvalid(() -> Validation.validateBatch(withNull, List.of(), List.of()), "metrics[1]", "null");

        List<Metric> badTime = List.of(new Metric("a", 1, -3, 1));
        assertInvalid(() -> Validation.validateBatch(badTime, List.of(), List.of()), "metrics[0]", "timestamp -3");
    }

    @Test
    void batchRejectsARepeatedParamKey() {
        List<Param> ps = List.of(new Param("lr", "1"), new Param("bs", "2"), new Param("lr", "1"));
        assertInvalid(() -> Validation.validateBatch(List.of(), ps, List.of()), "Duplicate parameter keys", "[lr]");
    }

    @Test
    void requestSizeBoundary() {
        assertDoesNotThrow(() -> Validation.validateRequestSize(1_048_576));
        assertInvalid(() -> Validation.validateRequestSize(1_048_577), "at most 1048576 bytes", "1048577");
    }

    @Test
    void experimentNames() {
        assertDoesNotThrow(() -> Validation.validateExperimentName("imdb sentiment"));
        assertDoesNotThrow(() -> Validation.validateExperimentName("n".repeat(500)));
        assertInvalid(() -> Validation.validateExperimentName("n".repeat(501)), "maximum length of 500");
        assertInvalid(() -> Validation.validateExperimentName(null), "Invalid experiment name");
        assertInvalid(() -> Validation.validateExperimentName(""), "Invalid experiment name");
        assertInvalid(() -> Validation.validateExperimentName("   "), "Invalid experiment name");
    }

    @Test
    void maxResults() {
        assertDoesNotThrow(() -> Validation.validateMaxResults(1, Limits.MAX_RESULTS_SEARCH_RUNS));
        assertDoesNotThrow(() -> Validation.validateMaxResults(50_000, Limits.MAX_RESULTS_SEARCH_RUNS));
        assertInvalid(() -> Validation.validateMaxResults(50_001, Limits.MAX_RESULTS_SEARCH_RUNS), "at most 50000", "50001");
        assertInvalid(() -> Validation.validateMaxResults(0, 100), "positive integer");
        assertInvalid(() -> Validation.validateMaxResults(-5, 100), "positive integer", "-5");
    }
}
