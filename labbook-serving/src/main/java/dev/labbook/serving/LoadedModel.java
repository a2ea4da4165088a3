package dev.labbook.serving;

import dev.labbook.train.model.SentimentModel;
import java.nio.file.Path;

/**
 * A model ready to score, with where it came from. Immutable: the scoring server swaps whole
 * instances, so a request that picked one keeps it to the end.
 *
 * @param uri the URI it was asked for, e.g. {@code models:/imdb@champion}
 * @param name the registered model's name, or null for a run or a local directory
 * @param version the registered version it is, or null
 * @param runId the run that produced it, when known
 * @param dir the local directory its files were loaded from
 * @param inputColumn the string column of the model's input signature ({@code text})
 * @param model the loaded model
 */
public record LoadedModel(String uri, String name, String version, String runId, Path dir, String inputColumn, SentimentModel model) {

    /** What the {@code X-Labbook-Model-Version} header says: {@code NAME/VERSION}, or the URI. */
    public String label() {
        return name != null && version != null ? name + "/" + version : uri;
    }
}
