package dev.labbook.core.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Which Labbook made something: the version and the commit Labbook was built from, read from the
 * {@code build.properties} Maven fills in at build time. Runs carry it as tags and saved models in
 * their {@code MLmodel}, so a result can be traced to the exact code that produced it.
 *
 * @param version the Maven version, e.g. {@code 0.1.0-SNAPSHOT}; "dev" when run from unbuilt classes
 * @param commit the full git commit of the build, or "unknown" when built outside a git checkout
 * @param dirty true when the build's working tree had uncommitted changes
 */
public record BuildInfo(String version, String commit, boolean dirty) {
    private static final BuildInfo CURRENT = load();

    /** The running Labbook's build. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** {@code version (commit abbreviated[, dirty])}, for logs and {@code --version}. */
    public String describe() {
        String c = commit.length() > 12 ? commit.substring(0, 12) : commit;
        return version + " (" + c + (dirty ? ", dirty" : "") + ")";
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/labbook/core/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource leaves the defaults
        }
        return new BuildInfo(filled(p.getProperty("version"), "dev"), filled(p.getProperty("commit"), "unknown"),
                Boolean.parseBoolean(filled(p.getProperty("dirty"), "false")));
    }

    /** A property Maven did not fill in (no git, or classes not built by Maven) keeps its placeholder. */
    private static String filled(String value, String fallback) {
        return value == null || value.isBlank() || value.startsWith("${") ? fallback : value.strip();
    }
}
