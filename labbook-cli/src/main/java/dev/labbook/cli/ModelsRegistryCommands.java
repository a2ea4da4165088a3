package dev.labbook.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.labbook.client.ModelRegistryClient;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Page;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.core.registry.ModelVersionTag;
import dev.labbook.core.registry.RegisteredModel;
import dev.labbook.core.registry.RegisteredModelAlias;
import dev.labbook.serving.ModelResolver;
import dev.labbook.serving.ModelUri;
import dev.labbook.serving.Registration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The registry subcommands of {@code labbook models}, each one or two calls of the registry REST API. */
final class ModelsRegistryCommands {
    private ModelsRegistryCommands() {}

    /** {@code labbook models list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered models with their latest version and aliases.")
    static final class ListModels implements Callable<Integer> {
        @Mixin
        ModelsCommand.Source source;

        @Override
        public Integer call() {
            ModelRegistryClient r = source.client().registry();
            List<RegisteredModel> all = new ArrayList<>();
            String token = null;
            do {
                Page<RegisteredModel> page = r.searchRegisteredModels(null, 1000, List.of("name ASC"), token);
                all.addAll(page.items());
                token = page.nextPageToken();
            } while (token != null);
            if (all.isEmpty()) {
                System.out.println("no registered models (register one: labbook models register --run-id ID --name NAME)");
            }
            for (RegisteredModel m : all) {
                String latest = m.latestVersions().stream().map(ModelVersion::version).max(Comparator.comparingLong(Long::parseLong))
                        .orElse("-");
                System.out.printf("%-32s latest %-4s %s%n", m.name(), latest, aliases(m.aliases()));
            }
            return 0;
        }
    }

    /** {@code labbook models versions NAME}. */
    @Command(name = "versions", mixinStandardHelpOptions = true, description = "List a model's versions with their aliases, runs and metrics.")
    static final class Versions implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The registered model.")
        String name;

        @Mixin
        ModelsCommand.Source source;

        @Override
        public Integer call() {
            ModelRegistryClient r = source.client().registry();
            RegisteredModel model = r.getRegisteredModel(name);
            List<ModelVersion> versions = new ArrayList<>();
            String token = null;
            do {
                Page<ModelVersion> page = r.searchModelVersions("name = '" + name.replace("'", "\\'") + "'", 1000, List.of(), token);
                versions.addAll(page.items());
                token = page.nextPageToken();
            } while (token != null);
            versions.sort(Comparator.comparingLong((ModelVersion v) -> Long.parseLong(v.version())).reversed());
            System.out.printf("%s: %d version(s) %s%n", model.name(), versions.size(), aliases(model.aliases()));
            for (ModelVersion v : versions) {
                String tags = v.tags().stream().map(t -> t.key() + "=" + t.value()).collect(Collectors.joining(" "));
                System.out.printf("  %-4s %-16s run %-32s %s%n", v.version(),
                        v.aliases().isEmpty() ? "" : "@" + String.join(" @", v.aliases()), v.runId() == null ? "-" : v.runId(), tags);
            }
            return 0;
        }
    }

    /** {@code labbook models register --run-id ID [--artifact-path model] --name NAME}. */
    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register a run's model as a new version of NAME (created if missing); the run's metrics become version tags.")
    static final class Register implements Callable<Integer> {
        @Option(names = "--run-id", required = true, description = "The run that logged the model.")
        String runId;

        @Option(names = "--artifact-path", defaultValue = "model", description = "The model's folder in the run's artifacts (default: ${DEFAULT-VALUE}).")
        String artifactPath;

        @Option(names = "--name", required = true, description = "The registered model.")
        String name;

        @Mixin
        ModelsCommand.Source source;

        @Override
        public Integer call() {
            ModelVersion v = Registration.register(source.client(), runId, artifactPath, name);
            System.out.printf("registered %s as models:/%s/%s%n", v.source(), v.name(), v.version());
            return 0;
        }
    }

    /** {@code labbook models alias set|delete}. */
    @Command(name = "alias", mixinStandardHelpOptions = true, description = "Point an alias at a version, or remove it.",
            subcommands = {AliasSet.class, AliasDelete.class})
    static final class Alias implements Runnable {
        @Override
        public void run() {
            CommandLine.usage(this, System.out);
        }
    }

    /** {@code labbook models alias set NAME ALIAS VERSION}. */
    @Command(name = "set", mixinStandardHelpOptions = true, description = "Point ALIAS of NAME at VERSION (an alias already set moves).")
    static final class AliasSet implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "2", paramLabel = "VERSION")
        String version;

        @Mixin
        ModelsCommand.Source source;

        @Override
        public Integer call() {
            source.client().registry().setRegisteredModelAlias(name, alias, version);
            System.out.printf("models:/%s@%s -> version %s%n", name, alias, version);
            return 0;
        }
    }

    /** {@code labbook models alias delete NAME ALIAS}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove ALIAS of NAME (the version stays).")
    static final class AliasDelete implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Mixin
        ModelsCommand.Source source;

        @Override
        public Integer call() {
            source.client().registry().deleteRegisteredModelAlias(name, alias);
            System.out.printf("removed models:/%s@%s%n", name, alias);
            return 0;
        }
    }

    /** {@code labbook models describe models:/NAME@ALIAS|models:/NAME/VERSION}. */
    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Show the version a models:/ URI names, as JSON.")
    static final class Describe implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

        @Parameters(paramLabel = "MODEL_URI", description = "models:/NAME@ALIAS or models:/NAME/VERSION.")
        String uri;

        @Mixin
        ModelsCommand.Source source;

        @Override
        public Integer call() throws Exception {
            ModelUri u = ModelUri.parse(uri);
            ModelRegistryClient r = source.client().registry();
            ModelVersion v = switch (u.kind()) {
                case ALIAS -> r.getModelVersionByAlias(u.name(), u.reference());
                case VERSION -> r.getModelVersion(u.name(), u.reference());
                case STAGE -> {
                    ModelResolver.Location at = source.resolver().locate(u);
                    yield r.getModelVersion(at.name(), at.version());
                }
                default -> throw LabbookException.invalid("describe takes models:/NAME@ALIAS, models:/NAME/VERSION or models:/NAME/STAGE, "
                        + "got %s", uri);
            };
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("uri", u.toString());
            out.put("name", v.name());
            out.put("version", v.version());
            out.put("aliases", v.aliases());
            out.put("run_id", v.runId());
            out.put("source", v.source());
            out.put("download_uri", r.getModelVersionDownloadUri(v.name(), v.version()));
            out.put("status", v.status());
            out.put("current_stage", v.currentStage());
            out.put("description", v.description());
            out.put("creation_timestamp", v.creationTimestamp());
            Map<String, String> tags = new LinkedHashMap<>();
            for (ModelVersionTag t : v.tags()) {
                tags.put(t.key(), t.value());
            }
            out.put("tags", tags);
            System.out.println(JSON.writeValueAsString(out));
            return 0;
        }
    }

    private static String aliases(List<RegisteredModelAlias> aliases) {
        return aliases.stream().map(a -> "@" + a.alias() + "=" + a.version()).collect(Collectors.joining(" "));
    }
}
