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

    /** Splits a log-batch in two halves (for a body that came out larger than the limit). */
    Batch[] halves() {
        Batch a = new Batch();
        Batch b = new Batch();
        int m = metrics.size() / 2;
        a.metrics.addAll(metrics.subList(0, m));
        b.metrics.addAll(metrics.subList(m, metrics.size()));
        int i = 0;
        for (var e : params.entrySet()) {
            (i++ < params.size() / 2 ? a : b).params.put(e.getKey(), e.getValue());
        }
        i = 0;
        for (var e : tags.entrySet()) {
            (i++ < tags.size() / 2 ? a : b).tags.put(e.getKey(), e.getValue());
        }
        return new Batch[] {a, b};
    }
}
