package dev.labbook.train.data;

/**
 * What a data set is and where it came from: enough to log it as a run's dataset input and to
 * check, when a run is reproduced, that the same data is used again.
 *
 * @param name e.g. {@code imdb}
 * @param digest SHA-256 (hex) of the loaded content in a canonical order, so the archive and its
 *     extracted directory give the same digest
 * @param fileDigest SHA-256 (hex) of the file read, or null for a directory
 * @param sizeBytes bytes read from disk
 * @param source the file or directory read, absolute
 * @param format {@code imdb-archive}, {@code imdb-directory}, {@code csv}, {@code tsv} or {@code jsonl}
 */
public record DataInfo(String name, String digest, String fileDigest, long sizeBytes, String source, String format) {

    /** The digest shortened to MLflow's 36-character limit for dataset digests. */
    public String shortDigest() {
        return digest.substring(0, 32);
    }
}
