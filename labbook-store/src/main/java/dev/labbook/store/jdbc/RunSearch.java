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
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Translates an MLflow run search into one SQL query over runs, with each filter clause an
 * indexed {@code EXISTS} on the latest-metric, param, tag or dataset tables, and each metric,
 * param or tag sort key a correlated lookup. Ties break by start time (newest first), then run id.
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

    /** The rows of the matching runs, in order, without their data. */
    Page<RunRow> rows(Handle h, RunQuery q) {
        List<Clause> clauses = Filters.parse(q.filter(), SearchGrammar.RUNS);
        List<OrderBy> orderBy = Filters.parseOrderBy(q.orderBy(), SearchGrammar.RUNS);
        long offset = PageTokens.decode(q.pageToken());
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(RunRow.COLUMNS).append(" FROM runs r WHERE ");
        List<Long> experiments = new ArrayList<>();
        for (String id : q.experimentIds()) {
            OptionalLong n = Ids.experiment(id);
            n.ifPresent(experiments::add);
        }
        if (experiments.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        sql.append("r.experiment_id IN (").append("?,".repeat(experiments.size() - 1)).append("?)");
        args.addAll(experiments);
        if (q.viewType() != ViewType.ALL) {
            sql.append(" AND r.lifecycle_stage = ?");
            args.add(q.viewType() == ViewType.ACTIVE_ONLY ? "active" : "deleted");
        }
        for (Clause c : clauses) {
            sql.append(" AND ").append(predicate(c, args));
        }
        sql.append(" ORDER BY ");
        for (OrderBy o : orderBy) {
            sql.append(sortKey(o, args)).append(o.ascending() ? " ASC" : " DESC").append(" NULLS LAST, ");
        }
        sql.append("r.start_time DESC, r.run_uuid ASC LIMIT ? OFFSET ?");
        args.add(q.maxResults() + 1);
        args.add(offset);
        var query = h.createQuery(sql.toString());
        for (int i = 0; i < args.size(); i++) {
            query.bind(i, args.get(i));
        }
        List<RunRow> rows = query.map((rs, ctx) -> RunRow.map(rs)).list();
        String next = null;
        if (rows.size() > q.maxResults()) {
            rows = rows.subList(0, q.maxResults());
            next = PageTokens.encode(offset + q.maxResults());
        }
        return new Page<>(rows, next);
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
