package dev.labbook.client.internal;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Artifact transfers through the server's artifact proxy
 * ({@code /api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>}). Files are
 * streamed in both directions, so their size never matters to the heap.
 */
public final class Artifacts {
    private static final String PROXY = "api/2.0/mlflow-artifacts/artifacts/";

    private final Http http;

    public Artifacts(Http http) {
        this.http = http;
    }

    /** The proxy path of a run's artifact root, from its {@code mlflow-artifacts:} URI. */
    public static String root(String artifactUri) {
        if (artifactUri == null || !artifactUri.startsWith("mlflow-artifacts:")) {
            throw LabbookException.invalid(
                    "The run's artifact URI %s is not served by an artifact proxy (expected mlflow-artifacts:/...)", artifactUri);
        }
        String rest = artifactUri.substring("mlflow-artifacts:".length());
        if (rest.startsWith("//")) {
            // mlflow-artifacts://host:port/path: the authority names the proxy; keep the path
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        return rest.replaceAll("^/+", "").replaceAll("/+$", "");
    }

    public void upload(String artifactUri, String artifactPath, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read artifact " + file, e);
        }
        String what = "upload " + artifactPath;
        HttpRequest req = http.request(PROXY + Http.encodePath(root(artifactUri) + "/" + clean(artifactPath)))
                .timeout(java.time.Duration.ofDays(1))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new Progress(Files.newInputStream(file), what, size);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), size))
                .build();
        try (InputStream in = http.send(req)) {
            in.transferTo(OutputStreamNull.INSTANCE);
        } catch (IOException e) {
            throw new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Upload of " + artifactPath + " failed: " + e, e);
        }
    }

    public void uploadTree(String artifactUri, String artifactDir, Path dir) {
        String prefix = artifactDir == null || artifactDir.isEmpty() ? "" : clean(artifactDir) + "/";
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        for (Path f : files) {
            upload(artifactUri, prefix + dir.relativize(f).toString().replace('\\', '/'), f);
        }
    }

    public void download(String artifactUri, String artifactPath, Path dest) {
        HttpRequest req = http.request(PROXY + Http.encodePath(root(artifactUri) + "/" + clean(artifactPath)))
                .timeout(java.time.Duration.ofDays(1)).GET().build();
        HttpResponse<InputStream> res = http.exchange(req);
        long total = res.headers().firstValueAsLong("Content-Length").orElse(-1);
        try {
            Path parent = dest.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".download-", ".part");
            try (InputStream in = new Progress(res.body(), "download " + artifactPath, total)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Download of " + artifactPath + " failed: " + e, e);
        }
    }

    private static String clean(String path) {
        String p = path.replace('\\', '/').replaceAll("^/+", "");
        for (String seg : p.split("/")) {
            if (seg.equals("..")) {
                throw LabbookException.invalid("Invalid artifact path '%s'", path);
            }
        }
        return p;
    }

    /** Discards bytes. */
    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
