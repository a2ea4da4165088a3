package dev.labbook.client.spool;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * What a spool needs to know to create its run on a server, and what it learned once it did:
 * {@code run.json} in the spool directory, rewritten atomically.
 *
 * @param clientRunId the local id; also the run's {@code labbook.client_run_id} tag
 * @param trackingUri where the run goes; null in offline mode until a sync names one
 * @param runName may be null (the server picks one)
 * @param startTime milliseconds since the epoch, from {@code init}
 * @param createTags tags sent with runs/create (run name, parent, client id, description)
 * @param parentClientRunId the client id of the parent run, when it was also logged by this SDK
 * @param runId the server's run id, null until the run was created
 * @param experimentId the server's experiment id, null until known
 * @param artifactUri the server's artifact URI of the run, null until known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunMeta(
        String clientRunId,
        String trackingUri,
        String experimentName,
        String runName,
        String userId,
        long startTime,
        Map<String, String> createTags,
        String parentClientRunId,
        String runId,
        String experimentId,
        String artifactUri) {

    static final String FILE = "run.json";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public RunMeta {
        createTags = createTags == null ? Map.of() : Map.copyOf(createTags);
    }

    /** This meta once the server created the run. */
    public RunMeta created(String runId, String experimentId, String artifactUri) {
        return new RunMeta(clientRunId, trackingUri, experimentName, runName, userId, startTime, createTags,
                parentClientRunId, runId, experimentId, artifactUri);
    }

    /** This meta pointed at another tracking URI (a sync to a given server). */
    public RunMeta withTrackingUri(String uri) {
        return new RunMeta(clientRunId, uri, experimentName, runName, userId, startTime, createTags,
                parentClientRunId, runId, experimentId, artifactUri);
    }

    public static RunMeta read(Path dir) {
        try {
            return JSON.readValue(dir.resolve(FILE).toFile(), RunMeta.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir.resolve(FILE), e);
        }
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** Writes to a temporary file and renames it, so readers see the old or the new file, whole. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE + ".tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dir.resolve(FILE), e);
        }
    }
}
