package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Page;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.core.registry.RegisteredModel;
import dev.labbook.core.search.Clause;
import dev.labbook.core.search.Comparator;
import dev.labbook.core.search.Filters;
import dev.labbook.core.search.KeyType;
import dev.labbook.core.search.OrderBy;
import dev.labbook.core.search.SearchGrammar;
import dev.labbook.store.RegistryQuery;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Translates MLflow's registered-model and model-version searches into SQL. Tags are matched with
 * an {@code EXISTS} per clause; ties break by model name ascending (and, for versions, version
 * descending). Models are listed by name when no order is asked for; versions, as MLflow lists
 * them, newest change first ({@code last_updated_timestamp DESC, name ASC, version_number DESC}).
 *
 * <p>Prompts (MLflow 2.21+ keeps them in the registry, tagged {@code mlflow.prompt.is_prompt =
 * 'true'}) are left out of every search unless the filter asks for them, as MLflow's store does:
 * clients add {@code tag.`mlflow.prompt.is_prompt` != 'true'} to each registry search, and a model
 * without that tag must match it, which a plain tag clause would not allow.
 */
final class RegistrySearch {
    /** The tag MLflow marks prompts with (on the registered model and on each of its versions). */
    static final String IS_PROMPT = "mlflow.prompt.is_prompt";
    /** MLflow's default order of model-versions/search. */
    private static final List<OrderBy> VERSIONS_DEFAULT_ORDER = List.of(
            new OrderBy(KeyType.ATTRIBUTE, "last_updated_timestamp", false),
            new OrderBy(KeyType.ATTRIBUTE, "name", true),
            new OrderBy(KeyType.ATTRIBUTE, "version_number", false));

    private final SqlPredicates predicates;

    RegistrySearch(Dialect dialect) {
        this.predicates = new SqlPredicates(dialect);
    }

    Page<RegisteredModel> models(Handle h, RegistryQuery q) {
        List<Clause> clauses = Filters.parse(q.filter(), SearchGrammar.REGISTERED_MODELS);
        List<OrderBy> orderBy = Filters.parseOrderBy(q.orderBy(), SearchGrammar.REGISTERED_MODELS);
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(ModelRow.COLUMNS).append(" FROM registered_models m WHERE 1 = 1");
        if (!queriesPrompts(clauses)) {
            clauses = withoutPromptClauses(clauses);
            sql.append(" AND NOT EXISTS (SELECT 1 FROM registered_model_tags p WHERE p.model_pk = m.model_pk AND p.key = '")
                    .append(IS_PROMPT).append("' AND p.value = 'true')");
        }
        for (Clause c : clauses) {
            sql.append(" AND ").append(switch (c.type()) {
                case TAG -> tag("registered_model_tags t WHERE t.model_pk = m.model_pk", c, args);
                case ATTRIBUTE -> {
                    if (!c.key().equals("name")) {
                        throw LabbookException.invalid("Invalid attribute key '%s' in registered model filter", c.key());
                    }
                    yield predicates.string("m.name", c, args);
                }
                default -> throw LabbookException.invalid("Registered models cannot be filtered by %s", c.type());
            });
        }
        sql.append(" ORDER BY ");
        for (OrderBy o : orderBy) {
            sql.append(switch (o.key()) {
                case "name" -> "m.name";
                case "creation_timestamp" -> "m.creation_time";
                case "last_updated_timestamp" -> "m.last_updated_time";
                default -> throw LabbookException.invalid("Invalid order_by key '%s' for registered models", o.key());
            }).append(o.ascending() ? " ASC, " : " DESC, ");
        }
        sql.append("m.name ASC");
        long offset = page(sql, args, q);
        List<ModelRow> rows = SqlLists.query(h, sql.toString(), args).map((rs, ctx) -> ModelRow.map(rs)).list();
        String next = null;
        if (rows.size() > q.maxResults()) {
            rows = rows.subList(0, q.maxResults());
            next = PageTokens.encode(offset + q.maxResults());
        }
        return new Page<>(RegistryAssembler.models(h, rows), next);
    }

