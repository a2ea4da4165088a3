package dev.labbook.client;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Run#flush} or {@link Run#finish} achieved.
 *
 * @param complete true when everything logged so far was delivered, or definitively refused (see
 *     {@code droppedRecords} and {@code rejectedEntries}): nothing is left to retry
 * @param pendingRecords spool records not yet delivered; they stay in the spool for a later
 *     delivery or {@code labbook sync}
 * @param droppedRecords records dropped because the server refused a whole request that cannot be
 *     split into entries: the run's end, an artifact upload, or any log-batch once the run no longer
 *     exists on the server (deleted) or the server refuses the client (401, 403)
 * @param lastError the last delivery error, or null
 * @param spoolDir the run's spool directory
 * @param rejectedEntries metric points, params and tags the server refused one by one (answered
 *     with a 4xx when sent alone); everything else of their log-batch was delivered
 * @param rejections the rejected entries grouped by kind and key, in the order they were first
 *     refused, at most {@value #MAX_REJECTIONS_LISTED} keys; {@code rejectedEntries} counts them all
 */
public record DeliveryReport(boolean complete, long pendingRecords, long droppedRecords, String lastError,
        Path spoolDir, long rejectedEntries, List<Rejection> rejections) {

    /** The most rejected keys {@link #rejections} lists. */
    public static final int MAX_REJECTIONS_LISTED = 100;

    /**
     * Entries of one key that the server refused, with its answer to the first of them.
     *
     * @param kind {@code metric}, {@code param} or {@code tag}
     * @param key the entry's key
     * @param count how many entries of this kind and key were refused (metric points, or values
     *     of a param or tag)
     * @param errorCode the server's {@code error_code}, e.g. {@code INVALID_PARAMETER_VALUE}
     * @param message the server's {@code message}
     */
    public record Rejection(String kind, String key, long count, String errorCode, String message) {}

    public DeliveryReport {
        rejections = List.copyOf(rejections);
    }

    /** A report without rejected entries. */
    public DeliveryReport(boolean complete, long pendingRecords, long droppedRecords, String lastError, Path spoolDir) {
        this(complete, pendingRecords, droppedRecords, lastError, spoolDir, 0, List.of());
    }

    @Override
    public String toString() {
        if (complete && droppedRecords == 0 && rejectedEntries == 0) {
            return "all delivered";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(complete ? "delivered" : pendingRecords + " records not delivered yet (kept in " + spoolDir
                + "; run `labbook sync` to upload them)");
        if (rejectedEntries > 0) {
            sb.append("; ").append(rejectedEntries).append(" entries rejected by the server");
            if (!rejections.isEmpty()) {
                Rejection r = rejections.get(0);
                sb.append(" (").append(r.kind()).append(" '").append(r.key()).append("': ").append(r.errorCode())
                        .append(' ').append(r.message());
                if (rejections.size() > 1) {
                    sb.append("; and ").append(rejections.size() - 1).append(" more keys");
                }
                sb.append(')');
            }
        }
        if (droppedRecords > 0) {
            sb.append("; ").append(droppedRecords).append(" records dropped (the server refused their request)");
        }
        if (lastError != null) {
            sb.append("; last error: ").append(lastError);
        }
        return sb.toString();
    }
}
