package dev.labbook.core.search;

import static dev.labbook.core.Invalid.assertInvalid;
import static dev.labbook.core.search.SearchGrammar.EXPERIMENTS;
import static dev.labbook.core.search.SearchGrammar.MODEL_VERSIONS;
import static dev.labbook.core.search.SearchGrammar.REGISTERED_MODELS;
import static dev.labbook.core.search.SearchGrammar.RUNS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderByTest {

    private static OrderBy one(String element, SearchGrammar grammar) {
        List<OrderBy> parsed = Filters.parseOrderBy(List.of(element), grammar);
        assertEquals(1, parsed.size());
        return parsed.get(0);
    }

    @Test
    void nullOrEmptyMeansNoOrdering() {
        assertEquals(List.of(), Filters.parseOrderBy(null, RUNS));
        assertEquals(List.of(), Filters.parseOrderBy(List.of(), RUNS));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metrics.acc DESC | METRIC | acc | false",
        "metrics.acc desc | METRIC | acc | false",
        "metrics.acc ASC | METRIC | acc | true",
        "metrics.acc | METRIC | acc | true",
        "params.lr | PARAM | lr | true",
        "metrics.`val loss` ASC | METRIC | val loss | true",
        "metrics.\"val loss\" DESC | METRIC | val loss | false",
        "`metrics`.`val loss` | METRIC | val loss | true",
        "tags.mlflow.runName DESC | TAG | mlflow.runName | false",
        "tag.`mlflow.user` | TAG | mlflow.user | true",
        "attributes.start_time DESC | ATTRIBUTE | start_time | false",
        "start_time | ATTRIBUTE | start_time | true",
        "  end_time   DESC  | ATTRIBUTE | end_time | false",
        "created DESC | ATTRIBUTE | start_time | false",
        "Created | ATTRIBUTE | start_time | true",
        "run_name | ATTRIBUTE | run_name | true",
        "`Run Name` | ATTRIBUTE | run_name | true",
        "run_uuid | ATTRIBUTE | run_id | true",
        "attr.status | ATTRIBUTE | status | true",
        "user_id | ATTRIBUTE | user_id | true",
        "artifact_uri DESC | ATTRIBUTE | artifact_uri | false"})
    void runs(String element, KeyType type, String key, boolean ascending) {
        assertEquals(new OrderBy(type, key, ascending), one(element, RUNS));
    }

    @Test
    void keepsTheOrderOfElements() {
        assertEquals(List.of(
                new OrderBy(KeyType.METRIC, "acc", false),
                new OrderBy(KeyType.ATTRIBUTE, "start_time", true)),
                Filters.parseOrderBy(Arrays.asList("metrics.acc DESC", "start_time"), RUNS));
    }

    @Test
    void experiments() {
        assertEquals(new OrderBy(KeyType.ATTRIBUTE, "name", true), one("name ASC", EXPERIMENTS));
        assertEquals(new OrderBy(KeyType.ATTRIBUTE, "last_update_time", false), one("last_update_time DESC", EXPERIMENTS));
        assertEquals("creation_time", one("attribute.creation_time", EXPERIMENTS).key());
        assertEquals("experiment_id", one("experiment_id", EXPERIMENTS).key());
        assertInvalid(() -> one("tags.x", EXPERIMENTS), "cannot be sorted by tags.* keys", "experiment_id");
        assertInvalid(() -> one("start_time", EXPERIMENTS), "cannot be sorted by attribute 'start_time'");
    }

    @Test
    void registeredModels() {
        assertEquals(new OrderBy(KeyType.ATTRIBUTE, "creation_timestamp", false), one("timestamp DESC", REGISTERED_MODELS));
        assertEquals("creation_timestamp", one("creation_timestamp", REGISTERED_MODELS).key());
        assertEquals(new OrderBy(KeyType.ATTRIBUTE, "last_updated_timestamp", false),
                one("last_updated_timestamp DESC", REGISTERED_MODELS));
        assertEquals("name", one("name", REGISTERED_MODELS).key());
        assertInvalid(() -> one("version_number", REGISTERED_MODELS), "cannot be sorted by attribute 'version_number'");
    }

    @Test
    void modelVersions() {
        assertEquals(new OrderBy(KeyType.ATTRIBUTE, "version_number", false), one("version_number DESC", MODEL_VERSIONS));
        assertEquals("creation_timestamp", one("creation_timestamp", MODEL_VERSIONS).key());
        assertEquals("last_updated_timestamp", one("last_updated_timestamp ASC", MODEL_VERSIONS).key());
        assertEquals("name", one("name", MODEL_VERSIONS).key());
        assertInvalid(() -> one("run_id", MODEL_VERSIONS), "cannot be sorted by attribute 'run_id'");
    }

    @Test
    void invalidElements() {
        assertInvalid(() -> Filters.parseOrderBy(List.of("metrics.a", " "), RUNS), "element 1 is empty");
        assertInvalid(() -> Filters.parseOrderBy(Arrays.asList((String) null), RUNS), "element 0 is empty");
        assertInvalid(() -> one("metrics.acc DESCENDING", RUNS), "expected ASC, DESC", "'DESCENDING'");
        assertInvalid(() -> one("metrics.acc DESC, metrics.b", RUNS), "unexpected ','", "one key");
        assertInvalid(() -> one("metrics.acc DESC extra", RUNS), "unexpected 'extra'");
        assertInvalid(() -> one("metrics.acc > 1", RUNS), "expected ASC, DESC", "'>'");
        assertInvalid(() -> one("accuracy", RUNS), "cannot be sorted by attribute 'accuracy'", "metrics.accuracy");
        assertInvalid(() -> one("lifecycle_stage", RUNS), "cannot be sorted by attribute 'lifecycle_stage'");
        assertInvalid(() -> one("datasets.name", RUNS), "cannot be sorted by datasets.* keys");
        assertInvalid(() -> one("foo.bar", RUNS), "unknown key type 'foo'");
        assertInvalid(() -> one("metrics.`val loss", RUNS), "unterminated quoted key");
        assertInvalid(() -> one("metrics.", RUNS), "expected a key name");
    }
}
