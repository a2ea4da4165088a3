package dev.labbook.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.sweep.config.SweepConfig;
import dev.labbook.sweep.space.SearchSpace;
import dev.labbook.sweep.space.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trial's command line from the sweep's {@code command} template and W&B's macros:
 * {@code ${env}} (/usr/bin/env), {@code ${interpreter}} (python3 for a .py program, bash for .sh,
 * nothing otherwise), {@code ${program}}, {@code ${args}} (one {@code --name=value} word per
 * parameter), {@code ${args_no_hyphens}} ({@code name=value}) and {@code ${args_json}} (the
 * parameters, nested, as one JSON word).
 */
public final class TrialCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrialCommand() {}

    /** The words of the command for {@code params}. */
    public static List<String> build(SweepConfig config, Map<String, Object> params) {
        List<String> out = new ArrayList<>();
        String program = config.program() == null ? "" : config.program();
        for (String word : config.command()) {
            switch (word) {
                case "${env}" -> out.add("/usr/bin/env");
                case "${interpreter}" -> {
                    if (program.endsWith(".py")) {
                        out.add("python3");
                    } else if (program.endsWith(".sh")) {
                        out.add("bash");
                    }
                }
                case "${args}" -> params.forEach((k, v) -> out.add("--" + k + "=" + Values.format(v)));
                case "${args_no_hyphens}" -> params.forEach((k, v) -> out.add(k + "=" + Values.format(v)));
                default -> out.add(word.replace("${program}", program).replace("${args_json}", json(params)));
            }
        }
        return out;
    }

    /** The parameters, nested by their dotted names, as JSON. */
    public static String json(Map<String, Object> params) {
        try {
            return JSON.writeValueAsString(SearchSpace.nest(params));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
