package dev.labbook.train.data;

import dev.labbook.core.LabbookException;
import dev.labbook.train.util.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads a file once into a cache folder, checking its SHA-256, and reuses it afterwards. A
 * verified file gets a {@code .sha256} marker beside it so later runs need not hash it again;
 * a partial download lives under a {@code .part} name and never replaces a good file.
 *
 * @param uri where to download from
 * @param sha256 the expected hex digest
 * @param cacheDir e.g. {@code ~/.cache/labbook/datasets}
 * @param fileName the name in the cache
 */
public record Download(URI uri, String sha256, Path cacheDir, String fileName) {

    /** The original IMDb archive from the dataset's home page (Stanford AI Lab), 84 MB. */
    public static Download imdb(Path cacheDir) {
        return new Download(URI.create("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"),
                "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe", cacheDir, "aclImdb_v1.tar.gz");
    }

    /** The default cache folder: {@code ~/.cache/labbook/datasets}. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "labbook", "datasets");
    }

    /** The cached file, downloading and verifying it first if needed. */
    public Path fetch(PrintStream progressOut) {
        Path target = cacheDir.resolve(fileName);
        Path marker = cacheDir.resolve(fileName + ".sha256");
        try {
            if (Files.isRegularFile(target) && Files.isRegularFile(marker)
                    && Files.readString(marker).trim().equals(sha256)) {
                return target;
            }
            Files.createDirectories(cacheDir);
            Path part = cacheDir.resolve(fileName + ".part");
            String actual = download(part, progressOut);
            if (!actual.equals(sha256)) {
                Files.deleteIfExists(part);
                throw LabbookException.invalid("the download from %s has SHA-256 %s, expected %s; it was discarded. "
                        + "Retry, or download it yourself and pass --data PATH", uri, actual, sha256);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(marker, sha256 + "\n");
            return target;
        } catch (IOException e) {
            throw new LabbookException(dev.labbook.core.ErrorCode.TEMPORARILY_UNAVAILABLE, String.format(
                    "cannot download %s (%s); download it yourself and pass --data PATH or set LABBOOK_DATA_DIR", uri, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabbookException(dev.labbook.core.ErrorCode.TEMPORARILY_UNAVAILABLE, "download interrupted", e);
        }
    }

    private String download(Path part, PrintStream progressOut) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("HTTP " + response.statusCode());
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        MessageDigest md = Hashing.sha256();
        try (InputStream in = response.body();
             OutputStream out = Files.newOutputStream(part);
             Progress p = progressOut == null ? Progress.silent() : Progress.of(progressOut, "downloading " + fileName, length, "MB")) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                md.update(buf, 0, n);
                p.advance(n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
