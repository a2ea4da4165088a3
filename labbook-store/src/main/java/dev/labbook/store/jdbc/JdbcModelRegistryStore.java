package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Page;
import dev.labbook.core.registry.ModelStage;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.core.registry.ModelVersionTag;
import dev.labbook.core.registry.RegisteredModel;
import dev.labbook.core.registry.RegisteredModelTag;
import dev.labbook.core.registry.RegistryValidation;
import dev.labbook.store.ModelRegistryStore;
import dev.labbook.store.NewModelVersion;
import dev.labbook.store.RegistryQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The model registry on a SQL database, usually the same {@link Database} as the tracking store
 * (that is how {@code runs:/} sources resolve). Each public method is one transaction; the SQL
 * lives in the package's registry DAOs.
 */
public final class JdbcModelRegistryStore implements ModelRegistryStore {
    private final Database db;
    private final RegistrySearch search;

    /** A registry on {@code db}; closing the registry does not close the database. */
    public JdbcModelRegistryStore(Database db) {
        this.db = db;
        this.search = new RegistrySearch(db.dialect());
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    @Override
    public RegisteredModel createRegisteredModel(String name, String description, List<RegisteredModelTag> tags) {
        RegistryValidation.validateModelName(name);
        tags.forEach(t -> RegistryValidation.validateTag(t.key(), t.value()));
        return db.write(h -> {
            long pk = RegisteredModelDao.insert(h, name, description, now());
            tags.forEach(t -> RegisteredModelDao.setTag(h, pk, t));
            return RegistryAssembler.model(h, RegisteredModelDao.require(h, name));
        });
    }

    @Override
    public Optional<RegisteredModel> getRegisteredModel(String name) {
        RegistryValidation.validateModelName(name);
        return db.read(h -> RegisteredModelDao.find(h, name).map(row -> RegistryAssembler.model(h, row)));
    }

    @Override
    public RegisteredModel renameRegisteredModel(String name, String newName) {
        RegistryValidation.validateModelName(name);
        RegistryValidation.validateModelName(newName);
        return db.write(h -> {
            RegisteredModelDao.rename(h, RegisteredModelDao.require(h, name), newName, now());
            return RegistryAssembler.model(h, RegisteredModelDao.require(h, newName));
        });
    }

    @Override
    public RegisteredModel updateRegisteredModel(String name, String description) {
        RegistryValidation.validateModelName(name);
        return db.write(h -> {
            RegisteredModelDao.setDescription(h, RegisteredModelDao.require(h, name).pk(), description, now());
            return RegistryAssembler.model(h, RegisteredModelDao.require(h, name));
        });
    }

    @Override
    public void deleteRegisteredModel(String name) {
        RegistryValidation.validateModelName(name);
        db.write(h -> {
            RegisteredModelDao.delete(h, RegisteredModelDao.require(h, name).pk());
            return null;
        });
    }

    @Override
    public Page<RegisteredModel> searchRegisteredModels(RegistryQuery query) {
        return db.read(h -> search.models(h, query));
    }

    @Override
    public void setRegisteredModelTag(String name, RegisteredModelTag tag) {
        RegistryValidation.validateModelName(name);
        RegistryValidation.validateTag(tag.key(), tag.value());
        db.write(h -> {
            RegisteredModelDao.setTag(h, RegisteredModelDao.require(h, name).pk(), tag);
            return null;
        });
    }

    @Override
    public void deleteRegisteredModelTag(String name, String key) {
        RegistryValidation.validateModelName(name);
        db.write(h -> {
            RegisteredModelDao.deleteTag(h, RegisteredModelDao.require(h, name).pk(), key);
            return null;
        });
    }

    @Override
    public List<ModelVersion> getLatestVersions(String name, List<ModelStage> stages) {
        RegistryValidation.validateModelName(name);
        Set<ModelStage> wanted = stages.isEmpty() ? EnumSet.allOf(ModelStage.class) : EnumSet.copyOf(stages);
        return db.read(h -> {
            ModelRow model = RegisteredModelDao.require(h, name);
            List<VersionRow> rows = new ArrayList<>(ModelVersionDao.latest(h, List.of(model.pk())));
            rows.removeIf(r -> !wanted.contains(r.stage()));
            rows.sort(Comparator.comparing(VersionRow::stage));
            return RegistryAssembler.versions(h, rows);
        });
    }

    @Override
    public ModelVersion createModelVersion(NewModelVersion v) {
        RegistryValidation.validateModelName(v.name());
        if (v.source() == null || v.source().isEmpty()) {
            throw LabbookException.invalid("Model version source cannot be empty.");
        }
        v.tags().forEach(t -> RegistryValidation.validateTag(t.key(), t.value()));
        return db.write(h -> {
            long now = now();
            ModelRow model = RegisteredModelDao.require(h, v.name());
            long version = RegisteredModelDao.nextVersion(h, model.pk(), now);
            ModelVersionDao.insert(h, model.pk(), version, withLoggedModelRun(h, v), now);
            v.tags().forEach(t -> ModelVersionDao.setTag(h, model.pk(), version, t));
            return RegistryAssembler.version(h, ModelVersionDao.find(h, model.pk(), version).orElseThrow());
        });
    }

    /** A version registered from a logged model is of the model's run unless it names one, as in MLflow 3. */
    private static NewModelVersion withLoggedModelRun(org.jdbi.v3.core.Handle h, NewModelVersion v) {
        if (v.runId() != null || v.modelId() == null) {
            return v;
        }
        String run = LoggedModelDao.find(h, v.modelId()).map(LoggedModelRow::sourceRunId).orElse(null);
        return run == null ? v : new NewModelVersion(v.name(), v.source(), run, v.runLink(), v.description(),
                v.userId(), v.tags(), v.modelId());
    }

    @Override
    public Optional<ModelVersion> getModelVersion(String name, String version) {
        RegistryValidation.validateModelName(name);
        long number = RegistryValidation.parseVersion(version);
        return db.read(h -> RegisteredModelDao.find(h, name)
                .flatMap(m -> ModelVersionDao.find(h, m.pk(), number))
                .map(row -> RegistryAssembler.version(h, row)));
    }

    @Override
    public ModelVersion updateModelVersion(String name, String version, String description) {
        long number = requireNameAndVersion(name, version);
        return db.write(h -> {
            VersionRow row = ModelVersionDao.require(h, name, number);
            ModelVersionDao.setDescription(h, row, description, now());
            return reload(h, row);
        });
    }

    @Override
    public void deleteModelVersion(String name, String version) {
        long number = requireNameAndVersion(name, version);
        db.write(h -> {
            long now = now();
            VersionRow row = ModelVersionDao.require(h, name, number);
            ModelVersionDao.delete(h, row.modelPk(), row.version());
            RegisteredModelDao.touch(h, row.modelPk(), now);
            return null;
        });
    }

    @Override
    public Page<ModelVersion> searchModelVersions(RegistryQuery query) {
        return db.read(h -> search.versions(h, query));
    }

    @Override
    public String getModelVersionDownloadUri(String name, String version) {
        long number = requireNameAndVersion(name, version);
        return db.read(h -> {
            VersionRow row = ModelVersionDao.require(h, name, number);
            // a version registered from a logged model (MLflow 3) is downloaded from the model's files
            String logged = LoggedModelDao.artifactLocation(h, row.modelId());
            return logged != null ? logged : ModelsUri.downloadUri(h, row.source());
        });
    }

    @Override
    public void setModelVersionTag(String name, String version, ModelVersionTag tag) {
        long number = requireNameAndVersion(name, version);
        RegistryValidation.validateTag(tag.key(), tag.value());
        db.write(h -> {
            VersionRow row = ModelVersionDao.require(h, name, number);
            ModelVersionDao.setTag(h, row.modelPk(), row.version(), tag);
            return null;
        });
    }

    @Override
    public void deleteModelVersionTag(String name, String version, String key) {
        long number = requireNameAndVersion(name, version);
        db.write(h -> {
            VersionRow row = ModelVersionDao.require(h, name, number);
            ModelVersionDao.deleteTag(h, row.modelPk(), row.version(), key);
            return null;
        });
    }

    @Override
    public ModelVersion transitionModelVersionStage(String name, String version, ModelStage stage, boolean archiveExistingVersions) {
        long number = requireNameAndVersion(name, version);
        if (archiveExistingVersions && !stage.active()) {
            throw LabbookException.invalid("Model version transition cannot archive existing model versions because '%s'"
                    + " is not an Active stage. Valid stages are Staging, Production", stage);
        }
        return db.write(h -> {
            long now = now();
            VersionRow row = ModelVersionDao.require(h, name, number);
            if (archiveExistingVersions) {
                ModelVersionDao.archiveOthers(h, row.modelPk(), row.version(), stage, now);
            }
            ModelVersionDao.setStage(h, row.modelPk(), row.version(), stage, now);
            RegisteredModelDao.touch(h, row.modelPk(), now);
            return reload(h, row);
        });
    }

    @Override
    public void setRegisteredModelAlias(String name, String alias, String version) {
        long number = requireNameAndVersion(name, version);
        RegistryValidation.validateAlias(alias);
        db.write(h -> {
            VersionRow row = ModelVersionDao.require(h, name, number);
            AliasDao.set(h, row.modelPk(), alias, row.version());
            return null;
        });
    }

    @Override
    public void deleteRegisteredModelAlias(String name, String alias) {
        RegistryValidation.validateModelName(name);
        db.write(h -> {
            AliasDao.delete(h, RegisteredModelDao.require(h, name).pk(), alias);
            return null;
        });
    }

    @Override
    public Optional<ModelVersion> getModelVersionByAlias(String name, String alias) {
        RegistryValidation.validateModelName(name);
        return db.read(h -> RegisteredModelDao.find(h, name).flatMap(m -> AliasDao.version(h, m.pk(), alias)
                .flatMap(v -> ModelVersionDao.find(h, m.pk(), v))
                .map(row -> RegistryAssembler.version(h, row))));
    }

    private static long requireNameAndVersion(String name, String version) {
        RegistryValidation.validateModelName(name);
        return RegistryValidation.parseVersion(version);
    }

    private static ModelVersion reload(Handle h, VersionRow row) {
        return RegistryAssembler.version(h, ModelVersionDao.find(h, row.modelPk(), row.version()).orElseThrow());
    }

    @Override
    public void close() {
        // the database belongs to whoever opened it
    }
}
