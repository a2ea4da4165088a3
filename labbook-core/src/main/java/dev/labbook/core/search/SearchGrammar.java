package dev.labbook.core.search;

import static dev.labbook.core.search.Attribute.list;
import static dev.labbook.core.search.Attribute.number;
import static dev.labbook.core.search.Attribute.string;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The search endpoints of MLflow and what each one's {@code filter} and {@code order_by}
 * accept: which key types ({@code metrics.}, {@code tags.}, ...) and which attributes.
 *
 * <p>Attribute and prefix names are matched case-insensitively: MLflow itself accepts both
 * {@code created} and {@code Created}, and being lenient costs nothing since no two names
 * differ only by case.
 */
public enum SearchGrammar {
    /** {@code runs/search}: metrics, params, tags, attributes and datasets. */
    RUNS(EnumSet.allOf(KeyType.class),
            EnumSet.of(KeyType.METRIC, KeyType.PARAM, KeyType.TAG, KeyType.ATTRIBUTE),
            filterAttributes(
                    list("run_id"), "run_uuid",
                    string("run_name"), "run name",
                    string("status"), null,
                    string("user_id"), null,
                    string("artifact_uri"), null,
                    string("lifecycle_stage"), null,
                    number("start_time"), "created",
                    number("end_time"), null),
            orderAttributes("start_time", "created", "end_time", null, "run_name", "run name",
                    "run_id", "run_uuid", "status", null, "user_id", null, "artifact_uri", null)),

    /** {@code experiments/search}: attributes and tags. */
    EXPERIMENTS(EnumSet.of(KeyType.ATTRIBUTE, KeyType.TAG), EnumSet.of(KeyType.ATTRIBUTE),
            filterAttributes(
                    string("name"), null,
                    string("experiment_id"), null,
                    number("creation_time"), null,
                    number("last_update_time"), null),
            orderAttributes("name", null, "experiment_id", null, "creation_time", null,
                    "last_update_time", null)),

    /** {@code registered-models/search}: the model name and tags. */
    REGISTERED_MODELS(EnumSet.of(KeyType.ATTRIBUTE, KeyType.TAG), EnumSet.of(KeyType.ATTRIBUTE),
            filterAttributes(string("name"), null),
            // MLflow's older clients order registered models by "timestamp": the creation time.
            orderAttributes("name", null, "creation_timestamp", "timestamp",
                    "last_updated_timestamp", null)),

    /** {@code model-versions/search}: name, run id, source path, version number and tags. */
    MODEL_VERSIONS(EnumSet.of(KeyType.ATTRIBUTE, KeyType.TAG), EnumSet.of(KeyType.ATTRIBUTE),
            filterAttributes(
                    string("name"), null,
                    list("run_id"), null,
                    string("source_path"), null,
                    number("version_number"), null),
            orderAttributes("name", null, "version_number", null, "creation_timestamp", null,
                    "last_updated_timestamp", null)),

    /**
     * {@code traces/search}: trace attributes, tags and request metadata. A trace's request
     * metadata is a write-once string map, searched exactly as run params are, so its keys
     * ({@code request_metadata.} or {@code metadata.}) parse as {@link KeyType#PARAM}. MLflow 3
     * names some attributes anew ({@code trace_id}, {@code state}, {@code request_time},
     * {@code execution_duration}); both generations' names are accepted.
     */
    TRACES(EnumSet.of(KeyType.ATTRIBUTE, KeyType.TAG, KeyType.PARAM),
            EnumSet.of(KeyType.ATTRIBUTE, KeyType.TAG, KeyType.PARAM),
            filterAttributes(
                    list("request_id"), "trace_id",
                    number("timestamp_ms"), "timestamp",
                    number("timestamp_ms"), "request_time",
                    number("execution_time_ms"), "execution_time",
                    number("execution_time_ms"), "execution_duration",
                    list("status"), "state",
                    list("name"), null,
                    list("run_id"), null,
                    string("client_request_id"), null),
            orderAttributes("timestamp_ms", "timestamp", "timestamp_ms", "request_time",
                    "execution_time_ms", "execution_time", "execution_time_ms", "execution_duration",
                    "status", "state", "request_id", "trace_id", "experiment_id", null,
                    "name", null, "run_id", null)),

    /**
     * {@code logged-models/search} (MLflow 3): metrics, params, tags and the model's attributes;
     * sorted by attributes or metrics. Its {@code order_by} is structured (field name, ascending),
     * so only the field name is parsed with this grammar.
     */
    LOGGED_MODELS(EnumSet.of(KeyType.METRIC, KeyType.PARAM, KeyType.TAG, KeyType.ATTRIBUTE),
            EnumSet.of(KeyType.METRIC, KeyType.ATTRIBUTE),
            filterAttributes(
                    string("name"), null,
                    string("model_id"), null,
                    string("model_type"), null,
                    string("status"), null,
                    string("source_run_id"), null,
                    number("creation_timestamp"), "creation_time",
                    number("last_updated_timestamp"), "last_updated_time"),
            orderAttributes("name", null, "model_id", null, "model_type", null, "status", null,
                    "source_run_id", null, "creation_timestamp", "creation_time",
                    "last_updated_timestamp", "last_updated_time"));

