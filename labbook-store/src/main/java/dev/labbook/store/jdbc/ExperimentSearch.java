package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Experiment;
import dev.labbook.core.model.Page;
import dev.labbook.core.model.ViewType;
import dev.labbook.core.search.Clause;
import dev.labbook.core.search.Filters;
import dev.labbook.core.search.OrderBy;
import dev.labbook.core.search.SearchGrammar;
import dev.labbook.store.ExperimentQuery;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Translates an MLflow experiment search into SQL. Default order: newest first, then id. */
final class ExperimentSearch {
    private final SqlPredicates predicates;

    ExperimentSearch(Dialect dialect) {
        this.predicates = new SqlPredicates(dialect);
    }

    Page<Experiment> search(Handle h, ExperimentQuery q) {
        List<Clause> clauses = Filters.parse(q.filter(), SearchGrammar.EXPERIMENTS);
        List<OrderBy> orderBy = Filters.parseOrderBy(q.orderBy(), SearchGrammar.EXPERIMENTS);
        long offset = PageTokens.decode(q.pageToken());
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(ExperimentDao.COLUMNS).append(" FROM experiments e WHERE 1 = 1");
        if (q.viewType() != ViewType.ALL) {
            sql.append(" AND e.lifecycle_stage = ?");
            args.add(q.viewType() == ViewType.ACTIVE_ONLY ? "active" : "deleted");
        }
        for (Clause c : clauses) {
            sql.append(" AND ");
            switch (c.type()) {
                case TAG -> {
                    args.add(c.key());
                    sql.append("EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ? AND ")
                            .append(predicates.string("t.value", c, args)).append(")");
                }
                case ATTRIBUTE -> sql.append(switch (c.key()) {
                    case "name" -> predicates.string("e.name", c, args);
                    case "creation_time", "last_update_time" -> predicates.number("e." + c.key(), c, args);
                    case "experiment_id" -> predicates.string("CAST(e.experiment_id AS TEXT)", c, args);
                    default -> throw LabbookException.invalid("Invalid attribute key '%s' in experiment filter", c.key());
                });
                default -> throw LabbookException.invalid("Experiments cannot be filtered by %s", c.type());
            }
        }
        sql.append(" ORDER BY ");
        for (OrderBy o : orderBy) {
            String column = switch (o.key()) {
                case "name", "experiment_id", "creation_time", "last_update_time" -> "e." + o.key();
                default -> throw LabbookException.invalid("Invalid order_by key '%s' for experiments", o.key());
            };
            sql.append(column).append(o.ascending() ? " ASC, " : " DESC, ");
        }
        sql.append("e.creation_time DESC, e.experiment_id ASC LIMIT ? OFFSET ?");
        args.add(q.maxResults() + 1);
        args.add(offset);
        List<Experiment> rows = ExperimentDao.list(h, sql.toString(), args.toArray());
        String next = null;
        if (rows.size() > q.maxResults()) {
            rows = rows.subList(0, q.maxResults());
            next = PageTokens.encode(offset + q.maxResults());
        }
        return new Page<>(rows, next);
    }
}
