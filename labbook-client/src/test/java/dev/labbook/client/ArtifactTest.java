package dev.labbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.client.internal.Artifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifacts up and down through the server's artifact proxy, byte for byte. */
class ArtifactTest {
    @TempDir
    Path tmp;

    @Test
    void generatedAndFileArtifactsRoundTripAndList() throws Exception {
        try (TestServer server = TestServer.start(tmp.resolve("data"))) {
            TrackingClient client = server.client();
            Path dir = Files.createDirectories(tmp.resolve("ckpt/sub"));
            Files.write(dir.resolve("w.bin"), new byte[] {0, 1, 2, (byte) 255});
            Files.writeString(tmp.resolve("ckpt/top.txt"), "top");
            Run run = Labbook.init(new RunOptions().setExperiment("arts").optTrackingUri(server.uri())
                    .optSpoolDir(tmp.resolve("spool")).optSystemMetrics(false));
            run.logArtifacts(tmp.resolve("ckpt"), "checkpoint");
            run.logText("ünïcode text", "notes/a b.txt");
            run.logJson(Map.of("k", 1), "cfg.json");
            DeliveryReport r = run.finish();
            assertTrue(r.complete() && r.droppedRecords() == 0, r.toString());

            List<String> root = client.listArtifacts(run.id(), "").stream().map(ArtifactInfo::path).sorted().toList();
            assertEquals(List.of("cfg.json", "checkpoint", "environment", "notes"), root);
            List<String> env = client.listArtifacts(run.id(), "environment").stream().map(ArtifactInfo::path).toList();
            assertTrue(env.contains("environment/classpath.txt"), env.toString());
            Path back = tmp.resolve("back");
            client.downloadArtifact(run.artifactUri(), "checkpoint/sub/w.bin", back.resolve("w.bin"));
            client.downloadArtifact(run.artifactUri(), "notes/a b.txt", back.resolve("a.txt"));
            assertEquals(List.of((byte) 0, (byte) 1, (byte) 2, (byte) 255), toList(Files.readAllBytes(back.resolve("w.bin"))));
            assertEquals("ünïcode text", Files.readString(back.resolve("a.txt")));
            assertEquals("top", Files.readString(tmp.resolve("data/artifacts").resolve(Artifacts.root(run.artifactUri()))
                    .resolve("checkpoint/top.txt")));
        }
    }

    @Test
    void aFileOver100MbRoundTripsInAJvmWith256MbOfHeap() throws Exception {
        try (TestServer server = TestServer.start(tmp.resolve("data"))) {
            Path work = Files.createDirectories(tmp.resolve("work"));
            try (Child child = Child.start(List.of("-Xmx256m"), ChildArtifactMain.class, server.uri(),
                    tmp.resolve("spool").toString(), work.toString(), "150")) {
                String sent = child.await("SENT ", 120).substring(5);
                String runId = child.await("RUN ", 300).substring(4);
                String received = child.await("RECEIVED ", 300).substring(9);
                int maxHeapMb = Integer.parseInt(child.await("MAXHEAP ", 10).substring(8).trim());
                assertTrue(maxHeapMb <= 256, "the client ran with -Xmx256m, max heap " + maxHeapMb + " MB");
                assertEquals(sent, received, "downloaded bytes equal uploaded bytes");
                String uri = server.client().getRun(runId).info().artifactUri();
                Path stored = tmp.resolve("data/artifacts").resolve(Artifacts.root(uri)).resolve("data/big.bin");
                assertEquals(150L << 20, Files.size(stored));
                assertEquals(sent, ChildArtifactMain.sha256(stored), "the server stored the bytes sent");
            }
        }
    }

    private static List<Byte> toList(byte[] b) {
        List<Byte> out = new java.util.ArrayList<>();
        for (byte x : b) {
            out.add(x);
        }
        return out;
    }
}
