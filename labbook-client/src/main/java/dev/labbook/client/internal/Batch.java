package dev.labbook.client.internal;

import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunStatus;
import dev.labbook.core.model.RunTag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One delivery: either a log-batch within MLflow's limits, an artifact upload, a dataset input
 * (log-inputs), or the run's end.
 * {@code end} is the spool position just after its last record, where the checkpoint moves once it
 * is acknowledged.
 */
public final class Batch {
    /** MLflow's log-batch limits. */
    public static final int MAX_METRICS = 1000;
    public static final int MAX_PARAMS = 100;
    public static final int MAX_TAGS = 100;
    public static final int MAX_ITEMS = 1000;
    /** The body limit is 1 MB; the estimate aims lower and the encoder splits what still exceeds it. */
    public static final int MAX_BODY = 1_000_000;
    static final int TARGET_BODY = 800_000;

    public final List<Metric> metrics = new ArrayList<>();
    public final Map<String, String> params = new LinkedHashMap<>();
    public final Map<String, String> tags = new LinkedHashMap<>();
    /** For an artifact upload: the local path and the artifact directory. */
    public String artifactPath;
    public String artifactDir;
    /** For a dataset input. */
    public DatasetInput input;
    /** For the run's end. */
    public RunStatus status;
    public long endTime;
    public long end;
    /** Spool records this delivery covers (including duplicates it folded). */
    public int records;
    int estimatedBytes = 64;

    public boolean isLogBatch() {
        return artifactPath == null && status == null && input == null;
    }

    public boolean isEmpty() {
        return records == 0;
    }

    public int items() {
        return metrics.size() + params.size() + tags.size();
    }

    public List<Param> paramList() {
        List<Param> out = new ArrayList<>(params.size());
        params.forEach((k, v) -> out.add(new Param(k, v)));
        return out;
    }

    public List<RunTag> tagList() {
        List<RunTag> out = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> out.add(new RunTag(k, v)));
        return out;
    }

    /**
     * Splits a log-batch of at least two entries in two non-empty halves of its entries (metrics,
     * then params, then tags), keeping their order: for a body larger than the limit, and to
     * isolate entries the server refuses. Only the entries are copied; the halves cover no spool
     * records of their own.
     */
    Batch[] split() {
        int n = items();
        if (n < 2) {
            throw new IllegalStateException("a batch of " + n + " entries cannot be split");
        }
        Batch a = new Batch();
        Batch b = new Batch();
        int i = 0;
        for (Metric m : metrics) {
            (i++ < n / 2 ? a : b).metrics.add(m);
        }
        for (var e : params.entrySet()) {
            (i++ < n / 2 ? a : b).params.put(e.getKey(), e.getValue());
        }
        for (var e : tags.entrySet()) {
            (i++ < n / 2 ? a : b).tags.put(e.getKey(), e.getValue());
        }
        return new Batch[] {a, b};
    }
}
