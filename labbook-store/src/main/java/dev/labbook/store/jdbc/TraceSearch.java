package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Page;
import dev.labbook.core.search.Clause;
import dev.labbook.core.search.Filters;
import dev.labbook.core.search.KeyType;
import dev.labbook.core.search.OrderBy;
import dev.labbook.core.search.SearchGrammar;
import dev.labbook.core.trace.TraceInfo;
import dev.labbook.store.TraceQuery;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Translates an MLflow trace search into SQL. Tags and request metadata are matched with
 * {@code EXISTS} on their key, so a comparison (even {@code !=}) only matches traces that have the
 * key, as in MLflow. {@code name} is the {@code mlflow.traceName} tag and {@code run_id} the
 * {@code mlflow.sourceRun} metadata or a link made by link-to-run. Default order: newest first,
 * then by id; missing sort values last.
 */
final class TraceSearch {
    private final SqlPredicates predicates;

    TraceSearch(Dialect dialect) {
        this.predicates = new SqlPredicates(dialect);
    }

    Page<TraceInfo> search(Handle h, TraceQuery q) {
        List<Clause> clauses = Filters.parse(q.filter(), SearchGrammar.TRACES);
        List<OrderBy> orderBy = Filters.parseOrderBy(q.orderBy(), SearchGrammar.TRACES);
        long offset = PageTokens.decode(q.pageToken());
        List<Long> experiments = Ids.experiments(q.experimentIds());
        if (experiments.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(TraceDao.COLUMNS).append(" FROM trace_info t WHERE t.experiment_id IN (")
                .append(SqlLists.ids(experiments)).append(')');
        for (Clause c : clauses) {
            sql.append(" AND ").append(predicate(c, args));
        }
        // ordering values are bound after the filter's, as they appear later in the statement
        List<String> terms = new ArrayList<>();
        boolean byTime = false;
        boolean byId = false;
        for (OrderBy o : orderBy) {
            String value = sortValue(o, args);
            terms.add("(" + value + ") IS NULL");
            terms.add(value + (o.ascending() ? " ASC" : " DESC"));
            boolean attribute = o.type() == KeyType.ATTRIBUTE;
            byTime |= attribute && o.key().equals("timestamp_ms");
            byId |= attribute && o.key().equals("request_id");
        }
        if (!byTime) {
            terms.add("t.request_time DESC");
        }
        if (!byId) {
            terms.add("t.trace_id ASC");
        }
        sql.append(" ORDER BY ").append(String.join(", ", terms)).append(" LIMIT ? OFFSET ?");
        args.add(q.maxResults() + 1);
        args.add(offset);
        List<TraceInfo> rows = TraceDao.list(h, sql.toString(), args.toArray());
        String next = null;
        if (rows.size() > q.maxResults()) {
            rows = rows.subList(0, q.maxResults());
            next = PageTokens.encode(offset + q.maxResults());
        }
        return new Page<>(rows, next);
    }

    private String predicate(Clause c, List<Object> args) {
        return switch (c.type()) {
            case TAG -> pair("trace_tags", c.key(), c, args);
            case PARAM -> pair("trace_request_metadata", c.key(), c, args);
            case ATTRIBUTE -> switch (c.key()) {
                case "request_id" -> predicates.string("t.trace_id", c, args);
                case "status" -> predicates.string("t.state", c, args);
                case "client_request_id" -> predicates.string("t.client_request_id", c, args);
                case "timestamp_ms" -> predicates.number("t.request_time", c, args);
                case "execution_time_ms" -> predicates.number("t.execution_duration", c, args);
                case "name" -> pair("trace_tags", TraceInfo.NAME_TAG, c, args);
                case "run_id" -> runPredicate(c, args);
                default -> throw LabbookException.invalid("Invalid attribute key '%s' in trace filter", c.key());
            };
            default -> throw LabbookException.invalid("Traces cannot be filtered by %s keys", c.type());
        };
    }

    /** The trace has the key, with a value matching the comparison. */
    private String pair(String table, String key, Clause c, List<Object> args) {
        args.add(key);
        return "EXISTS (SELECT 1 FROM " + table + " p WHERE p.trace_id = t.trace_id AND p.key = ? AND "
                + predicates.string("p.value", c, args) + ")";
    }

    /** The run the trace was logged under, or one it was linked to, matches. */
    private String runPredicate(Clause c, List<Object> args) {
        String logged = pair("trace_request_metadata", TraceInfo.SOURCE_RUN_METADATA, c, args);
        String linked = "EXISTS (SELECT 1 FROM trace_run_links l WHERE l.trace_id = t.trace_id AND "
                + predicates.string("l.run_id", c, args) + ")";
        return "(" + logged + " OR " + linked + ")";
    }

    private static String sortValue(OrderBy o, List<Object> args) {
        return switch (o.type()) {
            case TAG -> pairValue("trace_tags", o.key(), args);
            case PARAM -> pairValue("trace_request_metadata", o.key(), args);
            case ATTRIBUTE -> switch (o.key()) {
                case "timestamp_ms" -> "t.request_time";
                case "execution_time_ms" -> "t.execution_duration";
                case "status" -> "t.state";
                case "request_id" -> "t.trace_id";
                case "experiment_id" -> "t.experiment_id";
                case "name" -> pairValue("trace_tags", TraceInfo.NAME_TAG, args);
                case "run_id" -> pairValue("trace_request_metadata", TraceInfo.SOURCE_RUN_METADATA, args);
                default -> throw LabbookException.invalid("Invalid order_by key '%s' for traces", o.key());
            };
            default -> throw LabbookException.invalid("Traces cannot be sorted by %s keys", o.type());
        };
    }

    /** A scalar subquery for the value of a tag or metadata key; it appears twice, so binds twice. */
    private static String pairValue(String table, String key, List<Object> args) {
        args.add(key);
        args.add(key);
        return "(SELECT p.value FROM " + table + " p WHERE p.trace_id = t.trace_id AND p.key = ?)";
    }
}
