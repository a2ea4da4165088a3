package dev.labbook.core.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labbook's own build and a working directory's git state, as runs record them. */
class ProvenanceTest {

    @Test
    void buildInfoComesFromTheMavenBuild() throws Exception {
        BuildInfo b = BuildInfo.current();
        assertNotEquals("dev", b.version(), "build.properties was not filtered by Maven");
        assertFalse(b.version().startsWith("${"));
        Path here = Path.of("").toAbsolutePath();
        String head = git(here, "rev-parse", "HEAD");
        if (head != null) {
            // built from this checkout: a full commit id of this repository (HEAD at build time,
            // which a commit made since the build has moved on from)
            assertTrue(b.commit().matches("[0-9a-f]{40}"), b.commit());
            assertEquals("commit", git(here, "cat-file", "-t", b.commit()));
        } else {
            assertEquals("unknown", b.commit());
        }
        assertTrue(b.describe().startsWith(b.version() + " ("), b.describe());
    }

    @Test
    void gitStateOfARepositoryFollowsItsCommitsAndChanges(@TempDir Path dir) throws Exception {
        assertTrue(GitState.of(dir).isEmpty(), "a folder outside any repository has no state");
        git(dir, "init", "-q", "-b", "trunk");
        git(dir, "config", "user.email", "ada@example.com");
        git(dir, "config", "user.name", "Ada");
        git(dir, "remote", "add", "origin", "https://example.com/ada/model.git");
        Files.writeString(dir.resolve("train.py"), "print(1)\n");
        git(dir, "add", "train.py");
        git(dir, "commit", "-q", "-m", "first");
        String head = git(dir, "rev-parse", "HEAD");

        GitState clean = GitState.of(dir).orElseThrow();
        assertEquals(head, clean.commit());
        assertEquals("trunk", clean.branch());
        assertFalse(clean.dirty());
        Map<String, String> tags = clean.tags();
        assertEquals(head, tags.get("mlflow.source.git.commit"));
        assertEquals("trunk", tags.get("mlflow.source.git.branch"));
        assertEquals("https://example.com/ada/model.git", tags.get("mlflow.source.git.repoURL"));
        assertEquals("false", tags.get("labbook.git.dirty"));

        Files.writeString(dir.resolve("train.py"), "print(2)\n");
        GitState dirty = GitState.of(dir).orElseThrow();
        assertTrue(dirty.dirty());
        assertTrue(GitState.diff(dir).contains("+print(2)"), GitState.diff(dir));
    }

    @Test
    void codeVersionTagsNameTheBuild() {
        Map<String, String> tags = CodeVersion.buildTags();
        assertEquals(BuildInfo.current().version(), tags.get(CodeVersion.VERSION_TAG));
        assertTrue(tags.get(CodeVersion.BUILD_COMMIT_TAG).startsWith(BuildInfo.current().commit()));
    }

    /** Runs git in dir; its trimmed output, or null when git fails (no repository). */
    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue() == 0 ? out : null;
    }
}
