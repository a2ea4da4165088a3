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

    private synchronized void add(long start) {
        nanos += System.nanoTime() - start;
    }

    @Override
    public String runId() {
        return inner.runId();
    }

    @Override
    public void logParams(Map<String, String> params) {
        long t = System.nanoTime();
        try {
            inner.logParams(params);
        } finally {
            add(t);
        }
    }

    @Override
    public void logMetrics(Map<String, Double> metrics, long step) {
        long t = System.nanoTime();
        try {
            inner.logMetrics(metrics, step);
        } finally {
            add(t);
        }
    }

    @Override
    public void logArtifact(Path local, String artifactPath) {
        long t = System.nanoTime();
        try {
            inner.logArtifact(local, artifactPath);
        } finally {
            add(t);
        }
    }

    @Override
    public void logDatasetInput(DatasetInput input) {
        long t = System.nanoTime();
        try {
            inner.logDatasetInput(input);
        } finally {
            add(t);
        }
    }

    @Override
    public void setTag(String key, String value) {
        long t = System.nanoTime();
        try {
            inner.setTag(key, value);
        } finally {
            add(t);
        }
    }

    @Override
    public void finish(RunStatus status) {
        long t = System.nanoTime();
        try {
            inner.finish(status);
        } finally {
            add(t);
        }
    }
}
