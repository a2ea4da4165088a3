package dev.labbook.client.internal;

import dev.labbook.client.DeliveryReport;
import dev.labbook.client.DeliveryReport.Rejection;
import dev.labbook.core.LabbookException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entries of one run the server refused, by kind and key. The first refusal of a key gets an
 * error line with the server's answer; later ones of the same key (a bad metric key is logged at
 * every step) are counted, and only logged at debug level, so one mistake does not flood the log.
 * Written by the sender thread, read by whoever asks for a report.
 */
final class Rejections {
    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    /** The first {@link DeliveryReport#MAX_REJECTIONS_LISTED} keys refused, for reports. */
    private final Map<String, Rejection> byKey = new LinkedHashMap<>();
    /** Every key refused so far, for logging each one once. */
    private final Set<String> logged = new HashSet<>();
    private long total;

    /** Records that the server refused {@code count} entries of {@code kind} and {@code key} with {@code e}. */
    synchronized void add(String kind, String key, long count, LabbookException e, String runId, String where) {
        total += count;
        String id = kind + '\u0000' + key;
        Rejection listed = byKey.get(id);
        if (listed != null) {
            byKey.put(id, new Rejection(kind, key, listed.count() + count, listed.errorCode(), listed.message()));
        } else if (byKey.size() < DeliveryReport.MAX_REJECTIONS_LISTED) {
            byKey.put(id, new Rejection(kind, key, count, e.code().name(), e.getMessage()));
        }
        if (!logged.add(id)) {
            LOG.debug("{} rejected {} more {} '{}' of run {}: {} {}", where, count, kind, shown(key), runId, e.code(), e.getMessage());
            return;
        }
        LOG.error("{} rejected {} '{}' of run {}{}: {} {} -- dropped, not retried; the other entries of its batch are delivered{}",
                where, kind, shown(key), runId, count > 1 ? " (" + count + " entries)" : "", e.code(), e.getMessage(),
                kind.equals("metric") ? "; later refusals of this key are only counted, in the run's delivery report" : "");
    }

    /** A key as logged: a runaway key (the server refuses keys over 250 characters) is cut. */
    private static String shown(String key) {
        return key.length() <= 250 ? key : key.substring(0, 250) + "...";
    }

    synchronized long total() {
        return total;
    }

    synchronized List<Rejection> list() {
        return new ArrayList<>(byKey.values());
    }
}
