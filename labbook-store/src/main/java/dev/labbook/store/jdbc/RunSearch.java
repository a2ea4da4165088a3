package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Page;
import dev.labbook.core.model.Run;
import dev.labbook.core.model.ViewType;
import dev.labbook.core.search.Clause;
import dev.labbook.core.search.Filters;
import dev.labbook.core.search.KeyType;
import dev.labbook.core.search.OrderBy;
import dev.labbook.core.search.SearchGrammar;
import dev.labbook.store.RunQuery;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Translates an MLflow run search into SQL over runs, with each filter clause an indexed
 * {@code EXISTS} on the latest-metric, param, tag or dataset tables, and each metric, param or tag
 * sort key a correlated lookup. Ties break by start time (newest first), then run id. A search
 * ordered first by a metric over many runs reads that metric's index in value order instead of
 * sorting every run (see {@link #metricFirst}).
 */
final class RunSearch {
    private final Dialect dialect;
    private final SqlPredicates predicates;

    RunSearch(Dialect dialect) {
        this.dialect = dialect;
        this.predicates = new SqlPredicates(dialect);
    }

    Page<Run> search(Handle h, RunQuery q) {
        Page<RunRow> rows = rows(h, q);
        return new Page<>(RunAssembler.assemble(h, rows.items()), rows.nextPageToken());
    }

    /** What a search reads of each matching run ({@code r} names the run's row). */
    record Projection<T>(String columns, RowMapper<T> mapper) {}

    /** The run's row. */
    static final Projection<RunRow> ROWS = new Projection<>(RunRow.COLUMNS, (rs, ctx) -> RunRow.map(rs));

    /** The rows of the matching runs, in order, without their data. */
    Page<RunRow> rows(Handle h, RunQuery q) {
        return rows(h, q, null, ROWS);
    }

    /**
     * The matching runs, in order, as {@code projection} reads them; only those whose change
     * number is at least {@code changedSince} when it is not null.
     */
    <T> Page<T> rows(Handle h, RunQuery q, Long changedSince, Projection<T> projection) {
        List<Clause> clauses = Filters.parse(q.filter(), SearchGrammar.RUNS);
        List<OrderBy> orderBy = Filters.parseOrderBy(q.orderBy(), SearchGrammar.RUNS);
        long offset = PageTokens.decode(q.pageToken());
        List<Long> experiments = Ids.experiments(q.experimentIds());
        if (experiments.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        List<Object> whereArgs = new ArrayList<>();
        StringBuilder where = new StringBuilder("r.experiment_id IN (").append("?,".repeat(experiments.size() - 1)).append("?)");
        whereArgs.addAll(experiments);
        if (q.viewType() != ViewType.ALL) {
            where.append(" AND r.lifecycle_stage = ?");
            whereArgs.add(q.viewType() == ViewType.ACTIVE_ONLY ? "active" : "deleted");
        }
        for (Clause c : clauses) {
            where.append(" AND ").append(predicate(c, whereArgs));
        }
        if (changedSince != null) {
            where.append(" AND r.change_seq >= ?");
            whereArgs.add(changedSince);
        }
        Filter filter = new Filter(where.toString(), whereArgs);
        int wanted = q.maxResults() + 1;
        List<T> rows = !orderBy.isEmpty() && orderBy.get(0).type() == KeyType.METRIC
                && metricFirstPays(h, experiments, offset + wanted)
                ? metricFirst(h, filter, orderBy, offset, wanted, projection)
                : select(h, "runs r", filter, null, orderBy, offset, wanted, projection);
        String next = null;
        if (rows.size() > q.maxResults()) {
            rows = rows.subList(0, q.maxResults());
            next = PageTokens.encode(offset + q.maxResults());
        }
        return new Page<>(rows, next);
    }

    /** The experiments, lifecycle and filter clauses as one SQL condition on {@code r}, with its arguments. */
    private record Filter(String sql, List<Object> args) {}

    /**
     * The matching runs in order: {@code from} names {@code r} (and any joined table), and the
     * ORDER BY is {@code leading} (an SQL sort term, or null), {@code orderBy}, then newest
     * first, then run id.
     */
    private <T> List<T> select(Handle h, String from, Filter filter, String leading, List<OrderBy> orderBy, long offset, long limit,
            Projection<T> projection) {
        List<Object> args = new ArrayList<>(filter.args());
        StringBuilder sql = new StringBuilder("SELECT ").append(projection.columns()).append(" FROM ").append(from)
                .append(" WHERE ").append(filter.sql()).append(" ORDER BY ");
        if (leading != null) {
            sql.append(leading).append(", ");
        }
        for (OrderBy o : orderBy) {
            sql.append(sortKey(o, args)).append(o.ascending() ? " ASC" : " DESC").append(" NULLS LAST, ");
        }
        sql.append("r.start_time DESC, r.run_uuid ASC LIMIT ? OFFSET ?");
        args.add(limit);
        args.add(offset);
        return SqlLists.query(h, sql.toString(), args).setFetchSize(10_000).map(projection.mapper()).list();
    }

    /**
     * True when reading the first sort key's metric in value order beats sorting every run of the
     * experiments. That read visits about {@code needed * allRuns / runsHere} series of the key
     * (the key's series spread over all experiments; a factor 4 for filters that reject rows),
     * the other about {@code runsHere} runs with a lookup per sort key, then sorts them. Counting
     * the experiments' runs reads their index, a fraction of what either plan costs; the highest
     * run key stands in for the number of all runs without a scan.
     */
    static boolean metricFirstPays(Handle h, List<Long> experiments, long needed) {
        long here = h.createQuery("SELECT COUNT(*) FROM runs WHERE experiment_id IN (" + SqlLists.ids(experiments) + ")")
                .mapTo(Long.class).one();
        long all = h.createQuery("SELECT COALESCE(MAX(run_pk), 0) FROM runs").mapTo(Long.class).one();
        return here > 0 && (double) here * here > 4.0 * needed * all;
    }

    /**
     * The plan for a search whose first sort key is a metric: the runs that have a number for it
     * come first in either direction (NaN and missing values sort last), read in value order from
     * the {@code (key, value)} index so that the query stops after the page; then, only if the
     * page is not full yet, the runs without one, ordered by the remaining keys.
     */
    private <T> List<T> metricFirst(Handle h, Filter filter, List<OrderBy> orderBy, long offset, int wanted, Projection<T> projection) {
        OrderBy first = orderBy.get(0);
        List<Object> withArgs = new ArrayList<>();
        withArgs.add(first.key());
        withArgs.addAll(filter.args());
        Filter with = new Filter("s.key = ? AND s.is_nan = 0 AND " + filter.sql(), withArgs);
        List<OrderBy> rest = orderBy.subList(1, orderBy.size());
        // the series are the outer loop (see Dialect.outerFirstJoin)
        List<T> rows = new ArrayList<>(select(h, seriesThenRuns(), with, first.ascending() ? "s.value ASC" : "s.value DESC",
                rest, offset, wanted, projection));
        if (rows.size() == wanted) {
            return rows;
        }
        long withCount = !rows.isEmpty() || offset == 0 ? offset + rows.size() : count(h, with);
        List<Object> withoutArgs = new ArrayList<>(filter.args());
        withoutArgs.add(first.key());
        Filter without = new Filter(filter.sql() + " AND NOT EXISTS (SELECT 1 FROM metric_series m WHERE m.run_pk = r.run_pk"
                + " AND m.key = ? AND m.is_nan = 0)", withoutArgs);
        rows.addAll(select(h, "runs r", without, null, rest, Math.max(0, offset - withCount), wanted - rows.size(), projection));
        return rows;
    }

    private String seriesThenRuns() {
        return "metric_series s " + dialect.outerFirstJoin() + " runs r ON r.run_pk = s.run_pk";
    }

    private long count(Handle h, Filter with) {
        return SqlLists.query(h, "SELECT COUNT(*) FROM " + seriesThenRuns() + " WHERE " + with.sql(), with.args()).mapTo(Long.class).one();
    }

    private String predicate(Clause c, List<Object> args) {
        return switch (c.type()) {
            case METRIC -> {
                args.add(c.key());
                yield "EXISTS (SELECT 1 FROM metric_series m WHERE m.run_pk = r.run_pk AND m.key = ? AND m.is_nan = 0 AND "
                        + predicates.number("m.value", c, args) + ")";
            }
            case PARAM -> {
                args.add(c.key());
                yield "EXISTS (SELECT 1 FROM params p WHERE p.run_pk = r.run_pk AND p.key = ? AND "
                        + predicates.string("p.value", c, args) + ")";
            }
            case TAG -> {
                args.add(c.key());
                yield "EXISTS (SELECT 1 FROM tags t WHERE t.run_pk = r.run_pk AND t.key = ? AND "
                        + predicates.string("t.value", c, args) + ")";
            }
            case ATTRIBUTE -> attribute(c, args);
            case DATASET -> dataset(c, args);
        };
    }

    private String attribute(Clause c, List<Object> args) {
        return switch (c.key()) {
            case "start_time", "end_time" -> predicates.number("r." + c.key(), c, args);
            case "run_id" -> predicates.string("r.run_uuid", c, args);
            case "run_name" -> predicates.string("r.name", c, args);
            case "status", "user_id", "artifact_uri", "lifecycle_stage" -> predicates.string("r." + c.key(), c, args);
            default -> throw LabbookException.invalid("Invalid attribute key '%s' in search filter", c.key());
        };
    }

    private String dataset(Clause c, List<Object> args) {
        if (c.key().equals("context")) {
            return "EXISTS (SELECT 1 FROM run_input_tags it WHERE it.run_pk = r.run_pk AND it.key = 'mlflow.data.context' AND "
                    + predicates.string("it.value", c, args) + ")";
        }
        if (!c.key().equals("name") && !c.key().equals("digest")) {
            throw LabbookException.invalid("Invalid dataset key '%s' in search filter", c.key());
        }
        return "EXISTS (SELECT 1 FROM run_inputs ri JOIN datasets d ON d.dataset_pk = ri.dataset_pk WHERE ri.run_pk = r.run_pk AND "
                + predicates.string("d." + c.key(), c, args) + ")";
    }

    private String sortKey(OrderBy o, List<Object> args) {
        if (o.type() == KeyType.ATTRIBUTE) {
            return switch (o.key()) {
                case "run_id" -> "r.run_uuid";
                case "run_name" -> "r.name";
                case "start_time", "end_time", "status", "user_id", "artifact_uri" -> "r." + o.key();
                default -> throw LabbookException.invalid("Invalid order_by attribute '%s'", o.key());
            };
        }
        args.add(o.key());
        return switch (o.type()) {
            // NaN sorts with the missing values, after every number
            case METRIC -> "(SELECT CASE WHEN m.is_nan = 1 THEN NULL ELSE m.value END FROM metric_series m WHERE m.run_pk = r.run_pk AND m.key = ?)";
            case PARAM -> "(SELECT p.value FROM params p WHERE p.run_pk = r.run_pk AND p.key = ?)";
            case TAG -> "(SELECT t.value FROM tags t WHERE t.run_pk = r.run_pk AND t.key = ?)";
            default -> throw LabbookException.invalid("Invalid order_by key '%s'", o.key());
        };
    }
}
