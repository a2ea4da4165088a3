package dev.labbook.train.pipeline;

import dev.labbook.train.TrainConfig;
import java.util.Set;

/**
 * Run names that say what the run tried: the model and the settings a sweep varies, e.g.
 * {@code nblr-c1.0-ng3} or {@code fasttext-lr0.005-e3-ng2}, made unique in the experiment with a
 * {@code -2}, {@code -3}... suffix.
 */
public final class RunNames {
    private RunNames() {}

    /** The name for a training of {@code config}. */
    public static String of(TrainConfig config) {
        int n = config.ngramConfig().maxN();
        if (config.model().equals(TrainConfig.NBLR)) {
            return "nblr-c" + config.c() + "-ng" + n;
        }
        return config.model() + "-lr" + config.lr() + "-e" + config.epochs() + "-ng" + n;
    }

    /** {@code base}, or base-2, base-3... the first that is not in {@code taken}. */
    public static String unique(String base, Set<String> taken) {
        if (!taken.contains(base)) {
            return base;
        }
        for (int i = 2; ; i++) {
            String name = base + "-" + i;
            if (!taken.contains(name)) {
                return name;
            }
        }
    }
}
