package dev.labbook.bench;

import java.nio.charset.StandardCharsets;

/**
 * The shape of the logged data, shared by the raw-insert and the ingestion measurements so that
 * both write the same rows: a training loop logging {@link #KEYS} metrics per step, sent
 * {@link #STEPS_PER_BATCH} steps at a time, so one log-batch carries 1000 metrics.
 */
final class Workload {
    static final String[] KEY_NAMES = {"train/loss", "train/acc", "val/loss", "val/acc", "lr",
            "grad_norm", "throughput", "epoch", "f1", "precision"};
    static final int KEYS = KEY_NAMES.length;
    static final int STEPS_PER_BATCH = 100;
    static final int POINTS_PER_BATCH = KEYS * STEPS_PER_BATCH;
    static final long T0 = 1_700_000_000_000L;

    private Workload() {}

    static long step(int batch, int s) {
        return (long) batch * STEPS_PER_BATCH + s;
    }

    static long timestamp(long step) {
        return T0 + step * 10;
    }

    /** A full-precision double, like a real loss curve with noise. */
    static double value(int key, long step) {
        return Math.exp(-step / 50_000.0) * (1 + 0.1 * Math.sin(step * 0.37 + key)) + key;
    }

    /** Where the run id starts in a {@link #logBatchBody} (run ids are 32 hex digits). */
    static final int RUN_ID_OFFSET = "{\"run_id\":\"".length();

    /** The body of batch {@code batch} for another run: a copy of a template with its run id replaced. */
    static byte[] withRunId(byte[] template, String runId) {
        byte[] id = runId.getBytes(StandardCharsets.US_ASCII);
        if (id.length != 32) {
            throw new IllegalArgumentException("run ids are 32 characters: " + runId);
        }
        byte[] b = template.clone();
        System.arraycopy(id, 0, b, RUN_ID_OFFSET, id.length);
        return b;
    }

    /** The log-batch body of batch number {@code batch} of a run. */
    static byte[] logBatchBody(String runId, int batch) {
        StringBuilder sb = new StringBuilder(POINTS_PER_BATCH * 90);
        sb.append("{\"run_id\":\"").append(runId).append("\",\"metrics\":[");
        boolean first = true;
        for (int s = 0; s < STEPS_PER_BATCH; s++) {
            long step = step(batch, s);
            for (int k = 0; k < KEYS; k++) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append("{\"key\":\"").append(KEY_NAMES[k]).append("\",\"value\":").append(value(k, step))
                        .append(",\"timestamp\":").append(timestamp(step)).append(",\"step\":").append(step).append('}');
            }
        }
        sb.append("]}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
