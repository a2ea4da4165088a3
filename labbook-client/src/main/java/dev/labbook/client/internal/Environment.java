package dev.labbook.client.internal;

import dev.labbook.core.provenance.CodeVersion;
import dev.labbook.core.provenance.GitState;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run records about where it ran: Labbook's version and build, git state, command line, JVM,
 * OS and machine, and the libraries on the classpath. Each probe is best-effort: a failure leaves its tags out and never
 * fails {@code init}.
 */
public final class Environment {
    /** Tags (MLflow's names where MLflow has one) and artifact texts by artifact path. */
    public record Captured(Map<String, String> tags, Map<String, String> artifacts) {}

    private Environment() {}

    public static Captured capture() {
        Map<String, String> tags = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        put(tags, "mlflow.user", System.getProperty("user.name"));
        put(tags, "mlflow.source.type", "LOCAL");
        String command = System.getProperty("sun.java.command", "");
        String main = command.isBlank() ? null : command.split(" ")[0];
        put(tags, "mlflow.source.name", main);
        put(tags, "labbook.main_class", main);
        ProcessHandle.current().info().commandLine().ifPresent(c -> put(tags, "labbook.command", truncate(c, 5000)));
        put(tags, "labbook.jvm.version", System.getProperty("java.runtime.version", System.getProperty("java.version")));
        put(tags, "labbook.jvm.vendor", System.getProperty("java.vendor"));
        put(tags, "labbook.os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        try {
            put(tags, "labbook.host", InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no host name: leave it out
        }
        put(tags, "labbook.cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        put(tags, "labbook.max_heap_mb", Long.toString(Runtime.getRuntime().maxMemory() >> 20));
        put(tags, "labbook.jvm.args", truncate(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()), 5000));
        tags.putAll(CodeVersion.buildTags());
        git(tags, files);
        files.put("environment/classpath.txt", classpath());
        return new Captured(tags, files);
    }

    private static void git(Map<String, String> tags, Map<String, String> files) {
        Path dir = Path.of("").toAbsolutePath();
        GitState.of(dir).ifPresent(g -> {
            tags.putAll(g.tags());
            if (g.dirty()) {
                String diff = GitState.diff(dir);
                if (diff != null) {
                    files.put("environment/git.diff", diff);
                }
            }
        });
    }

    /** One line per classpath entry; Maven coordinates when the jar sits in a Maven repository. */
    static String classpath() {
        StringBuilder sb = new StringBuilder();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            String coords = coordinates(p);
            sb.append(coords != null ? coords : p.getFileName() == null ? entry : p.getFileName().toString()).append('\n');
        }
        return sb.toString();
    }

    /** group:artifact:version for {@code .../repository/g/r/o/u/p/artifact/version/artifact-version.jar}. */
    static String coordinates(Path jar) {
        String s = jar.toString().replace('\\', '/');
        int repo = s.indexOf("/repository/");
        if (repo < 0 || !s.endsWith(".jar")) {
            return null;
        }
        String[] parts = s.substring(repo + "/repository/".length()).split("/");
        if (parts.length < 4) {
            return null;
        }
        String version = parts[parts.length - 2];
        String artifact = parts[parts.length - 3];
        String group = String.join(".", java.util.Arrays.copyOf(parts, parts.length - 3));
        return group + ":" + artifact + ":" + version;
    }

    private static void put(Map<String, String> tags, String key, String value) {
        if (value != null && !value.isBlank()) {
            tags.put(key, truncate(value, 5000));
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