    /** The dataset fields a {@code datasets.} key may name. */
    static final Set<String> DATASET_FIELDS = Set.of("name", "digest", "context");

    private final Set<KeyType> filterTypes;
    private final Set<KeyType> orderTypes;
    private final Map<String, Attribute> attributes;
    private final Map<String, String> orderKeys;

    SearchGrammar(Set<KeyType> filterTypes, Set<KeyType> orderTypes,
            Map<String, Attribute> attributes, Map<String, String> orderKeys) {
        this.filterTypes = filterTypes;
        this.orderTypes = orderTypes;
        this.attributes = attributes;
        this.orderKeys = orderKeys;
    }

    /** True when filters of this grammar may use keys of {@code type}. */
    public boolean acceptsInFilter(KeyType type) {
        return filterTypes.contains(type);
    }

    /** True when {@code order_by} of this grammar may use keys of {@code type}. */
    public boolean acceptsInOrderBy(KeyType type) {
        return orderTypes.contains(type);
    }

    /** The filter attribute called {@code name} (or one of its aliases), or null. */
    public Attribute attribute(String name) {
        return attributes.get(name.toLowerCase(Locale.ROOT));
    }

    /** The canonical name of the order-by attribute called {@code name} (or an alias), or null. */
    public String orderByAttribute(String name) {
        return orderKeys.get(name.toLowerCase(Locale.ROOT));
    }

    /** The canonical filter attribute names, sorted, for error messages. */
    public Set<String> attributeNames() {
        Set<String> names = new TreeSet<>();
        attributes.values().forEach(a -> names.add(a.name()));
        return names;
    }

    /** The canonical order-by attribute names, sorted, for error messages. */
    public Set<String> orderByAttributeNames() {
        return new TreeSet<>(orderKeys.values());
    }

    /**
     * The key type a prefix such as {@code metrics} names in this grammar, or null when the
     * prefix is unknown. Runs accept all of MLflow's aliases ({@code metric}, {@code param},
     * {@code parameter(s)}, {@code tag}, {@code attribute}, {@code attr}, {@code run},
     * {@code dataset}); the other grammars only the plural forms plus {@code attribute} and
     * {@code tag}, as MLflow does.
     */
    public KeyType prefix(String prefix) {
        String p = prefix.toLowerCase(Locale.ROOT);
        switch (p) {
            case "metrics": return KeyType.METRIC;
            case "params": return KeyType.PARAM;
            case "tags": case "tag": return KeyType.TAG;
            case "attributes": case "attribute": return KeyType.ATTRIBUTE;
            case "datasets": return KeyType.DATASET;
            default: break;
        }
        if (this == TRACES) {
            return switch (p) {
                case "request_metadata", "metadata" -> KeyType.PARAM;
                case "attr", "trace", "run" -> KeyType.ATTRIBUTE;
                default -> null;
            };
        }
        if (this != RUNS) {
            return null;
        }
        switch (p) {
            case "metric": return KeyType.METRIC;
            case "param": case "parameter": case "parameters": return KeyType.PARAM;
            case "attr": case "run": return KeyType.ATTRIBUTE;
            case "dataset": return KeyType.DATASET;
            default: return null;
        }
    }

    /** The prefixes this grammar accepts in filters, for error messages. */
    List<String> prefixNames() {
        List<String> names = new ArrayList<>();
        for (KeyType t : filterTypes) {
            names.add(canonicalPrefix(t) + ".");
        }
        return names;
    }

    /** How a key type is written canonically: {@code metrics}, {@code params}, ... */
    static String canonicalPrefix(KeyType type) {
        return switch (type) {
            case METRIC -> "metrics";
            case PARAM -> "params";
            case TAG -> "tags";
            case ATTRIBUTE -> "attributes";
            case DATASET -> "datasets";
        };
    }

    /** Pairs of (attribute, alias-or-null), keyed by lower-case name and alias. */
    private static Map<String, Attribute> filterAttributes(Object... pairs) {
        Map<String, Attribute> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Attribute a = (Attribute) pairs[i];
            map.put(a.name(), a);
            if (pairs[i + 1] != null) {
                map.put((String) pairs[i + 1], a);
            }
        }
        return Map.copyOf(map);
    }

    /** Pairs of (canonical name, alias-or-null), keyed by lower-case name and alias. */
    private static Map<String, String> orderAttributes(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i]);
            if (pairs[i + 1] != null) {
                map.put(pairs[i + 1], pairs[i]);
            }
        }
        return Map.copyOf(map);
    }
}
