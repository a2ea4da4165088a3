package dev.labbook.core.search;

import static dev.labbook.core.Invalid.assertInvalid;
import static dev.labbook.core.search.SearchGrammar.EXPERIMENTS;
import static dev.labbook.core.search.SearchGrammar.MODEL_VERSIONS;
import static dev.labbook.core.search.SearchGrammar.REGISTERED_MODELS;
import static dev.labbook.core.search.SearchGrammar.RUNS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FiltersTest {

    private static Clause one(String filter, SearchGrammar grammar) {
        List<Clause> clauses = Filters.parse(filter, grammar);
        assertEquals(1, clauses.size(), clauses::toString);
        return clauses.get(0);
    }

    private static Clause run(String filter) {
        return one(filter, RUNS);
    }

    @Test
    void nullAndBlankMeanNoFilter() {
        assertEquals(List.of(), Filters.parse(null, RUNS));
        assertEquals(List.of(), Filters.parse("", RUNS));
        assertEquals(List.of(), Filters.parse("  \t\n ", EXPERIMENTS));
    }

    @Test
    void metricComparison() {
        assertEquals(new Clause(KeyType.METRIC, "acc", Comparator.GT, 0.9), run("metrics.acc > 0.9"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metrics.a = 1 | EQ", "metrics.a != 1 | NEQ", "metrics.a > 1 | GT",
        "metrics.a >= 1 | GTE", "metrics.a < 1 | LT", "metrics.a <= 1 | LTE",
        "metrics.a<=1 | LTE", "metrics.a>=1 | GTE", "metrics.a!=1 | NEQ"})
    void numericOperators(String filter, Comparator op) {
        assertEquals(op, run(filter).comparator());
        assertEquals(1.0, run(filter).number());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1 | 1", "42 | 42", "-3 | -3", "+3 | 3", "0.25 | 0.25", ".5 | 0.5", "-.5 | -0.5",
        "1. | 1", "1e3 | 1000", "1E3 | 1000", "2.5e-3 | 0.0025", "-2.5E+2 | -250",
        "1700000000000 | 1700000000000"})
    void numbers(String written, double expected) {
        assertEquals(expected, run("metrics.x > " + written).number());
    }

    @Test
    void stringValuesInSingleOrDoubleQuotes() {
        assertEquals(new Clause(KeyType.PARAM, "model", Comparator.EQ, "cnn"), run("params.model = 'cnn'"));
        assertEquals("cnn", run("params.model = \"cnn\"").string());
        assertEquals("", run("params.model = ''").string());
        assertEquals("a b  c", run("tags.t = 'a b  c'").string());
        assertEquals("AND OR", run("tags.t = 'AND OR'").string());
        assertEquals("0.001", run("params.lr = '0.001'").string());
    }

    @Test
    void quotesEscapedByDoublingOrBackslash() {
        assertEquals("it's", run("tags.t = 'it''s'").string());
        assertEquals("it's", run("tags.t = 'it\\'s'").string());
        assertEquals("say \"hi\"", run("tags.t = \"say \"\"hi\"\"\"").string());
        assertEquals("say \"hi\"", run("tags.t = \"say \\\"hi\\\"\"").string());
        assertEquals("'", run("tags.t = ''''").string());
        assertEquals("a\\b", run("tags.t = 'a\\\\b'").string());
        assertEquals("he said \"x\"", run("tags.t = 'he said \"x\"'").string());
    }

    @Test
    void backslashBeforeOtherCharactersIsKept() {
        assertEquals("a\\_b%", run("tags.t LIKE 'a\\_b%'").string());
        assertEquals("C:\\temp", run("tags.t = 'C:\\temp'").string());
    }

    @Test
    void trailingBackslashIsLiteralWhenEscapingWouldLeaveTheStringOpen() {
        assertEquals("C:\\", run("tags.path = 'C:\\'").string());
        // Escapes win whenever they still close the string (as in MLflow's tokenizer): here \'
        // is a quote, the string ends before x and the leftover x' is an error...
        assertInvalid(() -> Filters.parse("tags.path = 'C:\\' and tags.b = 'x'", RUNS), "found 'x''");
        // ...so a trailing backslash followed by more clauses is written doubled.
        List<Clause> two = Filters.parse("tags.path = 'C:\\\\' and tags.b = 'x'", RUNS);
        assertEquals(List.of(new Clause(KeyType.TAG, "path", Comparator.EQ, "C:\\"),
                new Clause(KeyType.TAG, "b", Comparator.EQ, "x")), two);
    }

    @Test
    void likeAndIlike() {
        assertEquals(new Clause(KeyType.TAG, "mlflow.runName", Comparator.LIKE, "%cnn%"),
                run("tags.mlflow.runName LIKE '%cnn%'"));
        assertEquals(Comparator.ILIKE, run("params.model ilike 'CNN%'").comparator());
        assertEquals(Comparator.LIKE, run("params.model Like 'c_n'").comparator());
    }

    @Test
    void inAndNotInLists() {
        assertEquals(new Clause(KeyType.PARAM, "opt", Comparator.IN, List.of("adam", "sgd")),
                run("params.opt IN ('adam', 'sgd')"));
        assertEquals(List.of("adam"), run("params.opt in ('adam')").strings());
        assertEquals(List.of("a", "b"), run("params.opt IN ('a','b',)").strings());
        assertEquals(List.of("a", "b"), run("params.opt IN(\"a\" , 'b')").strings());
        assertEquals(List.of("it's", "x,y"), run("tags.t IN ('it''s', 'x,y')").strings());
        Clause notIn = run("tags.t NOT IN ('x')");
        assertEquals(Comparator.NOT_IN, notIn.comparator());
        assertEquals(List.of("x"), notIn.strings());
        assertEquals(Comparator.NOT_IN, run("tags.t not   in ('x')").comparator());
    }

    @Test
    void listsAreImmutable() {
        List<String> values = run("params.opt IN ('a', 'b')").strings();
        assertThrows(UnsupportedOperationException.class, () -> values.add("c"));
        List<Clause> clauses = Filters.parse("metrics.a > 1", RUNS);
        assertThrows(UnsupportedOperationException.class, () -> clauses.add(null));
    }

    @Test
    void clausesJoinedByAndInAnyCase() {
        List<Clause> clauses = Filters.parse(
                "metrics.acc > 0.9 AND params.model = 'cnn' and tags.t LIKE 'x%' And attributes.status = 'FINISHED'", RUNS);
        assertEquals(List.of(
                new Clause(KeyType.METRIC, "acc", Comparator.GT, 0.9),
                new Clause(KeyType.PARAM, "model", Comparator.EQ, "cnn"),
                new Clause(KeyType.TAG, "t", Comparator.LIKE, "x%"),
                new Clause(KeyType.ATTRIBUTE, "status", Comparator.EQ, "FINISHED")), clauses);
        assertEquals(2, Filters.parse("  metrics.a>1\nAND\tmetrics.b<2  ", RUNS).size());
        assertEquals(2, Filters.parse("params.a='x'AND params.b='y'", RUNS).size());
    }

    @Test
    void quotedAndDottedKeys() {
        assertEquals("my metric", run("metrics.\"my metric\" < 3").key());
        assertEquals("mlflow.runName", run("tags.`mlflow.runName` = 'x'").key());
        assertEquals("mlflow.user", run("tags.mlflow.user = 'me'").key());
        assertEquals("model-type", run("params.\"model-type\" = 'x'").key());
        assertEquals("model-type", run("params.model-type = 'x'").key());
        assertEquals("2019 error", run("metrics.'2019 error' > 1").key());
        assertEquals("sys/gpu:0", run("metrics.sys/gpu:0 > 1").key());
        assertEquals("1acc", run("metrics.1acc > 1").key());
        assertEquals("a`b", run("metrics.`a``b` > 1").key());
        Clause backtickedPrefix = run("`metrics`.acc > 1");
        assertEquals(KeyType.METRIC, backtickedPrefix.type());
        assertEquals("acc", backtickedPrefix.key());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metric.x > 1 | METRIC", "metrics.x > 1 | METRIC", "METRICS.x > 1 | METRIC",
        "param.x = 'a' | PARAM", "params.x = 'a' | PARAM", "parameter.x = 'a' | PARAM",
        "parameters.x = 'a' | PARAM", "tag.x = 'a' | TAG", "tags.x = 'a' | TAG",
        "dataset.name = 'a' | DATASET", "datasets.name = 'a' | DATASET"})
    void runPrefixAliases(String filter, KeyType type) {
        assertEquals(type, run(filter).type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"attributes.run_name = 'a'", "attribute.run_name = 'a'", "attr.run_name = 'a'",
        "run.run_name = 'a'", "run_name = 'a'", "`run name` = 'a'", "\"Run Name\" = 'a'", "attributes.\"run name\" = 'a'"})
    void runNameAttributeSpellings(String filter) {
        assertEquals(new Clause(KeyType.ATTRIBUTE, "run_name", Comparator.EQ, "a"), run(filter));
    }

    @Test
    void runNameTagStaysATag() {
        assertEquals(new Clause(KeyType.TAG, "mlflow.runName", Comparator.EQ, "a"), run("tags.mlflow.runName = 'a'"));
    }

    @Test
    void runStringAttributes() {
        assertEquals(new Clause(KeyType.ATTRIBUTE, "run_id", Comparator.EQ, "abc"), run("run_id = 'abc'"));
        assertEquals("run_id", run("run_uuid = 'abc'").key());
        assertEquals("run_id", run("attributes.run_uuid != 'abc'").key());
        assertEquals("status", run("attributes.status = 'FAILED'").key());
        assertEquals("user_id", run("user_id LIKE 'ann%'").key());
        assertEquals("artifact_uri", run("artifact_uri ILIKE 's3://%'").key());
        assertEquals("lifecycle_stage", run("lifecycle_stage = 'active'").key());
        assertEquals(List.of("a", "b"), run("run_id IN ('a', 'b')").strings());
        assertEquals(Comparator.NOT_IN, run("attributes.run_id NOT IN ('a')").comparator());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "start_time > 5 | start_time", "attributes.end_time <= 5 | end_time",
        "created >= 5 | start_time", "Created >= 5 | start_time", "attributes.created = 5 | start_time"})
    void runNumericAttributes(String filter, String key) {
        Clause c = run(filter);
        assertEquals(KeyType.ATTRIBUTE, c.type());
        assertEquals(key, c.key());
        assertEquals(5.0, c.number());
    }

    @Test
    void datasets() {
        assertEquals(new Clause(KeyType.DATASET, "name", Comparator.EQ, "imdb"), run("datasets.name = 'imdb'"));
        assertEquals("digest", run("datasets.digest LIKE 'ab%'").key());
        assertEquals(List.of("train", "test"), run("datasets.context IN ('train', 'test')").strings());
        assertEquals(Comparator.NOT_IN, run("datasets.name NOT IN ('x')").comparator());
        assertInvalid(() -> Filters.parse("datasets.size = 'x'", RUNS), "unknown dataset field 'size'");
        assertInvalid(() -> Filters.parse("datasets.name > 'x'", RUNS), "operator > is not valid");
    }

    @Test
    void experiments() {
        assertEquals(new Clause(KeyType.ATTRIBUTE, "name", Comparator.LIKE, "x%"), one("name LIKE 'x%'", EXPERIMENTS));
        assertEquals("name", one("attribute.name = 'x'", EXPERIMENTS).key());
        assertEquals("name", one("attributes.name = 'x'", EXPERIMENTS).key());
        assertEquals(new Clause(KeyType.ATTRIBUTE, "creation_time", Comparator.GT, 10.0),
                one("creation_time > 10", EXPERIMENTS));
        assertEquals("last_update_time", one("last_update_time <= 10", EXPERIMENTS).key());
        assertEquals("experiment_id", one("experiment_id = '3'", EXPERIMENTS).key());
        assertEquals(new Clause(KeyType.TAG, "team", Comparator.EQ, "nlp"), one("tags.team = 'nlp'", EXPERIMENTS));
        assertEquals(KeyType.TAG, one("tag.team = 'nlp'", EXPERIMENTS).type());
        assertInvalid(() -> Filters.parse("metrics.acc > 1", EXPERIMENTS), "metrics.* keys are not supported", "experiments");
        assertInvalid(() -> Filters.parse("params.lr = '1'", EXPERIMENTS), "params.* keys are not supported");
        assertInvalid(() -> Filters.parse("attr.name = 'x'", EXPERIMENTS), "attr.* keys are not supported");
        assertInvalid(() -> Filters.parse("status = 'x'", EXPERIMENTS), "unknown attribute 'status'", "tags.status");
        assertInvalid(() -> Filters.parse("creation_time LIKE '1%'", EXPERIMENTS), "operator LIKE is not valid");
        assertInvalid(() -> Filters.parse("name IN ('a')", EXPERIMENTS), "only run_id");
    }

    @Test
    void registeredModels() {
        assertEquals(new Clause(KeyType.ATTRIBUTE, "name", Comparator.ILIKE, "%bert%"),
                one("name ILIKE '%bert%'", REGISTERED_MODELS));
        assertEquals(Comparator.NEQ, one("name != 'x'", REGISTERED_MODELS).comparator());
        assertEquals(new Clause(KeyType.TAG, "stage", Comparator.EQ, "prod"), one("tags.stage = 'prod'", REGISTERED_MODELS));
        assertInvalid(() -> Filters.parse("version_number = 1", REGISTERED_MODELS), "unknown attribute 'version_number'");
        assertInvalid(() -> Filters.parse("run_id = 'x'", REGISTERED_MODELS), "unknown attribute 'run_id'", "[name]");
    }

    @Test
    void modelVersions() {
        assertEquals("name", one("name = 'm'", MODEL_VERSIONS).key());
        assertEquals(List.of("r1", "r2"), one("run_id IN ('r1', 'r2')", MODEL_VERSIONS).strings());
        assertEquals("source_path", one("source_path LIKE 's3://%'", MODEL_VERSIONS).key());
        assertEquals(new Clause(KeyType.ATTRIBUTE, "version_number", Comparator.GTE, 2.0),
                one("version_number >= 2", MODEL_VERSIONS));
        assertEquals(KeyType.TAG, one("tags.x = 'y'", MODEL_VERSIONS).type());
        assertInvalid(() -> Filters.parse("version_number = '2'", MODEL_VERSIONS), "compares as a number", "'2'");
        assertInvalid(() -> Filters.parse("metrics.a > 1", MODEL_VERSIONS), "not supported when searching model versions");
    }

    @Test
    void orIsRejected() {
        assertInvalid(() -> Filters.parse("metrics.a > 1 OR metrics.b > 1", RUNS), "OR is not supported", "position 15");
        assertInvalid(() -> Filters.parse("metrics.a > 1 or metrics.b > 1", RUNS), "OR is not supported");
    }

    @Test
    void wrongOperatorForType() {
        assertInvalid(() -> Filters.parse("params.x > 1", RUNS), "operator > is not valid for params.x", "compares as a string");
        assertInvalid(() -> Filters.parse("tags.x >= '1'", RUNS), "operator >= is not valid for tags.x");
        assertInvalid(() -> Filters.parse("metrics.x LIKE '1'", RUNS), "operator LIKE is not valid for metrics.x", "number");
        assertInvalid(() -> Filters.parse("metrics.x IN ('1')", RUNS), "operator IN is not valid");
        assertInvalid(() -> Filters.parse("start_time LIKE '1'", RUNS), "operator LIKE is not valid for start_time");
        assertInvalid(() -> Filters.parse("status IN ('FAILED')", RUNS), "only run_id");
        assertInvalid(() -> Filters.parse("status < 'x'", RUNS), "operator < is not valid");
    }

    @Test
    void wrongValueForType() {
        assertInvalid(() -> Filters.parse("metrics.x = 'a'", RUNS), "compares as a number", "'a'");
        assertInvalid(() -> Filters.parse("metrics.x = abc", RUNS), "expected a number", "'abc'");
        assertInvalid(() -> Filters.parse("start_time > '5'", RUNS), "compares as a number");
        assertInvalid(() -> Filters.parse("params.x = abc", RUNS), "must be quoted", "'abc'");
        assertInvalid(() -> Filters.parse("params.x = 5", RUNS), "must be quoted", "'5'");
        assertInvalid(() -> Filters.parse("run_id = abc", RUNS), "must be quoted");
        assertInvalid(() -> Filters.parse("params.x IN 'a'", RUNS), "parenthesised list");
        assertInvalid(() -> Filters.parse("params.x IN ('a', 1)", RUNS), "only contain quoted strings", "'1)'");
    }

    @Test
    void unknownKeys() {
        assertInvalid(() -> Filters.parse("foo.x = 'a'", RUNS), "unknown key type 'foo'", "metrics.");
        assertInvalid(() -> Filters.parse("acc > 1", RUNS), "unknown attribute 'acc'", "metrics.acc", "position 1");
        assertInvalid(() -> Filters.parse("attributes.foo = 'x'", RUNS), "unknown attribute 'foo'");
        assertInvalid(() -> Filters.parse("metrics. > 1", RUNS), "expected a key name after 'metrics.'");
        assertInvalid(() -> Filters.parse("'x' = 'y'", RUNS), "expected a key");
        assertInvalid(() -> Filters.parse("= 1", RUNS), "expected a key", "'='");
    }

    @Test
    void malformedSyntax() {
        assertInvalid(() -> Filters.parse("metrics.a", RUNS), "expected an operator after metrics.a", "ended");
        assertInvalid(() -> Filters.parse("metrics.a >", RUNS), "expected a number", "ended");
        assertInvalid(() -> Filters.parse("params.a =", RUNS), "expected a quoted string", "ended");
        assertInvalid(() -> Filters.parse("params.a = 'x", RUNS), "unterminated string", "position 12");
        assertInvalid(() -> Filters.parse("metrics.\"a > 1", RUNS), "unterminated quoted key");
        assertInvalid(() -> Filters.parse("metrics.`a > 1", RUNS), "unterminated quoted key");
        assertInvalid(() -> Filters.parse("params.a IN ('x'", RUNS), "unclosed '('");
        assertInvalid(() -> Filters.parse("params.a IN ('x',", RUNS), "unclosed '('");
        assertInvalid(() -> Filters.parse("params.a IN ('x' 'y')", RUNS), "expected ',' or ')'");
        assertInvalid(() -> Filters.parse("params.a IN ()", RUNS), "is empty");
        assertInvalid(() -> Filters.parse("metrics.a > 1 metrics.b > 2", RUNS), "expected AND or the end", "'metrics.b'");
        assertInvalid(() -> Filters.parse("metrics.a > 1 AND", RUNS), "AND must be followed");
        assertInvalid(() -> Filters.parse("metrics.a > 1 AND   ", RUNS), "AND must be followed");
        assertInvalid(() -> Filters.parse("AND metrics.a > 1", RUNS), "keyword AND");
        assertInvalid(() -> Filters.parse("params.a = 'x')", RUNS), "expected AND or the end", "')'");
        assertInvalid(() -> Filters.parse("(metrics.a > 1)", RUNS), "parentheses may only enclose", "position 1");
        assertInvalid(() -> Filters.parse("metrics.a > 1 AND AND metrics.b > 1", RUNS), "keyword AND");
        assertInvalid(() -> Filters.parse("metrics.a > 1;", RUNS), "expected AND or the end", "';'");
    }

    @Test
    void malformedOperatorsAndNumbers() {
        assertInvalid(() -> Filters.parse("metrics.a == 1", RUNS), "'==' is not an operator");
        assertInvalid(() -> Filters.parse("metrics.a <> 1", RUNS), "use '!='");
        assertInvalid(() -> Filters.parse("metrics.a ! 1", RUNS), "'!' must be followed by '='");
        assertInvalid(() -> Filters.parse("params.a NOT LIKE 'x'", RUNS), "NOT is only supported as NOT IN");
        assertInvalid(() -> Filters.parse("params.a CONTAINS 'x'", RUNS), "expected an operator", "'CONTAINS'");
        assertInvalid(() -> Filters.parse("metrics.a > 1.2.3", RUNS), "malformed number");
        assertInvalid(() -> Filters.parse("metrics.a > 1e", RUNS), "exponent has no digits");
        assertInvalid(() -> Filters.parse("metrics.a > 12abc", RUNS), "malformed number");
        assertInvalid(() -> Filters.parse("metrics.a > -", RUNS), "expected a number");
        assertInvalid(() -> Filters.parse("metrics.a > .", RUNS), "expected a number");
    }

    @Test
    void messagesQuoteTheFilterEvenWithPercentSigns() {
        var e = assertInvalid(() -> Filters.parse("tags.t LIKE '%50%' OR x", RUNS), "'%50%'", "OR");
        assertTrue(e.getMessage().startsWith("Invalid filter \"tags.t LIKE '%50%' OR x\" at position 20"), e.getMessage());
    }

    @Test
    void longFiltersAreShortenedInMessages() {
        String filter = "params.a = '" + "x".repeat(1000) + "' OR 1";
        var e = assertInvalid(() -> Filters.parse(filter, RUNS), "OR is not supported", "...");
        assertTrue(e.getMessage().length() < 600, e.getMessage());
    }

    @Test
    void grammarTables() {
        assertTrue(RUNS.acceptsInFilter(KeyType.DATASET));
        assertTrue(!RUNS.acceptsInOrderBy(KeyType.DATASET));
        assertTrue(!EXPERIMENTS.acceptsInFilter(KeyType.METRIC));
        assertEquals(new Attribute("start_time", true, false), RUNS.attribute("Created"));
        assertEquals(null, REGISTERED_MODELS.attribute("run_id"));
        assertEquals(KeyType.PARAM, RUNS.prefix("parameters"));
        assertEquals(null, EXPERIMENTS.prefix("attr"));
        assertEquals("creation_timestamp", REGISTERED_MODELS.orderByAttribute("timestamp"));
        assertTrue(RUNS.attributeNames().contains("lifecycle_stage"));
    }

    @Test
    void parsingIsFast() {
        String filter = "metrics.acc > 0.9 AND params.model = 'cnn' AND tags.`mlflow.runName` LIKE 'x%' "
                + "AND run_id IN ('a', 'b', 'c') AND start_time >= 1700000000000";
        for (int i = 0; i < 20_000; i++) {
            Filters.parse(filter, RUNS); // warm up
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            assertEquals(5, Filters.parse(filter, RUNS).size());
        }
        long perParseNanos = (System.nanoTime() - t0) / 100_000;
        // A few microseconds in practice; the bound only catches accidental quadratic work.
        assertTrue(perParseNanos < 200_000, perParseNanos + " ns per parse");
    }
}