    Page<ModelVersion> versions(Handle h, RegistryQuery q) {
        List<Clause> clauses = Filters.parse(q.filter(), SearchGrammar.MODEL_VERSIONS);
        List<OrderBy> orderBy = Filters.parseOrderBy(q.orderBy(), SearchGrammar.MODEL_VERSIONS);
        if (orderBy.isEmpty()) {
            orderBy = VERSIONS_DEFAULT_ORDER;
        }
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(VersionRow.COLUMNS).append(VersionRow.FROM).append(" WHERE 1 = 1");
        if (!queriesPrompts(clauses)) {
            // MLflow leaves out every version of a model any of whose versions is tagged as a prompt.
            clauses = withoutPromptClauses(clauses);
            sql.append(" AND NOT EXISTS (SELECT 1 FROM model_version_tags p WHERE p.model_pk = v.model_pk AND p.key = '")
                    .append(IS_PROMPT).append("' AND p.value = 'true')");
        }
        for (Clause c : clauses) {
            sql.append(" AND ").append(switch (c.type()) {
                case TAG -> tag("model_version_tags t WHERE t.model_pk = v.model_pk AND t.version = v.version", c, args);
                case ATTRIBUTE -> switch (c.key()) {
                    case "name" -> predicates.string("m.name", c, args);
                    case "run_id" -> predicates.string("v.run_id", c, args);
                    case "source_path" -> predicates.string("v.source", c, args);
                    case "version_number" -> predicates.number("v.version", c, args);
                    default -> throw LabbookException.invalid("Invalid attribute key '%s' in model version filter", c.key());
                };
                default -> throw LabbookException.invalid("Model versions cannot be filtered by %s", c.type());
            });
        }
        sql.append(" ORDER BY ");
        for (OrderBy o : orderBy) {
            sql.append(switch (o.key()) {
                case "name" -> "m.name";
                case "version_number" -> "v.version";
                case "creation_timestamp" -> "v.creation_time";
                case "last_updated_timestamp" -> "v.last_updated_time";
                default -> throw LabbookException.invalid("Invalid order_by key '%s' for model versions", o.key());
            }).append(o.ascending() ? " ASC, " : " DESC, ");
        }
        sql.append("m.name ASC, v.version DESC");
        long offset = page(sql, args, q);
        List<VersionRow> rows = SqlLists.query(h, sql.toString(), args).map((rs, ctx) -> VersionRow.map(rs)).list();
        String next = null;
        if (rows.size() > q.maxResults()) {
            rows = rows.subList(0, q.maxResults());
            next = PageTokens.encode(offset + q.maxResults());
        }
        return new Page<>(RegistryAssembler.versions(h, rows), next);
    }

    /**
     * True when the filter asks for prompts: MLflow's rule is the first clause on the prompt tag
     * deciding, {@code = 'true'} or {@code != 'false'} (any case) selecting prompts.
     */
    static boolean queriesPrompts(List<Clause> clauses) {
        for (Clause c : clauses) {
            if (c.type() == KeyType.TAG && c.key().equals(IS_PROMPT)) {
                String v = c.value() instanceof String s ? s : "";
                return (c.comparator() == Comparator.EQ && v.equalsIgnoreCase("true"))
                        || (c.comparator() == Comparator.NEQ && v.equalsIgnoreCase("false"));
            }
        }
        return false;
    }

    /** The clauses without those on the prompt tag, which the prompt exclusion replaces. */
    private static List<Clause> withoutPromptClauses(List<Clause> clauses) {
        return clauses.stream().filter(c -> !(c.type() == KeyType.TAG && c.key().equals(IS_PROMPT))).toList();
    }

    /** {@code EXISTS} over a tag table ({@code from} names it {@code t} and correlates it). */
    private String tag(String from, Clause c, List<Object> args) {
        args.add(c.key());
        return "EXISTS (SELECT 1 FROM " + from + " AND t.key = ? AND " + predicates.string("t.value", c, args) + ")";
    }

    /** Appends LIMIT/OFFSET, asking for one row more than the page to learn whether another follows. */
    private static long page(StringBuilder sql, List<Object> args, RegistryQuery q) {
        long offset = PageTokens.decode(q.pageToken());
        sql.append(" LIMIT ? OFFSET ?");
        args.add(q.maxResults() + 1);
        args.add(offset);
        return offset;
    }
}
