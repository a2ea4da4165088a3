package dev.labbook.train.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 helpers: of files as they are read, and of loaded content in a canonical form. */
public final class Hashing {
    private Hashing() {}

    /** A new SHA-256 digest (every JDK has one). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The digest of loaded reviews: each part's name, then per review its id, label and text,
     * length-prefixed so no two different contents hash alike. Parts must already be in their
     * canonical (sorted) order.
     */
    public static String contentDigest(List<Review> train, List<Review> test) {
        MessageDigest md = sha256();
        update(md, "train", train);
        update(md, "test", test);
        return HexFormat.of().formatHex(md.digest());
    }

    private static void update(MessageDigest md, String part, List<Review> reviews) {
        field(md, part);
        for (Review r : reviews) {
            field(md, r.id());
            field(md, Integer.toString(r.label()));
            field(md, r.text());
        }
    }

    private static void field(MessageDigest md, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        md.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        md.update(bytes);
    }

    /** An input stream that feeds every byte it passes on into a digest and counts them. */
    public static final class CountingDigestStream extends FilterInputStream {
        private final MessageDigest md = sha256();
        private long count;

        public CountingDigestStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                md.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                md.update(buf, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipping would bypass the digest, so read instead
            byte[] buf = new byte[8192];
            long left = n;
            while (left > 0) {
                int r = read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    break;
                }
                left -= r;
            }
            return n - left;
        }

        /** Reads what is left so the digest covers the whole stream. */
        public void drain() throws IOException {
            byte[] buf = new byte[1 << 16];
            while (read(buf, 0, buf.length) >= 0) {
                // only the digest wants these bytes
            }
        }

        /** Bytes read so far. */
        public long count() {
            return count;
        }

        /** The hex SHA-256 of the bytes read; call once, after {@link #drain()}. */
        public String hex() {
            return HexFormat.of().formatHex(md.digest());
        }
    }
}
