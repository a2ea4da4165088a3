package dev.labbook.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.labbook.core.LabbookException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trace grammar: MLflow's trace filter keys, in both API generations' names. */
class TraceFiltersTest {

    @Test
    void attributesParseUnderEveryPrefixAndName() {
        assertEquals(List.of(
                        new Clause(KeyType.ATTRIBUTE, "status", Comparator.EQ, "OK"),
                        new Clause(KeyType.ATTRIBUTE, "timestamp_ms", Comparator.GT, 1711089570679.0),
                        new Clause(KeyType.ATTRIBUTE, "execution_time_ms", Comparator.LTE, 500.0),
                        new Clause(KeyType.ATTRIBUTE, "request_id", Comparator.IN, List.of("tr-1", "tr-2"))),
                Filters.parse("trace.state = 'OK' AND attributes.request_time > 1711089570679 "
                        + "AND execution_duration <= 500 AND trace_id IN ('tr-1', 'tr-2')", SearchGrammar.TRACES));
        assertEquals(List.of(new Clause(KeyType.ATTRIBUTE, "run_id", Comparator.EQ, "r1")),
                Filters.parse("attribute.run_id = 'r1'", SearchGrammar.TRACES));
    }

    @Test
    void requestMetadataParsesAsStringPairsLikeTags() {
        assertEquals(List.of(
                        new Clause(KeyType.PARAM, "mlflow.sourceRun", Comparator.EQ, "r1"),
                        new Clause(KeyType.PARAM, "k", Comparator.NEQ, "v"),
                        new Clause(KeyType.TAG, "topic", Comparator.EQ, "math")),
                Filters.parse("request_metadata.`mlflow.sourceRun` = 'r1' AND metadata.k != 'v' AND tag.topic = 'math'",
                        SearchGrammar.TRACES));
    }

    @Test
    void orderByTakesTheSameNames() {
        assertEquals(List.of(new OrderBy(KeyType.ATTRIBUTE, "timestamp_ms", false),
                        new OrderBy(KeyType.ATTRIBUTE, "execution_time_ms", true),
                        new OrderBy(KeyType.TAG, "mlflow.traceName", true)),
                Filters.parseOrderBy(List.of("request_time DESC", "execution_time", "tags.`mlflow.traceName`"),
                        SearchGrammar.TRACES));
    }

    @Test
    void runKeysAreRefused() {
        assertThrows(LabbookException.class, () -> Filters.parse("metrics.acc > 1", SearchGrammar.TRACES));
        assertThrows(LabbookException.class, () -> Filters.parse("timestamp_ms = 'yesterday'", SearchGrammar.TRACES));
        assertThrows(LabbookException.class, () -> Filters.parse("start_time > 1", SearchGrammar.TRACES));
    }
}
