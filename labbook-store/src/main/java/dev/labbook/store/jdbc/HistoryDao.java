package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Page;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Reads metric histories in pages. Pages continue after the last row returned (keyset paging on
 * the primary key), so page 40 of a million-point series costs what page 1 does.
 */
final class HistoryDao {
    private HistoryDao() {}

    static Page<Metric> page(Handle h, long seriesId, String key, int maxResults, String pageToken) {
        long[] after = decode(pageToken);
        String where = after == null ? "series_id = ?"
                : "series_id = ? AND (step, timestamp, value, is_nan) > (?, ?, ?, ?)";
        var q = h.createQuery("SELECT step, timestamp, value, is_nan FROM metric_points WHERE " + where
                        + " ORDER BY step, timestamp, value, is_nan LIMIT ?")
                .bind(0, seriesId);
        int i = 1;
        if (after != null) {
            q.bind(i++, after[0]).bind(i++, after[1]).bind(i++, Double.longBitsToDouble(after[2])).bind(i++, after[3]);
        }
        q.bind(i, maxResults + 1);
        List<long[]> raw = q.map((rs, ctx) -> new long[] {
                rs.getLong(1), rs.getLong(2), Double.doubleToRawLongBits(rs.getDouble(3)), rs.getInt(4)}).list();
        String next = null;
        if (raw.size() > maxResults) {
            raw = raw.subList(0, maxResults);
            next = encode(raw.get(maxResults - 1));
        }
        List<Metric> out = new java.util.ArrayList<>(raw.size());
        for (long[] r : raw) {
            double v = r[3] == 1 ? Double.NaN : Double.longBitsToDouble(r[2]);
            out.add(new Metric(key, v, r[1], r[0]));
        }
        return new Page<>(out, next);
    }

    private static String encode(long[] row) {
        String s = "after:" + row[0] + ":" + row[1] + ":" + row[2] + ":" + row[3];
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static long[] decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] p = s.split(":");
            if (p.length == 5 && p[0].equals("after")) {
                return new long[] {Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]), Long.parseLong(p[4])};
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw LabbookException.invalid("Invalid page token '%s'", token);
    }
}
