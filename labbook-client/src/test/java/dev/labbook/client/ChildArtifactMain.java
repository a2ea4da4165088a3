package dev.labbook.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Runs in a JVM with a small heap: writes a large pseudo-random file, logs it as an artifact,
 * downloads it again, and prints the SHA-256 of both. Args: tracking URI, spool root, work dir, MB.
 */
public final class ChildArtifactMain {
    private ChildArtifactMain() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[2]);
        long bytes = Long.parseLong(args[3]) << 20;
        Path big = work.resolve("big.bin");
        try (OutputStream out = Files.newOutputStream(big)) {
            SplittableRandom rnd = new SplittableRandom(7);
            byte[] buf = new byte[1 << 16];
            for (long done = 0; done < bytes; done += buf.length) {
                for (int i = 0; i < buf.length; i += 8) {
                    long v = rnd.nextLong();
                    for (int j = 0; j < 8; j++) {
                        buf[i + j] = (byte) (v >>> (8 * j));
                    }
                }
                out.write(buf, 0, (int) Math.min(buf.length, bytes - done));
            }
        }
        System.out.println("SENT " + sha256(big));
        Run run = Labbook.init(new RunOptions().setExperiment("artifacts").optTrackingUri(args[0])
                .optSpoolDir(Path.of(args[1])).optSystemMetrics(false).optCaptureEnvironment(false));
        run.logArtifact(big, "data");
        DeliveryReport r = run.finish();
        if (!r.complete() || r.droppedRecords() > 0) {
            throw new IllegalStateException(r.toString());
        }
        Path back = work.resolve("back.bin");
        TrackingClient.of(args[0]).downloadArtifact(run.artifactUri(), "data/big.bin", back);
        System.out.println("RUN " + run.id());
        System.out.println("RECEIVED " + sha256(back));
        System.out.println("MAXHEAP " + (Runtime.getRuntime().maxMemory() >> 20));
        System.exit(0);
    }

    static String sha256(Path file) throws IOException, java.security.NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
