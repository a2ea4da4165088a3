package dev.labbook.train.track;

import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.RunStatus;
import java.nio.file.Path;
import java.util.Map;

/**
 * Measures the time spent inside another tracker, so a run can report its tracking overhead next
 * to its training time.
 */
public final class TimedTracker implements Tracker {
    private final Tracker inner;
    private long nanos;

    public TimedTracker(Tracker inner) {
        this.inner = inner;
    }

    /** Seconds spent in the wrapped tracker so far. */
    public synchronized double seconds() {
        return nanos / 1e9;
    }

    /** Runs {@code call} on the wrapped tracker, counting its time even when it throws. */
    private void timed(Runnable call) {
        long start = System.nanoTime();
        try {
            call.run();
        } finally {
            synchronized (this) {
                nanos += System.nanoTime() - start;
            }
        }
    }

    @Override
    public String runId() {
        return inner.runId();
    }

    @Override
    public void logParams(Map<String, String> params) {
        timed(() -> inner.logParams(params));
    }

    @Override
    public void logMetrics(Map<String, Double> metrics, long step) {
        timed(() -> inner.logMetrics(metrics, step));
    }

    @Override
    public void logArtifact(Path local, String artifactPath) {
        timed(() -> inner.logArtifact(local, artifactPath));
    }

    @Override
    public void logModel(Path modelDir, String artifactPath, TrainedModel model) {
        timed(() -> inner.logModel(modelDir, artifactPath, model));
    }

    @Override
    public void logDatasetInput(DatasetInput input) {
        timed(() -> inner.logDatasetInput(input));
    }

    @Override
    public void setTag(String key, String value) {
        timed(() -> inner.setTag(key, value));
    }

    @Override
    public void finish(RunStatus status) {
        timed(() -> inner.finish(status));
    }
}
