package dev.labbook.server.sweep;

import dev.labbook.sweep.Sweep;
import dev.labbook.sweep.Trial;
import dev.labbook.sweep.TrialState;
import dev.labbook.sweep.config.SweepConfig;
import dev.labbook.sweep.config.SweepConfigParser;
import dev.labbook.sweep.importance.ParameterImportance;
import dev.labbook.sweep.prune.TrialHistory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sweep page's views of a sweep, as JSON-ready maps: intermediate values and parameter importance. */
final class SweepInsights {
    private SweepInsights() {}

    /** {@code [{number, state, values: [{step, value}]}]}, by trial number. */
    static List<Map<String, Object>> values(List<TrialHistory> histories) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TrialHistory t : histories) {
            List<Map<String, Object>> points = new ArrayList<>();
            t.values().forEach((step, value) -> points.add(Map.of("step", step, "value", value)));
            out.add(Map.of("number", t.number(), "state", t.state(), "values", points));
        }
        return out;
    }

    /**
     * {@code {method, trials, importances: [{param, importance}]}}: permutation importance on a
     * random forest over the complete trials with a value, most important first.
     */
    static Map<String, Object> importance(Sweep sweep, List<Trial> trials) {
        SweepConfig config = SweepConfigParser.parse(sweep.config());
        List<Map<String, Object>> params = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Trial t : trials) {
            if (t.state() == TrialState.COMPLETE && t.value() != null && Double.isFinite(t.value())) {
                params.add(t.params());
                values.add(t.value());
            }
        }
        double[] y = values.stream().mapToDouble(Double::doubleValue).toArray();
        List<Map<String, Object>> out = new ArrayList<>();
        for (ParameterImportance.Importance i : ParameterImportance.of(config.space(), params, y, config.seed())) {
            out.add(Map.of("param", i.name(), "importance", i.importance()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("method", "Permutation importance on a random forest (64 trees, out-of-bag)");
        body.put("trials", params.size());
        body.put("importances", out);
        return body;
    }
}
