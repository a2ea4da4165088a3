package dev.labbook.core.validation;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.ExperimentTag;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunTag;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks of user input against MLflow's rules. Every failure is a {@link LabbookException}
 * with {@link dev.labbook.core.ErrorCode#INVALID_PARAMETER_VALUE} and a message worded like
 * MLflow's, so that clients and people recognise it.
 *
 * <p>Null values are rejected: the HTTP layer is expected to map a field that is absent on the
 * wire to what MLflow would read (an empty string for proto2 strings) before calling these.
 */
public final class Validation {
    private static final String BAD_CHARACTERS = "Names may only contain alphanumerics, underscores (_), "
            + "dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).";
    private static final int SHOWN = 250;

    private Validation() {}

    /** Requires a present, non-blank request parameter. */
    public static void requireNonBlank(String value, String field) {
        if (value == null || value.isBlank()) {
            throw LabbookException.invalid("Missing value for required parameter '%s'. "
                    + "See the API docs for more information about request parameters.", field);
        }
    }

    /**
     * Checks a metric, param or tag key: present, at most {@link Limits#MAX_KEY_LENGTH}
     * characters, made of MLflow's allowed characters, and unambiguous as a file path (keys
     * become file names in some stores, so {@code a//b}, {@code ./a}, {@code ../a}, {@code a/}
     * and {@code /a} are refused, as MLflow does).
     *
     * @param what the kind of key for messages: {@code metric}, {@code param}, {@code tag}
     */
    public static void validateKey(String key, String what) {
        String kind = capitalize(what);
        if (key == null || key.isEmpty()) {
            throw LabbookException.invalid("%s name must not be empty. A key name must be provided.", kind);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ' '
                    || c == ':' || c == '/')) {
                throw LabbookException.invalid("Invalid %s name: '%s'. %s", what, shown(key), BAD_CHARACTERS);
            }
        }
        if (!uniqueAsPath(key)) {
            throw LabbookException.invalid("Invalid %s name: '%s'. Names may be treated as files in certain "
                    + "cases, and must not resolve to other names when treated as such.", what, shown(key));
        }
        checkLength(kind + " name", key, Limits.MAX_KEY_LENGTH);
    }

    /** Checks a param: its key and a value of at most {@link Limits#MAX_PARAM_VALUE_LENGTH}. */
    public static void validateParam(Param p) {
        validateKey(p.key(), "param");
        requireValue(p.value(), "Param", p.key());
        checkLength("Param value", p.value(), Limits.MAX_PARAM_VALUE_LENGTH);
    }

    /** Checks a run tag: its key and a value of at most {@link Limits#MAX_TAG_VALUE_LENGTH}. */
    public static void validateRunTag(RunTag t) {
        validateKey(t.key(), "tag");
        requireValue(t.value(), "Tag", t.key());
        checkLength("Tag value", t.value(), Limits.MAX_TAG_VALUE_LENGTH);
    }

    /** Checks an experiment tag: its key and a value of at most {@link Limits#MAX_EXPERIMENT_TAG_VALUE_LENGTH}. */
    public static void validateExperimentTag(ExperimentTag t) {
        validateKey(t.key(), "tag");
        requireValue(t.value(), "Tag", t.key());
        checkLength("Tag value", t.value(), Limits.MAX_EXPERIMENT_TAG_VALUE_LENGTH);
    }

    /** Checks a metric: its key and a non-negative timestamp. Every double, NaN and infinities included, is a legal value. */
    public static void validateMetric(Metric m) {
        validateKey(m.key(), "metric");
        if (m.timestamp() < 0) {
            throw LabbookException.invalid("Got invalid timestamp %d for metric '%s' (value=%s). "
                    + "Timestamp must be a nonnegative long (64-bit integer)", m.timestamp(), m.key(), m.value());
        }
    }

    /**
     * Checks a log-batch request: the counts per kind and in total, then every item, naming
     * the first bad one (e.g. {@code metrics[3]}), then that no param key repeats (MLflow
     * refuses a batch that sets one param twice). Null lists count as empty.
     */
    public static void validateBatch(List<Metric> metrics, List<Param> params, List<RunTag> tags) {
        List<Metric> ms = metrics == null ? List.of() : metrics;
        List<Param> ps = params == null ? List.of() : params;
        List<RunTag> ts = tags == null ? List.of() : tags;
        checkCount("metrics", ms.size(), Limits.MAX_METRICS_PER_BATCH);
        checkCount("params", ps.size(), Limits.MAX_PARAMS_PER_BATCH);
        checkCount("tags", ts.size(), Limits.MAX_TAGS_PER_BATCH);
        checkCount("metrics, params, and tags", ms.size() + ps.size() + ts.size(), Limits.MAX_ENTITIES_PER_BATCH);
        for (int i = 0; i < ms.size(); i++) {
            Metric m = item(ms, i, "metrics");
            try {
                validateMetric(m);
            } catch (LabbookException e) {
                throw located("metrics", i, e);
            }
        }
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (int i = 0; i < ps.size(); i++) {
            Param p = item(ps, i, "params");
            try {
                validateParam(p);
            } catch (LabbookException e) {
                throw located("params", i, e);
            }
            if (!seen.add(p.key())) {
                duplicates.add(p.key());
            }
        }
        for (int i = 0; i < ts.size(); i++) {
            RunTag t = item(ts, i, "tags");
            try {
                validateRunTag(t);
            } catch (LabbookException e) {
                throw located("tags", i, e);
            }
        }
        if (!duplicates.isEmpty()) {
            throw LabbookException.invalid("Duplicate parameter keys have been submitted: %s. Please ensure "
                    + "the request contains only one param value per param key.", duplicates);
        }
    }

    /** Refuses a log-batch body larger than {@link Limits#MAX_REQUEST_BYTES}. */
    public static void validateRequestSize(long bytes) {
        if (bytes > Limits.MAX_REQUEST_BYTES) {
            throw LabbookException.invalid("Batched logging API requests must be at most %d bytes, "
                    + "got a request of size %d.", Limits.MAX_REQUEST_BYTES, bytes);
        }
    }

    /** Checks an experiment name: present, not blank, at most {@link Limits#MAX_EXPERIMENT_NAME_LENGTH} characters. */
    public static void validateExperimentName(String name) {
        if (name == null || name.isBlank()) {
            throw LabbookException.invalid("Invalid experiment name: '%s'. An experiment needs a non-empty name.",
                    name == null ? "" : name);
        }
        if (name.length() > Limits.MAX_EXPERIMENT_NAME_LENGTH) {
            throw LabbookException.invalid("Experiment name exceeds the maximum length of %d characters "
                    + "(got %d).", Limits.MAX_EXPERIMENT_NAME_LENGTH, name.length());
        }
    }

    /** Checks a {@code max_results}: between 1 and {@code limit}, both included. */
    public static void validateMaxResults(int maxResults, int limit) {
        if (maxResults < 1) {
            throw LabbookException.invalid("Invalid value %d for parameter 'max_results' supplied: "
                    + "it must be a positive integer.", maxResults);
        }
        if (maxResults > limit) {
            // "Invalid value N for parameter 'max_results' supplied", as MLflow's schema check words it
            throw LabbookException.invalid("Invalid value %d for parameter 'max_results' supplied: "
                    + "it must be at most %d.", maxResults, limit);
        }
    }

    /**
     * True when the key, read as a relative POSIX path, is already in normal form and stays
     * inside its directory: what MLflow's {@code path_not_unique} accepts. Normalisation would
     * change a key with an empty, "." or ".." segment or a trailing slash; keys starting with
     * "/" or ".." are refused outright.
     */
    private static boolean uniqueAsPath(String key) {
        if (key.startsWith("/") || key.startsWith("..")) {
            return false;
        }
        int start = 0;
        while (true) {
            int slash = key.indexOf('/', start);
            int end = slash < 0 ? key.length() : slash;
            int len = end - start;
            if (len == 0
                    || (len == 1 && key.charAt(start) == '.')
                    || (len == 2 && key.charAt(start) == '.' && key.charAt(start + 1) == '.')) {
                return false;
            }
            if (slash < 0) {
                return true;
            }
            start = slash + 1;
        }
    }

    private static void checkLength(String what, String value, int limit) {
        if (value.length() > limit) {
            throw LabbookException.invalid("%s '%s' had length %d, which exceeded length limit of %d",
                    what, shown(value), value.length(), limit);
        }
    }

    private static void requireValue(String value, String kind, String key) {
        if (value == null) {
            throw LabbookException.invalid("%s '%s' has no value; a value must be provided.", kind, key);
        }
    }

    private static void checkCount(String what, int count, int limit) {
        if (count > limit) {
            throw LabbookException.invalid("A batch logging request can contain at most %d %s. Got %d %s. "
                    + "Please split up %s across multiple requests and try again.", limit, what, count, what, what);
        }
    }

    private static <T> T item(List<T> list, int i, String what) {
        T t = list.get(i);
        if (t == null) {
            throw LabbookException.invalid("Invalid %s[%d]: the entry is null.", what, i);
        }
        return t;
    }

    private static LabbookException located(String what, int i, LabbookException e) {
        return new LabbookException(e.code(), String.format("Invalid %s[%d]: %s", what, i, e.getMessage()), e);
    }

    /** The first 250 characters, so that a 6000-character value does not flood the message. */
    private static String shown(String s) {
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "...";
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
