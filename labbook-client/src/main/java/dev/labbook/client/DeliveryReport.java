package dev.labbook.client;

import java.nio.file.Path;

/**
 * What {@link Run#flush} or {@link Run#finish} achieved.
 *
 * @param complete true when everything logged so far reached the server (or store)
 * @param pendingRecords spool records not yet delivered; they stay in the spool for a later
 *     delivery or {@code labbook sync}
 * @param droppedRecords records the server rejected as invalid (never retried)
 * @param lastError the last delivery error, or null
 * @param spoolDir the run's spool directory
 */
public record DeliveryReport(boolean complete, long pendingRecords, long droppedRecords, String lastError, Path spoolDir) {
    @Override
    public String toString() {
        if (complete && droppedRecords == 0) {
            return "all delivered";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(complete ? "delivered" : pendingRecords + " records not delivered yet (kept in " + spoolDir
                + "; run `labbook sync` to upload them)");
        if (droppedRecords > 0) {
            sb.append("; ").append(droppedRecords).append(" records rejected by the server");
        }
        if (lastError != null) {
            sb.append("; last error: ").append(lastError);
        }
        return sb.toString();
    }
}
