package dev.labbook.sweep.space;

import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * One parameter's distribution, with W&B's names. Every distribution samples by itself (the
 * random sampler) and says what it contains (its support); numeric ones also describe themselves
 * to the TPE sampler as a {@link Numeric} range in the space TPE models them in.
 */
public sealed interface Distribution {

    /** A value drawn from the distribution. */
    Object sample(Random random);

    /** True when {@code value} is one this distribution can produce. */
    boolean contains(Object value);

    /** W&B's name of the distribution, as written in sweep files. */
    String wandbName();

    /**
     * How TPE models a numeric distribution: a range in internal space (the logarithm of the value
     * when {@code log}), a grid step in value space or none, and whether values are integers.
     */
    record Numeric(double low, double high, Double step, boolean log, boolean integer) {}

    /** A fixed value ({@code value:}). */
    record Constant(Object value) implements Distribution {
        public Object sample(Random random) {
            return value;
        }

        public boolean contains(Object v) {
            return Objects.equals(Values.normalize(value), Values.normalize(v));
        }

        public String wandbName() {
            return "constant";
        }
    }

    /** One of {@code values}, with the given probabilities (uniform when none were given). */
    record Categorical(List<Object> values, double[] probabilities) implements Distribution {
        public Categorical {
            values = List.copyOf(values);
            probabilities = probabilities.clone();
        }

        public Object sample(Random random) {
            double u = random.nextDouble();
            double acc = 0;
            for (int i = 0; i < values.size(); i++) {
                acc += probabilities[i];
                if (u < acc) {
                    return values.get(i);
                }
            }
            return values.get(values.size() - 1);
        }

        public boolean contains(Object v) {
            return indexOf(v) >= 0;
        }

        /** The index of {@code v} among the values, or -1. */
        public int indexOf(Object v) {
            Object n = Values.normalize(v);
            for (int i = 0; i < values.size(); i++) {
                if (Objects.equals(Values.normalize(values.get(i)), n)) {
                    return i;
                }
            }
            return -1;
        }

        public String wandbName() {
            return "categorical";
        }
    }

    /** Integers in [min, max], each as likely. */
    record IntUniform(long min, long max) implements Distribution {
        public Object sample(Random random) {
            return min + (long) Math.floor(random.nextDouble() * (max - min + 1));
        }

        public boolean contains(Object v) {
            return v instanceof Long l && l >= min && l <= max;
        }

        public String wandbName() {
            return "int_uniform";
        }
    }

    /** Reals in [min, max], uniform. */
    record Uniform(double min, double max) implements Distribution {
        public Object sample(Random random) {
            return min + random.nextDouble() * (max - min);
        }

        public boolean contains(Object v) {
            return v instanceof Double d && d >= min && d <= max;
        }

        public String wandbName() {
            return "uniform";
        }
    }

    /**
     * Multiples of {@code q} in [min, max]: a uniform draw rounded to the nearest multiple, kept
     * inside the bounds. Integers when min, max and q all are.
     */
    record QUniform(double min, double max, double q, boolean integer) implements Distribution {
        public Object sample(Random random) {
            return Values.onGrid(min + random.nextDouble() * (max - min), min, max, q, integer);
        }

        public boolean contains(Object v) {
            return Values.isOnGrid(v, min, max, q, integer);
        }

        public String wandbName() {
            return "q_uniform";
        }
    }

    /** Reals in [min, max] whose logarithm is uniform ({@code min > 0}). */
    record LogUniformValues(double min, double max) implements Distribution {
        public Object sample(Random random) {
            double v = Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)));
            return Math.min(max, Math.max(min, v));
        }

        public boolean contains(Object v) {
            return v instanceof Double d && d >= min && d <= max;
        }

        public String wandbName() {
            return "log_uniform_values";
        }
    }

    /** A log-uniform draw in [min, max] rounded to a multiple of {@code q} inside the bounds. */
    record QLogUniformValues(double min, double max, double q, boolean integer) implements Distribution {
        public Object sample(Random random) {
            double v = Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)));
            return Values.onGrid(v, min, max, q, integer);
        }

        public boolean contains(Object v) {
            return Values.isOnGrid(v, min, max, q, integer);
        }

        public String wandbName() {
            return "q_log_uniform_values";
        }
    }

    /** A normal draw with mean {@code mu} and standard deviation {@code sigma}. */
    record Normal(double mu, double sigma) implements Distribution {
        public Object sample(Random random) {
            return mu + sigma * random.nextGaussian();
        }

        public boolean contains(Object v) {
            return v instanceof Double d && Double.isFinite(d);
        }

        public String wandbName() {
            return "normal";
        }
    }

    /** {@code exp} of a normal draw with mean {@code mu} and standard deviation {@code sigma}. */
    record LogNormal(double mu, double sigma) implements Distribution {
        public Object sample(Random random) {
            return Math.exp(mu + sigma * random.nextGaussian());
        }

        public boolean contains(Object v) {
            return v instanceof Double d && d > 0 && Double.isFinite(d);
        }

        public String wandbName() {
            return "log_normal";
        }
    }
}
