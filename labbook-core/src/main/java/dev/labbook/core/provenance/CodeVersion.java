package dev.labbook.core.provenance;

import java.util.LinkedHashMap;
import java.util.Map;

/** The code-version tags every run records, whichever way it is tracked. */
public final class CodeVersion {
    /** Tag of the Labbook version that tracked the run. */
    public static final String VERSION_TAG = "labbook.version";
    /** Tag of the commit that Labbook was built from. */
    public static final String BUILD_COMMIT_TAG = "labbook.build.commit";

    private CodeVersion() {}

    /**
     * Labbook's version and build commit and, where the working directory is in a git repository,
     * its commit, branch, remote and dirty state (MLflow's {@code mlflow.source.git.*} tags).
     */
    public static Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>(buildTags());
        GitState.ofWorkingDirectory().ifPresent(g -> tags.putAll(g.tags()));
        return tags;
    }

    /** Labbook's version and build commit only. */
    public static Map<String, String> buildTags() {
        BuildInfo b = BuildInfo.current();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(VERSION_TAG, b.version());
        tags.put(BUILD_COMMIT_TAG, b.commit() + (b.dirty() ? "-dirty" : ""));
        return tags;
    }
}
