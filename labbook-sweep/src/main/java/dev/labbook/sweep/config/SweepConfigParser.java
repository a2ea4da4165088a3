package dev.labbook.sweep.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.labbook.core.LabbookException;
import dev.labbook.sweep.space.Distribution;
import dev.labbook.sweep.space.SearchSpace;
import dev.labbook.sweep.space.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads sweep files (YAML or JSON; JSON is YAML) into {@link SweepConfig}. Every problem is one
 * {@link LabbookException} (INVALID_PARAMETER_VALUE) whose message names the key, e.g.
 * {@code sweep config: parameters.lr.distribution: 'gauss' is not one of constant, categorical, ...}.
 *
 * <p>Beyond W&B's keys: a categorical value may be written {@code {value: V, parameters: {...}}}
 * to declare parameters that exist only when the categorical is V (conditional parameters, named
 * at the categorical's level and unique across the sweep; see {@link SearchSpace}).
 */
public final class SweepConfigParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_KEYS = Set.of("name", "description", "experiment", "project", "entity", "method",
            "metric", "parameters", "early_terminate", "run_cap", "command", "program", "seed", "tpe", "lease_seconds",
            "max_retries");
    private static final Set<String> PARAM_KEYS = Set.of("value", "values", "probabilities", "min", "max", "distribution",
            "q", "mu", "sigma", "parameters");
    private static final String DISTRIBUTIONS = "constant, categorical, int_uniform, uniform, q_uniform, "
            + "log_uniform_values, q_log_uniform_values, normal, log_normal";

    private SweepConfigParser() {}

    /** Reads the sweep file at {@code file}. */
    public static SweepConfig read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw LabbookException.invalid("sweep config: cannot read %s: %s", file, e.getMessage());
        }
    }

    /** Parses a sweep file's text (YAML or JSON). */
    public static SweepConfig parse(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw fail("", "not valid YAML or JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            throw fail("", "the file must be a mapping of keys such as method, metric and parameters");
        }
        return fromTree((ObjectNode) root);
    }

    private static SweepConfig fromTree(ObjectNode root) {
        checkKeys(root, "", TOP_KEYS);
        Method method = Method.of(requiredText(root, "method", "grid, random, bayes or tpe"));
        if (method == null) {
            throw fail("method", "'" + root.get("method").asText() + "' is not one of grid, random, bayes, tpe");
        }
        MetricSpec metric = metric(root.get("metric"));
        if (metric == null && (method == Method.TPE || root.has("early_terminate"))) {
            throw fail("metric", "is required with method " + root.get("method").asText()
                    + (root.has("early_terminate") ? " and early_terminate" : "") + ": give metric.name and metric.goal");
        }
        JsonNode params = root.get("parameters");
        if (params == null || !params.isObject() || params.isEmpty()) {
            throw fail("parameters", "is required: a mapping of parameter names to {value | values | min/max | distribution}");
        }
        List<SearchSpace.Dimension> dims = new ArrayList<>();
        parameters((ObjectNode) params, "", null, dims);
        SearchSpace space = new SearchSpace(dims);
        if (method == Method.GRID) {
            for (SearchSpace.Dimension d : dims) {
                if (!(d.distribution() instanceof Distribution.Constant || d.distribution() instanceof Distribution.Categorical
                        || d.distribution() instanceof Distribution.IntUniform || d.distribution() instanceof Distribution.QUniform)) {
                    throw fail("parameters." + d.name(), "method grid needs value, values, int_uniform or q_uniform, not "
                            + d.distribution().wandbName());
                }
            }
        }
        EarlyTerminate early = earlyTerminate(root.get("early_terminate"));
        int runCap = (int) nonNegativeLong(root, "run_cap", 0);
        List<String> command = command(root.get("command"));
        String program = root.hasNonNull("program") ? text(root, "program") : null;
        if (program == null && command.stream().anyMatch(w -> w.contains("${program}"))
                && root.has("command")) {
            throw fail("program", "is required: the command uses ${program}");
        }
        long seed;
        if (root.hasNonNull("seed")) {
            seed = integer(root.get("seed"), "seed");
        } else {
            // a sweep is reproducible from its stored config, so the seed chosen here is written into it
            seed = new java.util.Random().nextInt(Integer.MAX_VALUE);
            root.put("seed", seed);
        }
        TpeOptions tpe = tpe(root.get("tpe"));
        long lease = nonNegativeLong(root, "lease_seconds", 120);
        if (lease < 1) {
            throw fail("lease_seconds", "must be at least 1");
        }
        int retries = (int) nonNegativeLong(root, "max_retries", 2);
        String name = root.hasNonNull("name") ? text(root, "name") : null;
        String experiment = root.hasNonNull("experiment") ? text(root, "experiment")
                : root.hasNonNull("project") ? text(root, "project") : null;
        String json;
        try {
            json = JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new SweepConfig(name, experiment, method, metric, space, early, runCap, command, program, seed, tpe,
                lease, retries, json);
    }

    private static MetricSpec metric(JsonNode m) {
        if (m == null || m.isNull()) {
            return null;
        }
        if (!m.isObject()) {
            throw fail("metric", "must be a mapping with name, goal (minimize or maximize) and optionally target");
        }
        checkKeys(m, "metric.", Set.of("name", "goal", "target"));
        String name = requiredText(m, "name", "the name of a metric the trials log", "metric.");
        String g = m.hasNonNull("goal") ? m.get("goal").asText() : "minimize";
        Goal goal = switch (g) {
            case "minimize" -> Goal.MINIMIZE;
            case "maximize" -> Goal.MAXIMIZE;
            default -> throw fail("metric.goal", "'" + g + "' is not one of minimize, maximize");
        };
        Double target = m.hasNonNull("target") ? number(m.get("target"), "metric.target") : null;
        return new MetricSpec(name, goal, target);
    }

    /**
     * The parameters of one mapping, depth first: a nested group's members get dotted names; a
     * categorical value written {@code {value: V, parameters: {...}}} declares parameters that
     * exist only when the categorical is V, named at the categorical's own level, right after it.
     * Every parameter of the mapping gets {@code condition} (null at the top).
     */
    private static void parameters(ObjectNode node, String prefix, SearchSpace.Condition condition, List<SearchSpace.Dimension> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (e.getKey().isEmpty() || e.getKey().contains(".")) {
                throw fail("parameters." + key, "parameter names must be non-empty and without '.'");
            }
            JsonNode spec = e.getValue();
            if (!spec.isObject()) {
                throw fail("parameters." + key, "must be a mapping with value, values, min/max or distribution (write value: X for a constant)");
            }
            checkKeys(spec, "parameters." + key + ".", PARAM_KEYS);
            if (spec.has("parameters")) {
                if (!spec.get("parameters").isObject() || spec.size() != 1) {
                    throw fail("parameters." + key + ".parameters", "a nested group holds only parameters: a mapping of parameters");
                }
                parameters((ObjectNode) spec.get("parameters"), key + ".", condition, out);
                continue;
            }
            if (out.stream().anyMatch(d -> d.name().equals(key))) {
                throw fail("parameters." + key, "is declared twice (conditional parameters share their parent's level: give each its own name)");
            }
            Distribution dist = distribution(spec, "parameters." + key);
            out.add(new SearchSpace.Dimension(key, dist, condition));
            JsonNode values = spec.get("values");
            if (values == null || !values.isArray()) {
                continue;
            }
            for (int i = 0; i < values.size(); i++) {
                JsonNode v = values.get(i);
                if (!isBranch(v)) {
                    continue;
                }
                String at = "parameters." + key + ".values[" + i + "]";
                if (!(dist instanceof Distribution.Categorical)) {
                    throw fail(at, "conditional parameters need a categorical parameter, not " + dist.wandbName());
                }
                checkKeys(v, at + ".", Set.of("value", "parameters"));
                if (!v.hasNonNull("value") || !v.get("value").isValueNode()) {
                    throw fail(at + ".value", "is required: the value (a string, number or boolean) under which the parameters exist");
                }
                if (!v.get("parameters").isObject() || v.get("parameters").isEmpty()) {
                    throw fail(at + ".parameters", "must be a mapping of parameters");
                }
                parameters((ObjectNode) v.get("parameters"), prefix, new SearchSpace.Condition(key, plain(v.get("value"))), out);
            }
        }
    }

    /** A categorical value that declares conditional parameters: a mapping with a parameters key. */
    private static boolean isBranch(JsonNode v) {
        return v.isObject() && v.has("parameters");
    }

    /** One parameter, with W&B's default distribution when none is named. */
    static Distribution distribution(JsonNode spec, String at) {
        String dist;
        if (spec.hasNonNull("distribution")) {
            dist = spec.get("distribution").asText();
        } else if (spec.has("value")) {
            dist = "constant";
        } else if (spec.has("values")) {
            dist = "categorical";
        } else if (spec.has("min") && spec.has("max")) {
            dist = spec.get("min").isIntegralNumber() && spec.get("max").isIntegralNumber() ? "int_uniform" : "uniform";
        } else if (spec.has("mu") || spec.has("sigma")) {
            dist = "normal";
        } else {
            throw fail(at, "needs value, values, min and max, or a distribution (" + DISTRIBUTIONS + ")");
        }
        switch (dist) {
            case "constant" -> {
                if (!spec.has("value")) {
                    throw fail(at + ".value", "is required by distribution constant");
                }
                return new Distribution.Constant(plain(spec.get("value")));
            }
            case "categorical" -> {
                return categorical(spec, at);
            }
            case "int_uniform" -> {
                long min = integer(required(spec, "min", at), at + ".min");
                long max = integer(required(spec, "max", at), at + ".max");
                bounds(min, max, at);
                return new Distribution.IntUniform(min, max);
            }
            case "uniform" -> {
                double min = number(required(spec, "min", at), at + ".min");
                double max = number(required(spec, "max", at), at + ".max");
                bounds(min, max, at);
                return new Distribution.Uniform(min, max);
            }
            case "q_uniform", "q_log_uniform_values" -> {
                double min = number(required(spec, "min", at), at + ".min");
                double max = number(required(spec, "max", at), at + ".max");
                bounds(min, max, at);
                JsonNode qn = spec.has("q") ? spec.get("q") : JSON.getNodeFactory().numberNode(1);
                double q = number(qn, at + ".q");
                if (!(q > 0)) {
                    throw fail(at + ".q", "must be a number above 0");
                }
                if (Math.floor(max / q + 1e-9) < Math.ceil(min / q - 1e-9)) {
                    throw fail(at + ".q", "no multiple of " + q + " lies in [" + min + ", " + max + "]");
                }
                boolean integer = spec.get("min").isIntegralNumber() && spec.get("max").isIntegralNumber() && qn.isIntegralNumber();
                if (dist.equals("q_uniform")) {
                    return new Distribution.QUniform(min, max, q, integer);
                }
                positive(min, at);
                return new Distribution.QLogUniformValues(min, max, q, integer);
            }
            case "log_uniform_values" -> {
                double min = number(required(spec, "min", at), at + ".min");
                double max = number(required(spec, "max", at), at + ".max");
                bounds(min, max, at);
                positive(min, at);
                return new Distribution.LogUniformValues(min, max);
            }
            case "normal", "log_normal" -> {
                double mu = spec.has("mu") ? number(spec.get("mu"), at + ".mu") : 0;
                double sigma = spec.has("sigma") ? number(spec.get("sigma"), at + ".sigma") : 1;
                if (!(sigma > 0)) {
                    throw fail(at + ".sigma", "must be a number above 0");
                }
                return dist.equals("normal") ? new Distribution.Normal(mu, sigma) : new Distribution.LogNormal(mu, sigma);
            }
            default -> throw fail(at + ".distribution", "'" + dist + "' is not one of " + DISTRIBUTIONS);
        }
    }

    private static Distribution categorical(JsonNode spec, String at) {
        JsonNode values = required(spec, "values", at);
        if (!values.isArray() || values.isEmpty()) {
            throw fail(at + ".values", "must be a non-empty list");
        }
        List<Object> list = new ArrayList<>();
        values.forEach(v -> list.add(plain(isBranch(v) && v.has("value") ? v.get("value") : v)));
        double[] p = new double[list.size()];
        if (spec.has("probabilities")) {
            JsonNode pn = spec.get("probabilities");
            if (!pn.isArray() || pn.size() != list.size()) {
                throw fail(at + ".probabilities", "must be a list of " + list.size() + " numbers, one per value");
            }
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                p[i] = number(pn.get(i), at + ".probabilities");
                if (p[i] < 0) {
                    throw fail(at + ".probabilities", "must not be negative");
                }
                sum += p[i];
            }
            if (Math.abs(sum - 1) > 1e-6) {
                throw fail(at + ".probabilities", "must add up to 1, not " + sum);
            }
        } else {
            java.util.Arrays.fill(p, 1.0 / p.length);
        }
        return new Distribution.Categorical(list, p);
    }

    private static EarlyTerminate earlyTerminate(JsonNode e) {
        if (e == null || e.isNull()) {
            return null;
        }
        if (!e.isObject()) {
            throw fail("early_terminate", "must be a mapping with type hyperband, asha or median");
        }
        String type = requiredText(e, "type", "hyperband, asha or median", "early_terminate.");
        switch (type) {
            case "hyperband" -> {
                checkKeys(e, "early_terminate.", Set.of("type", "min_iter", "max_iter", "s", "eta", "strict", "brackets"));
                double eta = e.has("eta") ? number(e.get("eta"), "early_terminate.eta") : 3;
                if (!(eta > 1)) {
                    throw fail("early_terminate.eta", "must be above 1");
                }
                long maxIter = e.has("max_iter") ? integer(e.get("max_iter"), "early_terminate.max_iter") : 0;
                long minIter;
                if (e.has("min_iter")) {
                    minIter = integer(e.get("min_iter"), "early_terminate.min_iter");
                } else if (maxIter > 0 && e.has("s")) {
                    long s = integer(e.get("s"), "early_terminate.s");
                    minIter = Math.max(1, Math.round(maxIter / Math.pow(eta, s)));
                } else {
                    throw fail("early_terminate.min_iter", "is required by hyperband (or max_iter with s)");
                }
                if (minIter < 1) {
                    throw fail("early_terminate.min_iter", "must be at least 1");
                }
                int brackets = e.has("brackets") ? (int) integer(e.get("brackets"), "early_terminate.brackets") : 1;
                if (brackets < 1) {
                    throw fail("early_terminate.brackets", "must be at least 1");
                }
                return new EarlyTerminate.Hyperband(minIter, eta, maxIter, brackets);
            }
            case "asha" -> {
                checkKeys(e, "early_terminate.", Set.of("type", "grace_period", "reduction_factor", "max_t"));
                long grace = e.has("grace_period") ? integer(e.get("grace_period"), "early_terminate.grace_period") : 1;
                double rf = e.has("reduction_factor") ? number(e.get("reduction_factor"), "early_terminate.reduction_factor") : 4;
                long maxT = e.has("max_t") ? integer(e.get("max_t"), "early_terminate.max_t") : 100;
                if (grace < 1 || !(rf > 1) || maxT < grace) {
                    throw fail("early_terminate", "asha needs grace_period >= 1, reduction_factor > 1 and max_t >= grace_period");
                }
                return new EarlyTerminate.Asha(grace, rf, maxT);
            }
            case "median" -> {
                checkKeys(e, "early_terminate.", Set.of("type", "n_startup_trials", "n_warmup_steps", "interval_steps", "n_min_trials"));
                int startup = e.has("n_startup_trials") ? (int) integer(e.get("n_startup_trials"), "early_terminate.n_startup_trials") : 5;
                long warmup = e.has("n_warmup_steps") ? integer(e.get("n_warmup_steps"), "early_terminate.n_warmup_steps") : 0;
                long interval = e.has("interval_steps") ? integer(e.get("interval_steps"), "early_terminate.interval_steps") : 1;
                int minTrials = e.has("n_min_trials") ? (int) integer(e.get("n_min_trials"), "early_terminate.n_min_trials") : 1;
                if (startup < 0 || warmup < 0 || interval < 1 || minTrials < 1) {
                    throw fail("early_terminate", "median needs n_startup_trials >= 0, n_warmup_steps >= 0, interval_steps >= 1, n_min_trials >= 1");
                }
                return new EarlyTerminate.Median(startup, warmup, interval, minTrials);
            }
            default -> throw fail("early_terminate.type", "'" + type + "' is not one of hyperband, asha, median");
        }
    }

    private static List<String> command(JsonNode c) {
        if (c == null || c.isNull()) {
            return SweepConfig.DEFAULT_COMMAND;
        }
        if (!c.isArray() || c.isEmpty()) {
            throw fail("command", "must be a non-empty list of words, e.g. [\"${env}\", \"${interpreter}\", \"${program}\", \"${args}\"]");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode w : c) {
            if (!w.isValueNode()) {
                throw fail("command", "every word must be a string");
            }
            out.add(w.asText());
        }
        return out;
    }

    private static TpeOptions tpe(JsonNode t) {
        if (t == null || t.isNull()) {
            return TpeOptions.DEFAULTS;
        }
        if (!t.isObject()) {
            throw fail("tpe", "must be a mapping of n_startup_trials, n_ei_candidates, multivariate, constant_liar");
        }
        checkKeys(t, "tpe.", Set.of("n_startup_trials", "n_ei_candidates", "multivariate", "constant_liar"));
        TpeOptions d = TpeOptions.DEFAULTS;
        int startup = t.has("n_startup_trials") ? (int) integer(t.get("n_startup_trials"), "tpe.n_startup_trials") : d.nStartupTrials();
        int cands = t.has("n_ei_candidates") ? (int) integer(t.get("n_ei_candidates"), "tpe.n_ei_candidates") : d.nEiCandidates();
        if (startup < 0 || cands < 1) {
            throw fail("tpe", "n_startup_trials must be >= 0 and n_ei_candidates >= 1");
        }
        return new TpeOptions(startup, cands, bool(t, "multivariate", d.multivariate()), bool(t, "constant_liar", d.constantLiar()));
    }

    // ------------------------------------------------------------------ small readers

    private static boolean bool(JsonNode n, String key, boolean dflt) {
        if (!n.has(key)) {
            return dflt;
        }
        if (!n.get(key).isBoolean()) {
            throw fail("tpe." + key, "must be true or false");
        }
        return n.get(key).asBoolean();
    }

    private static void checkKeys(JsonNode node, String at, Set<String> allowed) {
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw fail(at + k, "unknown key; allowed here: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        });
    }

    private static JsonNode required(JsonNode spec, String key, String at) {
        if (!spec.hasNonNull(key)) {
            throw fail(at + "." + key, "is required by distribution " + (spec.has("distribution") ? spec.get("distribution").asText() : "of this parameter"));
        }
        return spec.get(key);
    }

    private static String requiredText(JsonNode n, String key, String what) {
        return requiredText(n, key, what, "");
    }

    private static String requiredText(JsonNode n, String key, String what, String at) {
        if (!n.hasNonNull(key) || !n.get(key).isValueNode() || n.get(key).asText().isBlank()) {
            throw fail(at + key, "is required: " + what);
        }
        return n.get(key).asText();
    }

    private static String text(JsonNode n, String key) {
        if (!n.get(key).isValueNode()) {
            throw fail(key, "must be a string");
        }
        return n.get(key).asText();
    }

    private static long nonNegativeLong(JsonNode n, String key, long dflt) {
        if (!n.hasNonNull(key)) {
            return dflt;
        }
        long v = integer(n.get(key), key);
        if (v < 0) {
            throw fail(key, "must not be negative");
        }
        return v;
    }

    private static long integer(JsonNode n, String at) {
        if (!n.isIntegralNumber()) {
            throw fail(at, "must be an integer, not " + n);
        }
        return n.asLong();
    }

    private static double number(JsonNode n, String at) {
        if (!n.isNumber()) {
            if (n.isTextual() && n.asText().matches("[-+]?[0-9]+[eE][-+]?[0-9]+")) {
                throw fail(at, "must be a number, not the text " + n + " (YAML reads 1e-3 as text: write 1.0e-3)");
            }
            throw fail(at, "must be a number, not " + n);
        }
        return n.asDouble();
    }

    private static void bounds(double min, double max, String at) {
        if (!(min <= max)) {
            throw fail(at, "min (" + min + ") must not be above max (" + max + ")");
        }
    }

    private static void positive(double min, String at) {
        if (!(min > 0)) {
            throw fail(at + ".min", "must be above 0 for a log distribution");
        }
    }

    /** A YAML value as a Java value: Long, Double, Boolean, String, or lists and maps of them. */
    private static Object plain(JsonNode v) {
        return Values.normalize(JSON.convertValue(v, Object.class));
    }

    private static LabbookException fail(String key, String message) {
        return LabbookException.invalid("sweep config: %s%s", key.isEmpty() ? "" : key + ": ", message);
    }
}
