package dev.labbook.bench;

import java.util.Arrays;

/** The timed repetitions of one measurement: their median and spread. */
record Samples(double[] values) {

    Samples {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        values = values.clone();
        Arrays.sort(values);
    }

    static Samples of(java.util.List<Double> list) {
        return new Samples(list.stream().mapToDouble(Double::doubleValue).toArray());
    }

    double median() {
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    double min() {
        return values[0];
    }

    double max() {
        return values[values.length - 1];
    }

    int count() {
        return values.length;
    }
}
