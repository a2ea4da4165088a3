package dev.labbook.store.artifact.s3;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * {@code length} pseudo-random bytes made on the fly (nothing is held but the generator), with
 * the SHA-256 of what was read so far: large uploads in tests without a large file or array.
 */
public final class GeneratedStream extends InputStream {
    private final SplittableRandom random;
    private final MessageDigest digest;
    private long remaining;

    public GeneratedStream(long length, long seed) {
        this.random = new SplittableRandom(seed);
        this.remaining = length;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) random.nextInt(256);
        }
        digest.update(b, off, n);
        remaining -= n;
        return n;
    }

    /** The SHA-256 (hex) of every byte read; call once, at the end. */
    public String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** What a stream held: its length and SHA-256 (hex). */
    public record Digest(long length, String sha256) {}

    /** The length and SHA-256 of everything {@code in} holds, read in 64 kB steps. */
    public static Digest digestOf(InputStream in) throws java.io.IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[64 << 10];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            d.update(buf, 0, n);
            total += n;
        }
        return new Digest(total, HexFormat.of().formatHex(d.digest()));
    }
}
