package dev.labbook.sweep.config;

import dev.labbook.sweep.space.SearchSpace;
import java.util.List;

/**
 * A sweep file, checked and with defaults filled in. The keys are W&B's ({@code method},
 * {@code metric}, {@code parameters}, {@code early_terminate}, {@code run_cap}, {@code command},
 * {@code program}, {@code seed}) plus Labbook's own ({@code experiment}, {@code tpe},
 * {@code lease_seconds}, {@code max_retries}). Read one with {@link SweepConfigParser}.
 *
 * @param earlyTerminate the pruner, or null for none
 * @param runCap trials at most (0: no cap; a grid ends by itself)
 * @param command the command template, W&B's default when the file has none
 * @param program the program {@code ${program}} stands for, or null
 * @param leaseSeconds how long a trial's agent may stay silent before the trial is failed
 * @param maxRetries how many times a trial whose agent went silent is queued again
 * @param json the file as JSON, with the seed filled in: what the server stores
 */
public record SweepConfig(String name, String experiment, Method method, MetricSpec metric, SearchSpace space,
        EarlyTerminate earlyTerminate, int runCap, List<String> command, String program, long seed,
        TpeOptions tpe, long leaseSeconds, int maxRetries, String json) {

    /** W&B's default command. */
    public static final List<String> DEFAULT_COMMAND = List.of("${env}", "${interpreter}", "${program}", "${args}");

    public SweepConfig {
        command = List.copyOf(command);
    }
}
