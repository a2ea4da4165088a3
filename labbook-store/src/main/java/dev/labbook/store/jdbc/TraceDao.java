package dev.labbook.store.jdbc;

import dev.labbook.core.trace.TraceInfo;
import dev.labbook.core.trace.TraceState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL of the trace aggregate: {@code trace_info} with its tags, request metadata and run links. */
final class TraceDao {
    /** The columns {@link #list} expects, in order, from {@code trace_info t}. */
    static final String COLUMNS = "t.trace_id, t.experiment_id, t.request_time, t.execution_duration, t.state, "
            + "t.client_request_id, t.request_preview, t.response_preview";

    /** The key/value tables of a trace. */
    enum Pairs {
        TAGS("trace_tags"), METADATA("trace_request_metadata");

        final String table;

        Pairs(String table) {
            this.table = table;
        }
    }

    private TraceDao() {}

    static boolean exists(Handle h, String traceId) {
        return h.createQuery("SELECT 1 FROM trace_info WHERE trace_id = ?").bind(0, traceId)
                .mapTo(Integer.class).findOne().isPresent();
    }

    static void insert(Handle h, String traceId, long experimentId, long requestTime, Long duration,
            TraceState state, String clientRequestId, String requestPreview, String responsePreview) {
        h.createUpdate("INSERT INTO trace_info (trace_id, experiment_id, request_time, execution_duration, state, "
                        + "client_request_id, request_preview, response_preview) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, traceId).bind(1, experimentId).bind(2, requestTime).bind(3, duration)
                .bind(4, state.name()).bind(5, clientRequestId).bind(6, requestPreview).bind(7, responsePreview)
                .execute();
    }

    /** Replaces the attributes of a stored trace; null previews and request ids keep the old ones. */
    static void update(Handle h, String traceId, long requestTime, Long duration, TraceState state,
            String clientRequestId, String requestPreview, String responsePreview) {
        h.createUpdate("UPDATE trace_info SET request_time = ?, execution_duration = ?, state = ?, "
                        + "client_request_id = COALESCE(?, client_request_id), request_preview = COALESCE(?, request_preview), "
                        + "response_preview = COALESCE(?, response_preview) WHERE trace_id = ?")
                .bind(0, requestTime).bind(1, duration).bind(2, state.name()).bind(3, clientRequestId)
                .bind(4, requestPreview).bind(5, responsePreview).bind(6, traceId)
                .execute();
    }

    static void end(Handle h, String traceId, long duration, TraceState state) {
        h.createUpdate("UPDATE trace_info SET execution_duration = ?, state = ? WHERE trace_id = ?")
                .bind(0, duration).bind(1, state.name()).bind(2, traceId).execute();
    }

    /** Inserts or replaces each pair; a null value is stored as the empty string. */
    static void put(Handle h, Pairs table, String traceId, Map<String, String> pairs) {
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            h.createUpdate("INSERT INTO " + table.table + " (trace_id, key, value) VALUES (?, ?, ?) "
                            + "ON CONFLICT (trace_id, key) DO UPDATE SET value = excluded.value")
                    .bind(0, traceId).bind(1, e.getKey()).bind(2, e.getValue() == null ? "" : e.getValue())
                    .execute();
        }
    }

    /** Deletes a pair; false when there was none. */
    static boolean remove(Handle h, Pairs table, String traceId, String key) {
        return h.createUpdate("DELETE FROM " + table.table + " WHERE trace_id = ? AND key = ?")
                .bind(0, traceId).bind(1, key).execute() > 0;
    }

    static void link(Handle h, String traceId, String runId) {
        h.createUpdate("INSERT INTO trace_run_links (trace_id, run_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .bind(0, traceId).bind(1, runId).execute();
    }

    static Optional<TraceInfo> get(Handle h, String traceId) {
        return list(h, "SELECT " + COLUMNS + " FROM trace_info t WHERE t.trace_id = ?", traceId).stream().findFirst();
    }

    /** The ids of the experiment's traces matching {@code where} (over {@code trace_info t}). */
    static List<String> ids(Handle h, String where, Object... args) {
        var q = h.createQuery("SELECT t.trace_id FROM trace_info t WHERE " + where);
        for (int i = 0; i < args.length; i++) {
            q.bind(i, args[i]);
        }
        return q.mapTo(String.class).list();
    }

    /** Deletes the traces and everything that hangs off them. */
    static int delete(Handle h, List<String> traceIds) {
        int deleted = 0;
        // in chunks, under every database's limit on bound parameters
        for (int from = 0; from < traceIds.size(); from += 500) {
            List<String> chunk = traceIds.subList(from, Math.min(traceIds.size(), from + 500));
            String in = " WHERE trace_id IN (" + "?,".repeat(chunk.size() - 1) + "?)";
            for (String table : List.of("trace_tags", "trace_request_metadata", "trace_run_links")) {
                bindAll(h.createUpdate("DELETE FROM " + table + in), chunk).execute();
            }
            deleted += bindAll(h.createUpdate("DELETE FROM trace_info" + in), chunk).execute();
        }
        return deleted;
    }

    private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindAll(S statement, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            statement.bind(i, values.get(i));
        }
        return statement;
    }

    /** Runs {@code sql} (selecting {@link #COLUMNS}) and attaches each trace's tags and metadata. */
    static List<TraceInfo> list(Handle h, String sql, Object... args) {
        var q = h.createQuery(sql);
        for (int i = 0; i < args.length; i++) {
            q.bind(i, args[i]);
        }
        List<Row> rows = q.map((rs, ctx) -> Row.of(rs)).list();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> ids = rows.stream().map(Row::traceId).toList();
        Map<String, Map<String, String>> tags = pairs(h, Pairs.TAGS, ids);
        Map<String, Map<String, String>> metadata = pairs(h, Pairs.METADATA, ids);
        List<TraceInfo> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new TraceInfo(r.traceId(), Long.toString(r.experimentId()), r.requestTime(), r.duration(),
                    TraceState.valueOf(r.state()), r.clientRequestId(), r.requestPreview(), r.responsePreview(),
                    metadata.getOrDefault(r.traceId(), Map.of()), tags.getOrDefault(r.traceId(), Map.of())));
        }
        return out;
    }

    private static Map<String, Map<String, String>> pairs(Handle h, Pairs table, List<String> ids) {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            var q = bindAll(h.createQuery("SELECT trace_id, key, value FROM " + table.table
                    + " WHERE trace_id IN (" + "?,".repeat(chunk.size() - 1) + "?)"), chunk);
            q.map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                    .forEach(p -> out.computeIfAbsent(p[0], k -> new LinkedHashMap<>()).put(p[1], p[2]));
        }
        return out;
    }

    private record Row(String traceId, long experimentId, long requestTime, Long duration, String state,
            String clientRequestId, String requestPreview, String responsePreview) {
        static Row of(ResultSet rs) throws SQLException {
            long duration = rs.getLong(4);
            Long d = rs.wasNull() ? null : duration;
            return new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), d, rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8));
        }
    }
}
