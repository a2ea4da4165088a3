package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.loggedmodel.LoggedModel;
import dev.labbook.core.loggedmodel.LoggedModelStatus;
import dev.labbook.core.model.Page;
import dev.labbook.core.search.Clause;
import dev.labbook.core.search.Comparator;
import dev.labbook.core.search.Filters;
import dev.labbook.core.search.KeyType;
import dev.labbook.core.search.SearchGrammar;
import dev.labbook.store.LoggedModelQuery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * logged-models/search as one SQL statement: attribute clauses on the model's row, metric,
 * param and tag clauses as EXISTS over their tables (a metric clause matches when any point of
 * the metric, on one of the requested datasets if any, satisfies it, as in MLflow), metric sort
 * keys by the metric's latest point. Offset paging, with a token bound to the query it came from.
 */
final class LoggedModelSearch {
    private static final Map<String, String> COLUMNS = Map.of(
            "name", "m.name",
            "model_id", "m.model_id",
            "model_type", "m.model_type",
            "status", "m.status",
            "source_run_id", "m.source_run_id",
            "creation_timestamp", "m.creation_timestamp_ms",
            "last_updated_timestamp", "m.last_updated_timestamp_ms");

    private final SqlPredicates predicates;

    LoggedModelSearch(Dialect dialect) {
        this.predicates = new SqlPredicates(dialect);
    }

