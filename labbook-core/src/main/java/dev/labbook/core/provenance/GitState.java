package dev.labbook.core.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The git state of a working directory, read with the {@code git} command: what a run records as
 * its code version. Best-effort: no git, no repository or a slow command give no state, never an
 * error.
 *
 * @param commit the full commit of HEAD
 * @param branch the branch name, or {@code HEAD} when detached; null if unknown
 * @param repoUrl the {@code origin} remote's URL; null without one
 * @param dirty true when tracked files differ from HEAD
 */
public record GitState(String commit, String branch, String repoUrl, boolean dirty) {
    private static final long TIMEOUT_SECONDS = 5;

    /** The state of the repository that holds {@code dir}, if any. */
    public static Optional<GitState> of(Path dir) {
        String commit = strip(git(dir, "rev-parse", "HEAD"));
        if (commit == null || commit.isEmpty()) {
            return Optional.empty();
        }
        String status = git(dir, "status", "--porcelain", "--untracked-files=no");
        return Optional.of(new GitState(commit, strip(git(dir, "rev-parse", "--abbrev-ref", "HEAD")),
                strip(git(dir, "config", "--get", "remote.origin.url")), status != null && !status.isBlank()));
    }

    /** The state of the process's working directory, if it is in a repository. */
    public static Optional<GitState> ofWorkingDirectory() {
        return of(Path.of("").toAbsolutePath());
    }

    /** MLflow's source tags ({@code mlflow.source.git.*}) plus {@code labbook.git.dirty}. */
    public Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlflow.source.git.commit", commit);
        if (branch != null && !branch.isEmpty()) {
            tags.put("mlflow.source.git.branch", branch);
        }
        if (repoUrl != null && !repoUrl.isEmpty()) {
            tags.put("mlflow.source.git.repoURL", repoUrl);
        }
        tags.put("labbook.git.dirty", Boolean.toString(dirty));
        return tags;
    }

    /** {@code git diff HEAD} in {@code dir} (what makes a dirty tree dirty), or null. */
    public static String diff(Path dir) {
        return git(dir, "diff", "HEAD");
    }

    /** Runs git in {@code dir}; its standard output, or null when it fails or takes too long. */
    private static String git(Path dir, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readNBytes(16 << 20);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
