package dev.labbook.client.internal;

import dev.labbook.client.spool.Records;
import dev.labbook.client.spool.SpoolReader;
import dev.labbook.client.spool.SpoolRecord;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.RunStatus;

/**
 * Packs spool records into deliveries, in spool order, each within MLflow's log-batch limits. A
 * record that does not fit is carried over to the next delivery, so the checkpoint only ever
 * covers whole deliveries.
 */
public final class Packer {
    private final SpoolReader reader;
    private final SpoolRecord rec = new SpoolRecord();
    private boolean carrying;
    private long position;

    public Packer(SpoolReader reader, long start) {
        this.reader = reader;
        this.position = start;
    }

    /** The next delivery, or null when no record is available now. */
    public Batch next() {
        Batch b = new Batch();
        b.end = position;
        while (carrying || reader.next(rec)) {
            if (!add(b)) {
                carrying = true;
                break;
            }
            carrying = false;
            b.records++;
            b.end = rec.end;
            if (!b.isLogBatch()) {
                break;
            }
        }
        if (b.isEmpty()) {
            return null;
        }
        position = b.end;
        return b;
    }

    /** Adds the current record to the batch; false when it belongs to the next one. */
    private boolean add(Batch b) {
        switch (rec.type) {
            case Records.METRIC -> {
                int size = rec.key.length() * 2 + 80;
                if (b.metrics.size() >= Batch.MAX_METRICS || full(b, size)) {
                    return false;
                }
                b.metrics.add(new Metric(rec.key, rec.value, rec.timestamp, rec.step));
                b.estimatedBytes += size;
            }
            case Records.PARAM -> {
                String old = b.params.get(rec.key);
                if (old != null) {
                    // the same value again folds; a different one is the server's to reject, alone
                    return old.equals(rec.text);
                }
                int size = (rec.key.length() + rec.text.length()) * 2 + 40;
                if (b.params.size() >= Batch.MAX_PARAMS || full(b, size)) {
                    return false;
                }
                b.params.put(rec.key, rec.text);
                b.estimatedBytes += size;
            }
            case Records.TAG -> {
                int size = (rec.key.length() + rec.text.length()) * 2 + 40;
                if (!b.tags.containsKey(rec.key) && (b.tags.size() >= Batch.MAX_TAGS || full(b, size))) {
                    return false;
                }
                b.tags.put(rec.key, rec.text); // tags overwrite: the last value wins
                b.estimatedBytes += size;
            }
            case Records.ARTIFACT -> {
                if (!b.isEmpty()) {
                    return false;
                }
                b.artifactPath = rec.key;
                b.artifactDir = rec.text;
            }
            case Records.INPUT -> {
                if (!b.isEmpty()) {
                    return false;
                }
                b.input = Inputs.decode(rec.text);
            }
            case Records.STATUS -> {
                if (!b.isEmpty()) {
                    return false;
                }
                b.status = RunStatus.values()[rec.status];
                b.endTime = rec.timestamp;
            }
            default -> throw new IllegalStateException("Unexpected spool record type " + rec.type);
        }
        return true;
    }

    private static boolean full(Batch b, int size) {
        return b.items() >= Batch.MAX_ITEMS || (b.items() > 0 && b.estimatedBytes + size > Batch.TARGET_BODY);
    }

    public long position() {
        return position;
    }
}
