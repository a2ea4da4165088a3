package dev.labbook.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.train.model.NbLrModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code labbook models package}: the jar, started as a separate {@code java -jar} process, answers /invocations. */
class PackagedJarTest {
    private static final Pattern LISTENING = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/invocations");

    @Test
    void thePackagedJarServesTheModelInItsOwnProcess(@TempDir Path dir) throws Exception {
        NbLrModel trained = TestModels.train(1.0, dir.resolve("model"));
        LoadedModel model = new ModelResolver(null, new ModelCache(dir.resolve("cache"))).load(ModelUri.parse(dir.resolve("model").toString()));
        Path jar = dir.resolve("out").resolve("model.jar");
        ModelPackager.write(model, jar);
        try (JarFile jf = new JarFile(jar.toFile())) {
            assertEquals(PackagedMain.class.getName(), jf.getManifest().getMainAttributes().getValue("Main-Class"));
            assertTrue(jf.getEntry("labbook-model/MLmodel") != null && jf.getEntry("labbook-model/weights.bin") != null);
            assertTrue(jf.getEntry("io/javalin/Javalin.class") != null);
            assertTrue(jf.stream().noneMatch(e -> e.getName().startsWith("org/sqlite/") || e.getName().startsWith("ai/djl/")
                    || e.getName().startsWith("org/junit/")), "no store, PyTorch or test classes in an NB-LR jar");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx128m", "-jar", jar.toString(), "--port", "0", "-w", "2")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
                StringBuilder seen = new StringBuilder();
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        seen.append(line).append('\n');
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            return Integer.parseInt(m.group(1));
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new IllegalStateException("the jar exited without serving:\n" + seen);
            });
            int serving = port.get(60, TimeUnit.SECONDS);
            // keep draining its output so the process never blocks on a full pipe
            CompletableFuture.runAsync(() -> {
                try {
                    while (out.readLine() != null) {
                        // discard
                    }
                } catch (java.io.IOException ignored) {
                    // the process was killed
                }
            });
            assertEquals(200, Http.get(serving, "/health").status());
            List<String> texts = TestModels.texts(20);
            Http.Answer a = Http.json(serving, Map.of("dataframe_records", texts.stream().map(t -> Map.of("text", t)).toList()));
            assertEquals(200, a.status(), a.body());
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(trained.score(texts.get(i)), a.json().get("predictions").get(i).get("score").asDouble(), 0.0);
            }
            assertEquals(400, Http.json(serving, Map.of("dataframe_records", List.of(Map.of("review", "x")))).status());
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
