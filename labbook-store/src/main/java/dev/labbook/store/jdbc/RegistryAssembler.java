package dev.labbook.store.jdbc;

import dev.labbook.core.registry.ModelVersion;
import dev.labbook.core.registry.RegisteredModel;
import dev.labbook.core.registry.RegisteredModelAlias;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Turns registry rows into the records MLflow returns, loading tags, aliases and latest versions
 * for a whole page with a fixed number of queries rather than a few per row.
 */
final class RegistryAssembler {
    private RegistryAssembler() {}

    static ModelVersion version(Handle h, VersionRow row) {
        return versions(h, List.of(row)).get(0);
    }

    static RegisteredModel model(Handle h, ModelRow row) {
        return models(h, List.of(row)).get(0);
    }

    /** The versions, in the order of {@code rows}, with their tags and aliases. */
    static List<ModelVersion> versions(Handle h, List<VersionRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        var tags = ModelVersionDao.tags(h, rows.stream().map(VersionRow::key).toList());
        var aliases = AliasDao.of(h, new ArrayList<>(new LinkedHashSet<>(rows.stream().map(VersionRow::modelPk).toList())));
        List<ModelVersion> out = new ArrayList<>(rows.size());
        for (VersionRow r : rows) {
            List<String> own = new ArrayList<>();
            for (RegisteredModelAlias a : aliases.getOrDefault(r.modelPk(), List.of())) {
                if (a.version().equals(Long.toString(r.version()))) {
                    own.add(a.alias());
                }
            }
            out.add(new ModelVersion(r.name(), Long.toString(r.version()), r.creationTime(), r.lastUpdatedTime(),
                    r.userId(), r.stage(), r.description(), r.source(), r.runId(), r.status(), r.statusMessage(),
                    tags.getOrDefault(r.key(), List.of()),
                    // MLflow stores the request's run_link, "" when absent, and sends it back
                    r.runLink() == null ? "" : r.runLink(), own, r.modelId()));
        }
        return out;
    }

    /** The models, in the order of {@code rows}, with tags, aliases and latest versions per stage. */
    static List<RegisteredModel> models(Handle h, List<ModelRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> pks = rows.stream().map(ModelRow::pk).toList();
        var tags = RegisteredModelDao.tags(h, pks);
        var aliases = AliasDao.of(h, pks);
        List<VersionRow> latestRows = new ArrayList<>(ModelVersionDao.latest(h, pks));
        latestRows.sort(Comparator.comparing(VersionRow::stage));
        Map<String, List<ModelVersion>> latest = new HashMap<>();
        for (ModelVersion v : versions(h, latestRows)) {
            latest.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(v);
        }
        List<RegisteredModel> out = new ArrayList<>(rows.size());
        for (ModelRow r : rows) {
            out.add(new RegisteredModel(r.name(), r.creationTime(), r.lastUpdatedTime(), r.userId(), r.description(),
                    latest.getOrDefault(r.name(), List.of()), tags.getOrDefault(r.pk(), List.of()),
                    aliases.getOrDefault(r.pk(), List.of())));
        }
        return out;
    }
}
