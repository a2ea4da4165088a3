package dev.labbook.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.client.TrackingClient;
import dev.labbook.client.internal.Artifacts;
import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.core.registry.ModelStage;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.train.model.ModelDescriptor;
import dev.labbook.train.model.Models;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a {@link ModelUri} into a {@link LoadedModel}: a local directory is loaded as it is; a
 * registry or run URI is resolved against the tracking server ({@code get-download-uri}, the
 * alias, the run's artifact URI), its files are downloaded through the server's artifact proxy
 * into the {@link ModelCache} (once per version) and loaded from there.
 */
public final class ModelResolver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROXY = "api/2.0/mlflow-artifacts/artifacts";

    private final String trackingUri;
    private final ModelCache cache;
    private TrackingClient client;
    private HttpClient http;

    /**
     * @param trackingUri the tracking server ({@code http(s)://...}), or null when only local
     *     models are loaded
     */
    public ModelResolver(String trackingUri, ModelCache cache) {
        this.trackingUri = trackingUri == null || trackingUri.isBlank() ? null : trackingUri.trim();
        this.cache = cache;
    }

    /** {@code given}, else {@code $MLFLOW_TRACKING_URI}, else null. */
    public static String trackingUri(String given) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        String env = System.getenv("MLFLOW_TRACKING_URI");
        return env == null || env.isBlank() ? null : env;
    }

    /** Where a model's files are on the server, and which version that is. */
    public record Location(String name, String version, String runId, String artifactUri, String cacheKey) {}

    /** Resolves, downloads (unless cached) and loads the model {@code uri} names. */
    public LoadedModel load(ModelUri uri) {
        if (uri.kind() == ModelUri.Kind.LOCAL) {
            Path dir = uri.local().toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw LabbookException.notFound("No model directory at %s: pass -m with a directory holding an MLmodel file, "
                        + "or a models:/ or runs:/ URI", dir);
            }
            return new LoadedModel(uri.toString(), null, null, null, dir, Signature.inputColumn(dir), loadDir(dir));
        }
        return load(uri.toString(), locate(uri));
    }

    /** Loads the model at a location {@link #locate} found. */
    public LoadedModel load(String uri, Location where) {
        Path dir = cache.get(where.cacheKey(), where.artifactUri(), target -> download(where.artifactUri(), "", target));
        return new LoadedModel(uri, where.name(), where.version(), where.runId(), dir, Signature.inputColumn(dir), loadDir(dir));
    }

    /** Resolves a registry or run URI to the version and artifact URI it names now (an alias may move). */
    public Location locate(ModelUri uri) {
        TrackingClient c = client();
        return switch (uri.kind()) {
            case VERSION -> version(c, uri.name(), uri.reference());
            case ALIAS -> {
                ModelVersion v = c.registry().getModelVersionByAlias(uri.name(), uri.reference());
                yield version(c, v.name(), v.version());
            }
            case STAGE -> {
                // "latest": the highest version in any stage; a stage: the highest version in it
                List<ModelStage> stages = uri.reference().equalsIgnoreCase("latest") ? List.of() : List.of(ModelStage.parse(uri.reference()));
                ModelVersion v = c.registry().getLatestVersions(uri.name(), stages).stream()
                        .max(Comparator.comparingLong(x -> Long.parseLong(x.version())))
                        .orElseThrow(() -> LabbookException.notFound("Registered model '%s' has no version in stage '%s'",
                                uri.name(), uri.reference()));
                yield version(c, v.name(), v.version());
            }
            case RUN -> {
                String root = c.getRun(uri.runId()).info().artifactUri();
                yield new Location(null, null, uri.runId(), root.replaceAll("/+$", "") + "/" + uri.reference(),
                        "runs/" + uri.runId() + "/" + uri.reference());
            }
            case LOCAL -> throw new IllegalArgumentException("a local model has no location on a server");
        };
    }

    /** The version an alias points at now. */
    public String aliasVersion(String name, String alias) {
        return client().registry().getModelVersionByAlias(name, alias).version();
    }

    private static Location version(TrackingClient c, String name, String version) {
        ModelVersion v = c.registry().getModelVersion(name, version);
        String artifactUri = c.registry().getModelVersionDownloadUri(name, version);
        return new Location(v.name(), v.version(), v.runId(), artifactUri, "models/" + v.name() + "/" + v.version());
    }

    private static dev.labbook.train.model.SentimentModel loadDir(Path dir) {
        try {
            ModelDescriptor.read(dir);
            return Models.load(dir);
        } catch (IOException e) {
            throw LabbookException.invalid("Could not load the model in %s: %s", dir, e.getMessage());
        }
    }

    /** Downloads every file under {@code artifactUri}/{@code sub} into {@code target}, walking the proxy's listings. */
    private void download(String artifactUri, String sub, Path target) throws IOException {
        String root = Artifacts.root(artifactUri);
        String listed = sub.isEmpty() ? root : root + "/" + sub;
        JsonNode files = list(listed).path("files");
        for (JsonNode f : files) {
            String name = f.path("path").asText();
            String rel = sub.isEmpty() ? name : sub + "/" + name;
            if (name.isEmpty() || name.contains("..")) {
                continue;
            }
            if (f.path("is_dir").asBoolean(false)) {
                download(artifactUri, rel, target);
            } else {
                Path dest = target.resolve(rel).normalize();
                if (!dest.startsWith(target)) {
                    throw LabbookException.invalid("The server listed a file outside the model: %s", rel);
                }
                client().downloadArtifact(artifactUri, rel, dest);
            }
        }
        if (sub.isEmpty() && !Files.isRegularFile(target.resolve(ModelDescriptor.FILE))) {
            throw LabbookException.notFound("%s holds no MLmodel file: it is not a model (register the run's model/ folder)", artifactUri);
        }
    }

    private JsonNode list(String proxyPath) throws IOException {
        URI base = client().uri();
        String b = base.toString().endsWith("/") ? base.toString() : base + "/";
        HttpRequest req = HttpRequest.newBuilder(URI.create(b + PROXY + "?path=" + URLEncoder.encode(proxyPath, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(60)).GET().build();
        try {
            HttpResponse<byte[]> res = http().send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() != 200) {
                throw new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                        "Listing the model's files at " + proxyPath + " answered HTTP " + res.statusCode());
            }
            return JSON.readTree(res.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private synchronized TrackingClient client() {
        if (client == null) {
            client = TrackingClient.of(requireServer(trackingUri));
        }
        return client;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }
        return http;
    }

    /** The tracking URI when it names a server; otherwise an error saying what to pass. */
    public static String requireServer(String trackingUri) {
        if (trackingUri == null) {
            throw LabbookException.invalid("This model URI is resolved by a tracking server: pass --tracking-uri http://HOST:PORT "
                    + "or set MLFLOW_TRACKING_URI (start one with ./labbook server)");
        }
        if (!trackingUri.startsWith("http://") && !trackingUri.startsWith("https://")) {
            throw LabbookException.invalid("The tracking URI '%s' is a local store; models are served from a tracking server: "
                    + "start one on it (./labbook server --backend-store-uri ...) and pass --tracking-uri http://127.0.0.1:5000, "
                    + "or pass the model's directory with -m", trackingUri);
        }
        return trackingUri;
    }
}
