package dev.labbook.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.client.TrackingClient;
import dev.labbook.core.LabbookException;
import dev.labbook.core.registry.ModelVersion;
import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import dev.labbook.train.model.NbLrModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models registered on a real Labbook server (runs with the model's files uploaded through the
 * artifact proxy, versions created through the registry API) and served by URI: resolution,
 * the version-keyed cache, and the alias moving under concurrent load.
 */
class RegistryServingTest {
    static final String NAME = "uci-sentiment";
    @TempDir
    static Path dir;
    static LabbookServer server;
    static TrackingClient client;
    static String uri;
    static NbLrModel first;
    static NbLrModel second;
    static String firstRun;
    static String secondRun;

    @BeforeAll
    static void registerTwoVersions() {
        server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", 0, dir.resolve("server")));
        uri = "http://127.0.0.1:" + server.port();
        client = TrackingClient.of(uri);
        first = TestModels.train(1.0, dir.resolve("m1"));
        second = TestModels.train(0.05, dir.resolve("m2"));
        firstRun = TestModels.logRun(client, dir.resolve("m1"), 0.8);
        secondRun = TestModels.logRun(client, dir.resolve("m2"), 0.7);
        assertEquals("1", Registration.register(client, firstRun, "model", NAME).version());
        assertEquals("2", Registration.register(client, secondRun, null, NAME).version());
        client.registry().setRegisteredModelAlias(NAME, "champion", "1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ModelResolver resolver(String cache) {
        return new ModelResolver(uri, new ModelCache(dir.resolve(cache)));
    }

    @Test
    void registrationLinksTheRunAndTagsItsMetrics() {
        ModelVersion v = client.registry().getModelVersion(NAME, "1");
        assertEquals("runs:/" + firstRun + "/model", v.source());
        assertEquals(firstRun, v.runId());
        assertTrue(v.tags().stream().anyMatch(t -> t.key().equals("test_accuracy") && t.value().equals("0.8")), v.tags().toString());
        LabbookException none = assertThrows(LabbookException.class, () -> Registration.register(client, firstRun, "nothing", NAME));
        assertTrue(none.getMessage().contains("no model at 'nothing'"), none.getMessage());
    }

    @Test
    void everyUriFormResolvesToTheRightFiles() {
        ModelResolver r = resolver("cache-forms");
        List<String> texts = TestModels.texts(50);
        LoadedModel byVersion = r.load(ModelUri.parse("models:/" + NAME + "/2"));
        assertEquals("2", byVersion.version());
        assertEquals(secondRun, byVersion.runId());
        LoadedModel byAlias = r.load(ModelUri.parse("models:/" + NAME + "@champion"));
        assertEquals("1", byAlias.version());
        LoadedModel byRun = r.load(ModelUri.parse("runs:/" + secondRun + "/model"));
        assertEquals(secondRun, byRun.runId());
        for (String t : texts) {
            assertEquals(second.score(t), byVersion.model().score(t), 0.0);
            assertEquals(first.score(t), byAlias.model().score(t), 0.0);
            assertEquals(second.score(t), byRun.model().score(t), 0.0);
        }
        client.registry().transitionModelVersionStage(NAME, "2", dev.labbook.core.registry.ModelStage.PRODUCTION, false);
        assertEquals("2", r.load(ModelUri.parse("models:/" + NAME + "/Production")).version());
        assertEquals("2", r.load(ModelUri.parse("models:/" + NAME + "/latest")).version());
        LabbookException noStaging = assertThrows(LabbookException.class, () -> r.load(ModelUri.parse("models:/" + NAME + "/Staging")));
        assertTrue(noStaging.getMessage().contains("no version in stage 'Staging'"), noStaging.getMessage());
        LoadedModel fileUri = r.load(ModelUri.parse(dir.resolve("m1").toUri().toString()));
        assertEquals(first.score(texts.get(0)), fileUri.model().score(texts.get(0)), 0.0);
        LabbookException missing = assertThrows(LabbookException.class, () -> r.load(ModelUri.parse("models:/" + NAME + "/9")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        LabbookException noServer = assertThrows(LabbookException.class,
                () -> new ModelResolver(null, new ModelCache(dir.resolve("x"))).load(ModelUri.parse("models:/" + NAME + "/1")));
        assertTrue(noServer.getMessage().contains("--tracking-uri"), noServer.getMessage());
        LabbookException local = assertThrows(LabbookException.class,
                () -> new ModelResolver("./labbook-data", new ModelCache(dir.resolve("x"))).load(ModelUri.parse("models:/" + NAME + "/1")));
        assertTrue(local.getMessage().contains("is a local store"), local.getMessage());
    }

    @Test
    void aSecondLoadOfAVersionUsesTheCacheWithoutDownloading() throws Exception {
        ModelCache cache = new ModelCache(dir.resolve("cache-reuse"));
        LoadedModel a = new ModelResolver(uri, cache).load(ModelUri.parse("models:/" + NAME + "/1"));
        Path weights = a.dir().resolve("weights.bin");
        Object inode = Files.getAttribute(weights, "unix:ino");
        long modified = Files.getLastModifiedTime(weights).toMillis();
        LoadedModel b = new ModelResolver(uri, cache).load(ModelUri.parse("models:/" + NAME + "/1"));
        assertEquals(a.dir(), b.dir());
        assertEquals(inode, Files.getAttribute(b.dir().resolve("weights.bin"), "unix:ino"));
        assertEquals(modified, Files.getLastModifiedTime(b.dir().resolve("weights.bin")).toMillis());
        assertTrue(a.dir().startsWith(cache.root().resolve("models").resolve(NAME)));
        // no download leftovers beside the entry
        try (var s = Files.list(a.dir().getParent())) {
            assertEquals(List.of("1"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    /**
     * Four clients score continuously while the alias moves from version 1 to 2: no request
     * fails, every answer's rows all come from the version its header names, and once a client
     * has seen version 2 it never sees version 1 again.
     */
    @Test
    void theAliasMovesUnderLoadWithoutAFailedOrMixedRequest() throws Exception {
        client.registry().setRegisteredModelAlias(NAME, "champion", "1");
        ServingOptions o = ServingOptions.defaults("127.0.0.1", 0).withWorkers(2).withPollInterval(Duration.ofMillis(100));
        List<String> texts = TestModels.texts(8);
        double[] s1 = texts.stream().mapToDouble(first::score).toArray();
        double[] s2 = texts.stream().mapToDouble(second::score).toArray();
        for (int i = 0; i < texts.size(); i++) {
            assertNotEquals(s1[i], s2[i], "the two versions must be told apart by their scores");
        }
        try (ModelService service = ModelService.start(ModelUri.parse("models:/" + NAME + "@champion"), resolver("cache-alias"), o, null)) {
            int port = service.port();
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger answered = new AtomicInteger();
            CountDownLatch servedFirst = new CountDownLatch(40);
            CountDownLatch servedSecond = new CountDownLatch(1);
            CountDownLatch afterSwitch = new CountDownLatch(4 * 20);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread t = new Thread(() -> {
                    boolean sawSecond = false;
                    int sinceSecond = 0;
                    while (!stop.get()) {
                        try {
                            Http.Answer a = Http.json(port, Map.of("inputs", texts));
                            if (a.status() != 200) {
                                failures.add(a.status() + " " + a.body());
                                continue;
                            }
                            JsonNode p = a.json().get("predictions");
                            boolean isSecond = (NAME + "/2").equals(a.modelVersion());
                            if (!isSecond && !(NAME + "/1").equals(a.modelVersion())) {
                                failures.add("unknown version " + a.modelVersion());
                            }
                            double[] want = isSecond ? s2 : s1;
                            for (int i = 0; i < want.length; i++) {
                                if (p.get(i).get("score").asDouble() != want[i]) {
                                    failures.add("row " + i + " not from " + a.modelVersion());
                                }
                            }
                            if (sawSecond && !isSecond) {
                                failures.add("version 1 answered after version 2 had");
                            }
                            if (isSecond) {
                                sawSecond = true;
                                servedSecond.countDown();
                                if (sinceSecond++ < 20) {
                                    afterSwitch.countDown();
                                }
                            } else {
                                servedFirst.countDown();
                            }
                            answered.incrementAndGet();
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }, "client-" + c);
                t.start();
                clients.add(t);
            }
            assertTrue(servedFirst.await(60, TimeUnit.SECONDS), "version 1 answers");
            client.registry().setRegisteredModelAlias(NAME, "champion", "2");
            assertTrue(servedSecond.await(60, TimeUnit.SECONDS), "version 2 answers after the alias moved");
            assertTrue(afterSwitch.await(60, TimeUnit.SECONDS), "every client goes on with version 2");
            stop.set(true);
            for (Thread t : clients) {
                t.join(60_000);
            }
            assertTrue(failures.isEmpty(), failures.size() + " failures, e.g. " + failures.peek());
            assertTrue(answered.get() >= 40 + 80);
            assertEquals("2", service.server().current().orElseThrow().version());
            JsonNode version = Http.get(port, "/version").json();
            assertEquals("2", version.get("version").asText());
            assertEquals(NAME, version.get("name").asText());
            assertEquals("models:/" + NAME + "@champion", version.get("model_uri").asText());
        } finally {
            client.registry().setRegisteredModelAlias(NAME, "champion", "1");
        }
        assertFalse(Files.exists(dir.resolve("cache-alias").resolve("models").resolve(NAME).resolve("3")));
    }
}
