package dev.labbook.store.artifact;

import java.util.List;
import java.util.Map;

/**
 * An artifact store that lets clients upload a large file in parts straight to its storage, as
 * MLflow's artifact proxy offers over cloud stores ({@code mlflow-artifacts/mpu/create},
 * {@code complete}, {@code abort}): the server starts the upload and hands out one presigned
 * URL per part, the client PUTs each part there and reports the parts' ETags, and the file
 * appears whole when the upload is completed. Paths follow {@link ArtifactPath}'s rules.
 */
public interface MultipartUploads {

    /**
     * Where the client sends one part.
     *
     * @param partNumber from 1
     * @param url the presigned address to PUT the part's bytes to
     * @param headers headers the PUT must carry (often none)
     */
    record PartTarget(int partNumber, String url, Map<String, String> headers) {}

    /** A started upload: its id and where each part goes. */
    record Started(String uploadId, List<PartTarget> parts) {}

    /** An uploaded part as the client reports it: its number and the ETag the storage answered. */
    record UploadedPart(int partNumber, String etag) {}

    /**
     * Starts an upload of {@code numParts} parts to {@code path}.
     *
     * @throws dev.labbook.core.LabbookException INVALID_PARAMETER_VALUE for an unsafe path or a
     *     part count the storage does not allow
     */
    Started createMultipartUpload(String path, int numParts);

    /**
     * Joins the parts into the file at {@code path}.
     *
     * @throws dev.labbook.core.LabbookException RESOURCE_DOES_NOT_EXIST for an unknown upload,
     *     INVALID_PARAMETER_VALUE for parts the storage does not have
     */
    void completeMultipartUpload(String path, String uploadId, List<UploadedPart> parts);

    /** Drops the upload and its parts. */
    void abortMultipartUpload(String path, String uploadId);
}