    Page<LoggedModel> search(Handle h, LoggedModelQuery q) {
        for (LoggedModelQuery.DatasetFilter d : q.datasets()) {
            if (d.datasetName() == null || d.datasetName().isEmpty()) {
                throw LabbookException.invalid("`dataset_name` in the `datasets` clause must be specified.");
            }
        }
        List<Clause> clauses = Filters.parse(q.filter(), SearchGrammar.LOGGED_MODELS);
        long offset = PageToken.decode(q.pageToken(), fingerprint(q));
        List<Long> experiments = Ids.experiments(q.experimentIds());
        if (experiments.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(LoggedModelRow.COLUMNS)
                .append(" FROM logged_models m WHERE m.lifecycle_stage = 'active' AND m.experiment_id IN (")
                .append(SqlLists.ids(experiments)).append(')');
        boolean metricClause = false;
        for (Clause c : clauses) {
            sql.append(" AND ").append(predicate(c, q.datasets(), args));
            metricClause |= c.type() == KeyType.METRIC;
        }
        if (!q.datasets().isEmpty() && !metricClause) {
            // datasets without metric clauses: the models with any metric on those datasets
            sql.append(" AND EXISTS (SELECT 1 FROM logged_model_metrics x WHERE x.model_pk = m.model_pk AND ")
                    .append(datasets(q.datasets(), args)).append(')');
        }
        sql.append(" ORDER BY ").append(order(q.orderBy(), args)).append(" LIMIT ? OFFSET ?");
        args.add(q.maxResults() + 1);
        args.add(offset);
        List<LoggedModelRow> rows = SqlLists.query(h, sql.toString(), args).map((rs, ctx) -> LoggedModelRow.map(rs)).list();
        String next = null;
        if (rows.size() > q.maxResults()) {
            rows = rows.subList(0, q.maxResults());
            next = PageToken.encode(offset + q.maxResults(), fingerprint(q));
        }
        return new Page<>(LoggedModelAssembler.assemble(h, rows), next);
    }

    private String predicate(Clause c, List<LoggedModelQuery.DatasetFilter> datasets, List<Object> args) {
        switch (c.type()) {
            case ATTRIBUTE -> {
                String column = COLUMNS.get(c.key());
                if (c.value() instanceof Double) {
                    return predicates.number(column, c, args);
                }
                if (c.key().equals("status") && (c.comparator() == Comparator.EQ || c.comparator() == Comparator.NEQ)) {
                    c = new Clause(c.type(), c.key(), c.comparator(), status(c.string()));
                }
                return predicates.string(column, c, args);
            }
            case METRIC -> {
                args.add(c.key());
                StringBuilder s = new StringBuilder("EXISTS (SELECT 1 FROM logged_model_metrics x WHERE x.model_pk = m.model_pk"
                        + " AND x.key = ? AND x.is_nan = 0 AND ").append(predicates.number("x.value", c, args));
                if (!datasets.isEmpty()) {
                    s.append(" AND ").append(datasets(datasets, args));
                }
                return s.append(')').toString();
            }
            case PARAM -> {
                args.add(c.key());
                return "EXISTS (SELECT 1 FROM logged_model_params p WHERE p.model_pk = m.model_pk AND p.key = ? AND "
                        + predicates.string("p.value", c, args) + ")";
            }
            case TAG -> {
                args.add(c.key());
                return "EXISTS (SELECT 1 FROM logged_model_tags t WHERE t.model_pk = m.model_pk AND t.key = ? AND "
                        + predicates.string("t.value", c, args) + ")";
            }
            default -> throw new IllegalStateException("Not a logged-model key type: " + c.type());
        }
    }

    /** A status as stored (its protobuf name) when the filter names one; else the text as written. */
    private static String status(String value) {
        try {
            return LoggedModelStatus.parse(value).name();
        } catch (LabbookException e) {
            return value;
        }
    }

    /** {@code (x.dataset_name = ? [AND x.dataset_digest = ?]) OR ...} in parentheses. */
    private static String datasets(List<LoggedModelQuery.DatasetFilter> datasets, List<Object> args) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < datasets.size(); i++) {
            LoggedModelQuery.DatasetFilter d = datasets.get(i);
            s.append(i == 0 ? "" : " OR ").append("(x.dataset_name = ?");
            args.add(d.datasetName());
            if (d.datasetDigest() != null && !d.datasetDigest().isEmpty()) {
                s.append(" AND x.dataset_digest = ?");
                args.add(d.datasetDigest());
            }
            s.append(')');
        }
        return s.append(')').toString();
    }

    /**
     * The sort keys, nulls last, then MLflow's tie-breakers: creation time, newest first
     * (unless sorted by it already), then model id.
     */
    private static String order(List<LoggedModelQuery.Order> orderBy, List<Object> args) {
        List<String> keys = new ArrayList<>();
        boolean byCreation = false;
        boolean byId = false;
        for (LoggedModelQuery.Order o : orderBy) {
            String field = o.fieldName() == null ? "" : o.fieldName().trim();
            if (field.isEmpty()) {
                throw LabbookException.invalid("`field_name` in the `order_by` clause must be specified.");
            }
            if (o.datasetDigest() != null && !o.datasetDigest().isEmpty() && (o.datasetName() == null || o.datasetName().isEmpty())) {
                throw LabbookException.invalid("`dataset_digest` can only be specified if `dataset_name` is also specified.");
            }
            String expr;
            int dot = field.indexOf('.');
            if (dot >= 0) {
                String entity = field.substring(0, dot);
                if (!entity.equals("metrics")) {
                    throw LabbookException.invalid("Invalid order by field name: %s, only `metrics.<name>` is allowed.", entity);
                }
                String key = unquote(field.substring(dot + 1));
                StringBuilder e = new StringBuilder("(SELECT CASE WHEN x.is_nan = 1 THEN NULL ELSE x.value END"
                        + " FROM logged_model_metrics x WHERE x.model_pk = m.model_pk AND x.key = ?");
                args.add(key);
                if (o.datasetName() != null && !o.datasetName().isEmpty()) {
                    e.append(" AND x.dataset_name = ?");
                    args.add(o.datasetName());
                    if (o.datasetDigest() != null && !o.datasetDigest().isEmpty()) {
                        e.append(" AND x.dataset_digest = ?");
                        args.add(o.datasetDigest());
                    }
                }
                expr = e.append(" ORDER BY x.timestamp DESC, x.step DESC LIMIT 1)").toString();
                // the expression appears twice (nulls last, then the value): bind its arguments twice
                List<Object> again = new ArrayList<>(args.subList(args.size() - (1 + countDataset(o)), args.size()));
                args.addAll(again);
            } else {
                String name = SearchGrammar.LOGGED_MODELS.orderByAttribute(field);
                if (name == null) {
                    throw LabbookException.invalid("Invalid order by field name: %s.", field);
                }
                byCreation |= name.equals("creation_timestamp");
                byId |= name.equals("model_id");
                expr = COLUMNS.get(name);
            }
            keys.add("CASE WHEN " + expr + " IS NULL THEN 1 ELSE 0 END");
            keys.add(expr + (o.ascending() ? " ASC" : " DESC"));
        }
        if (!byCreation) {
            keys.add("m.creation_timestamp_ms DESC");
        }
        if (!byId) {
            keys.add("m.model_id ASC");
        }
        return String.join(", ", keys);
    }

    private static int countDataset(LoggedModelQuery.Order o) {
        if (o.datasetName() == null || o.datasetName().isEmpty()) {
            return 0;
        }
        return o.datasetDigest() != null && !o.datasetDigest().isEmpty() ? 2 : 1;
    }

    private static String unquote(String key) {
        String k = key.trim();
        if (k.length() >= 2 && (k.charAt(0) == '`' || k.charAt(0) == '"') && k.charAt(k.length() - 1) == k.charAt(0)) {
            return k.substring(1, k.length() - 1);
        }
        return k;
    }

    /** What a page token is bound to: the same search, only further on. */
    private static String fingerprint(LoggedModelQuery q) {
        return q.experimentIds() + "|" + q.filter() + "|" + q.datasets() + "|" + q.orderBy();
    }

    /** Page tokens: an offset and a hash of the query, base64-encoded. */
    static final class PageToken {
        private PageToken() {}

        static String encode(long offset, String fingerprint) {
            String s = "logged-models:" + offset + ":" + Integer.toHexString(fingerprint.hashCode());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
        }

        static long decode(String token, String fingerprint) {
            if (token == null || token.isEmpty()) {
                return 0;
            }
            String[] p;
            try {
                p = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            } catch (IllegalArgumentException e) {
                p = new String[0];
            }
            long offset = -1;
            if (p.length == 3 && p[0].equals("logged-models")) {
                try {
                    offset = Long.parseLong(p[1]);
                } catch (NumberFormatException e) {
                    offset = -1;
                }
            }
            if (offset < 0) {
                throw LabbookException.invalid("Invalid page token '%s'", token);
            }
            if (!p[2].equals(Integer.toHexString(fingerprint.hashCode()))) {
                throw LabbookException.invalid("The page token does not belong to this search: experiment_ids, "
                        + "filter, datasets and order_by must be those of the search that returned it.");
            }
            return offset;
        }
    }
}
