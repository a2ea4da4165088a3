package dev.labbook.client.internal;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunTag;
import dev.labbook.core.validation.Validation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Delivers log-batches so that entries the server refuses cost only themselves. A server answers
 * a log-batch as a whole: one invalid entry (a key it does not accept, a param re-logged with
 * another value) fails the request with a 400 and none of it is stored. Then the batch is split in
 * halves, halves that fail are split again, until each refused entry stands alone; those are
 * dropped and reported (see {@link Rejections}), everything else is delivered. When the first half
 * of a refused part goes through, the second is split again without being sent whole: about
 * log2(n) to 2 log2(n) requests isolate one refused entry among n.
 *
 * <p>Sending again what was already stored is harmless: the server stores an identical metric
 * point once, and accepts a param or tag again with the same value. So a retryable failure in the
 * middle only pauses the queue of parts, which survives until the delivery is acknowledged; and a
 * process dying mid-way replays the whole delivery from the checkpoint without duplicates.
 *
 * <p>Entries that fail the client's own validation (the server's rules, from {@link Validation})
 * are sent apart from the start, so a good batch is not bisected for them; the server's answer
 * still decides. Metric points of such a key, or of a key the server refused before, go in one
 * request per key, whose answer decides for all of them: a key logged at every step would
 * otherwise be bisected out of every batch again.
 */
final class Isolator {
    private final Backend backend;
    private final Rejections rejections;
    /** Per metric key seen: whether it passes the client's validation. */
    private final Map<String, Boolean> validKeys = new HashMap<>();
    /** Metric keys whose points the server refused; accepted points of a key take it out again. */
    private final Set<String> refusedKeys = new HashSet<>();
    /** What is left to send of the current delivery, in order; null before it was planned. */
    private Deque<Part> parts;
    /** Whether the current delivery already asked the server if the run still exists. */
    private boolean probed;

    /**
     * Part of a delivery.
     *
     * @param key non-null when every entry is a metric point of this suspect key
     * @param firstHalf true for the first half of a refused part: the second half follows it in the queue
     * @param blamed true when it is known to hold a refused entry (its first half went through),
     *     so it is split again without being sent whole
     */
    private record Part(Batch batch, String key, boolean firstHalf, boolean blamed) {
        Part(Batch batch, String key) {
            this(batch, key, false, false);
        }
    }

    Isolator(Backend backend, Rejections rejections) {
        this.backend = backend;
        this.rejections = rejections;
    }

    /**
     * Delivers {@code b}, or what is left of it after an earlier call failed. Returns when every
     * entry was delivered or refused alone; throws a retryable failure (call again later with the
     * same batch), or a failure of the whole request that splitting cannot help: the run no
     * longer exists ({@link ErrorCode#RESOURCE_DOES_NOT_EXIST}, also when it was deleted), or the
     * server refuses the client (401, 403).
     */
    void deliver(String runId, Batch b) {
        if (parts == null) {
            parts = plan(b);
            probed = false;
        }
        while (!parts.isEmpty()) {
            Part p = parts.peekFirst();
            if (p.blamed() && p.batch().items() > 1) {
                parts.removeFirst();
                split(p);
                continue;
            }
            try {
                backend.logBatch(runId, p.batch());
                parts.removeFirst();
                if (p.key() != null) {
                    refusedKeys.remove(p.key());
                }
                if (p.firstHalf()) {
                    // their whole was refused and this half is fine: the refused entries are in the other half
                    Part second = parts.removeFirst();
                    parts.addFirst(new Part(second.batch(), null, false, true));
                }
            } catch (LabbookException e) {
                if (e.code().httpStatus() != 400) {
                    throw e; // retryable, or about the request as a whole
                }
                if (!probed) {
                    // a deleted run fails every request with a 400 too: no entry is to blame
                    boolean gone = backend.runGone(runId);
                    probed = true;
                    if (gone) {
                        throw new LabbookException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                                "deleted: " + e.getMessage(), e);
                    }
                }
                parts.removeFirst();
                if (p.key() != null || p.batch().items() == 1) {
                    refuse(p.batch(), e, runId);
                } else {
                    split(p);
                }
            }
        }
    }

    /** Puts the halves of a refused part at the head of the queue, in order. */
    private void split(Part p) {
        Batch[] halves = p.batch().split();
        parts.addFirst(new Part(halves[1], null));
        parts.addFirst(new Part(halves[0], null, true, false));
    }

    /** Forgets the current delivery once it is acknowledged (or dropped). */
    void reset() {
        parts = null;
    }

    /** The delivery as parts: its entries that look fine together, then each suspect apart. */
    private Deque<Part> plan(Batch b) {
        Deque<Part> out = new ArrayDeque<>(4);
        if (!hasSuspects(b)) {
            out.add(new Part(b, null)); // the usual case: no copy
            return out;
        }
        Batch clean = new Batch();
        Map<String, Batch> byKey = new LinkedHashMap<>();
        for (Metric m : b.metrics) {
            if (suspect(m.key())) {
                byKey.computeIfAbsent(m.key(), k -> new Batch()).metrics.add(m);
            } else {
                clean.metrics.add(m);
            }
        }
        Deque<Part> alone = new ArrayDeque<>();
        b.params.forEach((k, v) -> {
            if (valid(() -> Validation.validateParam(new Param(k, v)))) {
                clean.params.put(k, v);
            } else {
                Batch one = new Batch();
                one.params.put(k, v);
                alone.add(new Part(one, null));
            }
        });
        b.tags.forEach((k, v) -> {
            if (valid(() -> Validation.validateRunTag(new RunTag(k, v)))) {
                clean.tags.put(k, v);
            } else {
                Batch one = new Batch();
                one.tags.put(k, v);
                alone.add(new Part(one, null));
            }
        });
        if (clean.items() > 0) {
            out.add(new Part(clean, null));
        }
        byKey.forEach((k, points) -> out.add(new Part(points, k)));
        out.addAll(alone);
        return out;
    }

    private boolean hasSuspects(Batch b) {
        for (Metric m : b.metrics) {
            if (suspect(m.key())) {
                return true;
            }
        }
        for (var e : b.params.entrySet()) {
            if (!valid(() -> Validation.validateParam(new Param(e.getKey(), e.getValue())))) {
                return true;
            }
        }
        for (var e : b.tags.entrySet()) {
            if (!valid(() -> Validation.validateRunTag(new RunTag(e.getKey(), e.getValue())))) {
                return true;
            }
        }
        return false;
    }

    private boolean suspect(String key) {
        Boolean ok = validKeys.get(key);
        if (ok == null) {
            ok = valid(() -> Validation.validateKey(key, "metric"));
            validKeys.put(key, ok);
        }
        return !ok || refusedKeys.contains(key);
    }

    private static boolean valid(Runnable check) {
        try {
            check.run();
            return true;
        } catch (LabbookException e) {
            return false;
        }
    }

    /** Drops a part the server refused, reporting its entries by key. */
    private void refuse(Batch b, LabbookException e, String runId) {
        Map<String, Long> points = new LinkedHashMap<>();
        for (Metric m : b.metrics) {
            points.merge(m.key(), 1L, Long::sum);
        }
        String where = backend.describe();
        points.forEach((k, n) -> {
            refusedKeys.add(k);
            rejections.add("metric", k, n, e, runId, where);
        });
        b.params.keySet().forEach(k -> rejections.add("param", k, 1, e, runId, where));
        b.tags.keySet().forEach(k -> rejections.add("tag", k, 1, e, runId, where));
    }
}
