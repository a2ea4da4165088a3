package dev.labbook.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.sweep.config.SweepConfigParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@link Rule.Targets} of the route table: where each kind of request names its resource. */
final class Find {
    private Find() {}

    private static List<String> one(String v) {
        return v == null || v.isEmpty() ? List.of() : List.of(v);
    }

    private static List<String> one(Optional<String> v) {
        return v.map(List::of).orElse(List.of());
    }

    static Rule.Targets param(String name) {
        return (r, o) -> one(r.param(name));
    }

    /** Runs are created in the Default experiment ("0") when the request names none, as the handler does. */
    static Rule.Targets paramOr(String name, String fallback) {
        return (r, o) -> {
            String v = r.param(name);
            return List.of(v == null || v.isEmpty() ? fallback : v);
        };
    }

    /** Every value of the repeated parameters (experiment_ids) plus the single ones (experiment_id). */
    static Rule.Targets params(String repeated, String single) {
        return (r, o) -> {
            List<String> out = new ArrayList<>(r.params(repeated));
            out.addAll(one(r.param(single)));
            return out;
        };
    }

    static Rule.Targets experimentNamed(String param) {
        return (r, o) -> {
            String name = r.param(param);
            return name == null ? List.of() : one(o.experimentNamed(name));
        };
    }

    static Rule.Targets run(String param, String alias) {
        return (r, o) -> {
            String id = r.param(param);
            return one(o.run(id == null || id.isEmpty() ? r.param(alias) : id));
        };
    }

    /** log-batch: the run id read from the raw body without parsing its metrics. */
    static Rule.Targets batchRun() {
        return (r, o) -> {
            List<String> out = new ArrayList<>();
            for (String id : TopLevelStrings.find(r.ctx().bodyAsBytes(), "run_id", "run_uuid")) {
                o.run(id).ifPresent(out::add);
            }
            return out;
        };
    }

    static Rule.Targets runs(String param) {
        return (r, o) -> {
            List<String> out = new ArrayList<>();
            for (String id : r.params(param)) {
                o.run(id).ifPresent(out::add);
            }
            return out;
        };
    }

    static Rule.Targets loggedModel() {
        return (r, o) -> one(o.loggedModel(r.path("model_id")));
    }

    static Rule.Targets tracePath() {
        return (r, o) -> {
            String id = r.path("trace_id");
            return one(o.trace(id != null ? id : r.path("request_id")));
        };
    }

    static Rule.Targets traces(String param) {
        return (r, o) -> {
            List<String> out = new ArrayList<>();
            for (String id : r.params(param)) {
                o.trace(id).ifPresent(out::add);
            }
            return out;
        };
    }

    /** StartTraceV3: {@code trace.trace_info.trace_location.mlflow_experiment.experiment_id}. */
    static Rule.Targets v3TraceExperiment() {
        return (r, o) -> {
            JsonNode b = r.body();
            JsonNode id = b == null ? null : b.at("/trace/trace_info/trace_location/mlflow_experiment/experiment_id");
            return id == null || id.isMissingNode() || id.isNull() ? List.of() : one(id.asText());
        };
    }

    /** SearchTracesV3: the experiments of {@code locations} and {@code experiment_ids}. */
    static Rule.Targets v3SearchExperiments() {
        return (r, o) -> {
            List<String> out = new ArrayList<>(r.params("experiment_ids"));
            JsonNode b = r.body();
            if (b != null && b.path("locations").isArray()) {
                for (JsonNode l : b.path("locations")) {
                    JsonNode id = l.path("mlflow_experiment").path("experiment_id");
                    if (id.isValueNode()) {
                        out.add(id.asText());
                    }
                }
            }
            return out;
        };
    }

    static Rule.Targets sweep() {
        return (r, o) -> one(o.sweep(r.param("sweep_id")));
    }

    static Rule.Targets trial() {
        return (r, o) -> one(o.trial(r.param("trial_id")));
    }

    /**
     * A sweep is created in {@code experiment_id}, else in the experiment its configuration names
     * (which may not exist yet: creating it is any user's right), else in Default.
     */
    static Rule.Targets sweepExperiment() {
        return (r, o) -> {
            String id = r.param("experiment_id");
            if (id != null && !id.isEmpty()) {
                return List.of(id);
            }
            JsonNode config = r.body() == null ? null : r.body().get("config");
            if (config == null || config.isNull()) {
                return List.of();
            }
            String name;
            try {
                name = SweepConfigParser.parse(config.isTextual() ? config.asText() : config.toString()).experiment();
            } catch (RuntimeException e) {
                return List.of(); // the handler refuses the configuration
            }
            return name == null ? List.of("0") : one(o.experimentNamed(name));
        };
    }

    /**
     * The artifact proxy's paths start with the experiment id ({@code <exp>/<run>/artifacts/...},
     * {@code <exp>/models/<id>/artifacts/...}): the default artifact root of every experiment.
     * A path that starts otherwise (a custom artifact location) is only an admin's.
     */
    static Rule.Targets artifactPath(String pathParam) {
        return (r, o) -> experimentOfPath(r.path(pathParam));
    }

    static Rule.Targets artifactQuery(String param) {
        return (r, o) -> experimentOfPath(r.ctx().queryParam(param));
    }

    private static List<String> experimentOfPath(String path) {
        if (path == null) {
            return List.of(Rule.ADMIN_ONLY);
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.indexOf('/');
        String first = slash < 0 ? p : p.substring(0, slash);
        return first.matches("[0-9]{1,18}") ? List.of(first) : List.of(Rule.ADMIN_ONLY);
    }
}
