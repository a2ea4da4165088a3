package dev.labbook.core.model;

/**
 * One point of a metric's history. NaN and the infinities are legal values.
 *
 * <p>MLflow 3 clients may say which dataset a point was measured on and which logged model it
 * belongs to; those fields are null for points that did not carry them (every 2.x point), and
 * null fields are left out of the JSON.
 *
 * @param timestamp milliseconds since the epoch
 * @param datasetName the dataset the value was measured on, or null
 * @param datasetDigest that dataset's digest, or null
 * @param modelId the logged model ({@code m-...}) the value describes, or null
 * @param runId the run the point was logged to, when the client or the reader says so; or null
 */
public record Metric(String key, double value, long timestamp, long step,
        String datasetName, String datasetDigest, String modelId, String runId) {

    /** A plain point, as MLflow 2.x clients log them. */
    public Metric(String key, double value, long timestamp, long step) {
        this(key, value, timestamp, step, null, null, null, null);
    }

    /** True when the point carries any of MLflow 3's dataset, model or run fields. */
    public boolean hasDetails() {
        return datasetName != null || datasetDigest != null || modelId != null || runId != null;
    }

    /** This point with the given MLflow 3 fields (null for none). */
    public Metric withDetails(String datasetName, String datasetDigest, String modelId, String runId) {
        return new Metric(key, value, timestamp, step, datasetName, datasetDigest, modelId, runId);
    }
}
