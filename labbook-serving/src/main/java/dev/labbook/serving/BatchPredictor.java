package dev.labbook.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labbook.core.LabbookException;
import dev.labbook.train.model.Prediction;
import dev.labbook.train.model.SentimentModel;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code labbook models predict}: scores a CSV or JSONL file into a CSV, streaming. Rows are read
 * in chunks, each chunk is scored on a pool of one thread per core, and chunks are written in
 * input order; a chunk is at most 1,024 rows or 256K characters and at most {@code 2 x cores}
 * chunks are in memory at once, so a file of any size needs a few MB of heap. A CSV's columns are copied to the output followed by {@code label} and
 * {@code score} ({@code predicted_label}, {@code predicted_score} when the input has a column of
 * either name); a JSONL file gives {@code text,label,score}. The output is written beside its
 * final name and renamed when complete.
 */
public final class BatchPredictor {
    /** Rows per chunk: large enough to keep the pool busy, small enough to bound memory. */
    static final int CHUNK = 1024;
    /** Characters per chunk: long rows end a chunk early, so memory stays bounded whatever the row size. */
    static final int CHUNK_CHARS = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SentimentModel model;
    private final String textColumn;
    private final int threads;

    /** Scores with {@code model} the column {@code textColumn} on {@code threads} threads. */
    public BatchPredictor(SentimentModel model, String textColumn, int threads) {
        this.model = model;
        this.textColumn = textColumn;
        this.threads = Math.max(1, threads);
    }

    /** What a run did. */
    public record Summary(long rows, double seconds) {
        /** Rows scored per second of wall time. */
        public double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : rows;
        }
    }

    /** Scores {@code input} into {@code output}, printing progress to {@code progress} (may be null). */
    public Summary run(Path input, Path output, PrintStream progress) throws IOException {
        boolean jsonl = isJsonl(input);
        if (!jsonl && !input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            throw LabbookException.invalid("-i %s: the input must be a .csv or a .jsonl file", input);
        }
        if (!Files.isRegularFile(input)) {
            throw LabbookException.notFound("-i %s: no such file", input);
        }
        long size = Files.size(input);
        long t0 = System.nanoTime();
        Path abs = output.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".part");
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "predict");
            t.setDaemon(true);
            return t;
        });
        Progress bar = new Progress(progress, size);
        try (Counting counting = new Counting(Files.newInputStream(input));
                BufferedReader reader = new BufferedReader(new InputStreamReader(counting, StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)), 1 << 16);
                Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8), 1 << 16)) {
            Rows rows = jsonl ? new JsonlRows(reader, textColumn, input) : new CsvRows(reader, textColumn, input);
            out.write(rows.header());
            ArrayDeque<CompletableFuture<String>> inFlight = new ArrayDeque<>();
            long done = 0;
            for (List<Row> chunk = rows.chunk(CHUNK); !chunk.isEmpty(); chunk = rows.chunk(CHUNK)) {
                List<Row> c = chunk;
                inFlight.add(CompletableFuture.supplyAsync(() -> score(c), pool));
                done += c.size();
                while (inFlight.size() >= 2 * threads) {
                    out.write(inFlight.poll().join());
                }
                bar.update(done, counting.count());
            }
            while (!inFlight.isEmpty()) {
                out.write(inFlight.poll().join());
            }
            out.flush();
            double seconds = (System.nanoTime() - t0) / 1e9;
            bar.finish(done, seconds);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            return new Summary(done, seconds);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw LabbookException.invalid("-i %s is not UTF-8 text", input);
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            pool.shutdownNow();
            Files.deleteIfExists(tmp);
        }
    }

    private String score(List<Row> chunk) {
        StringBuilder sb = new StringBuilder(chunk.size() * 64);
        double[] scores = new double[chunk.size()];
        ScoringServer.scoreInto(model, chunk.stream().map(Row::text).toList(), 0, scores.length, scores);
        for (int i = 0; i < scores.length; i++) {
            Row r = chunk.get(i);
            double s = scores[i];
            sb.append(r.prefix()).append(Prediction.of(s).label()).append(',').append(s).append('\n');
        }
        return sb.toString();
    }

    static boolean isJsonl(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jsonl") || n.endsWith(".ndjson");
    }

    /** One input row: the text to score and the output line up to the label. */
    private record Row(String text, String prefix) {}

    private interface Rows {
        String header();

        List<Row> chunk(int max) throws IOException;
    }

    private static final class CsvRows implements Rows {
        private final CsvRecords records;
        private final List<String> header;
        private final int at;
        private final Path file;

        CsvRows(BufferedReader reader, String column, Path file) throws IOException {
            this.records = new CsvRecords(reader);
            this.file = file;
            List<String> h = records.next();
            if (h == null) {
                throw LabbookException.invalid("-i %s is empty: it needs a header row naming a '%s' column", file, column);
            }
            this.header = h;
            this.at = h.indexOf(column);
            if (at < 0) {
                throw LabbookException.invalid("-i %s has no column '%s' (its columns: %s); pass --text-column", file, column,
                        String.join(", ", h));
            }
        }

        @Override
        public String header() {
            StringBuilder sb = new StringBuilder();
            for (String h : header) {
                sb.append(CsvRecords.quote(h)).append(',');
            }
            // a file that already has a label (the true one, say) keeps it; the prediction's columns move aside
            boolean taken = header.contains("label") || header.contains("score");
            return sb.append(taken ? "predicted_label,predicted_score\n" : "label,score\n").toString();
        }

        @Override
        public List<Row> chunk(int max) throws IOException {
            List<Row> out = new ArrayList<>();
            long chars = 0;
            for (List<String> r; out.size() < max && chars < CHUNK_CHARS && (r = records.next()) != null; ) {
                if (r.size() != header.size()) {
                    throw LabbookException.invalid("%s: the record ending on line %d has %d fields, the header %d", file,
                            records.line() - 1, r.size(), header.size());
                }
                StringBuilder prefix = new StringBuilder();
                for (String f : r) {
                    prefix.append(CsvRecords.quote(f)).append(',');
                }
                out.add(new Row(r.get(at), prefix.toString()));
                chars += prefix.length();
            }
            return out;
        }
    }

    private static final class JsonlRows implements Rows {
        private final BufferedReader reader;
        private final String column;
        private final Path file;
        private long line;

        JsonlRows(BufferedReader reader, String column, Path file) {
            this.reader = reader;
            this.column = column;
            this.file = file;
        }

        @Override
        public String header() {
            return CsvRecords.quote(column) + ",label,score\n";
        }

        @Override
        public List<Row> chunk(int max) throws IOException {
            List<Row> out = new ArrayList<>();
            long chars = 0;
            for (String l; out.size() < max && chars < CHUNK_CHARS && (l = reader.readLine()) != null; ) {
                line++;
                if (l.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(l);
                } catch (IOException e) {
                    throw LabbookException.invalid("%s line %d is not JSON", file, line);
                }
                JsonNode v = n.get(column);
                if (v == null || !v.isTextual()) {
                    throw LabbookException.invalid("%s line %d has no string '%s'; pass --text-column", file, line, column);
                }
                out.add(new Row(v.asText(), CsvRecords.quote(v.asText()) + ","));
                chars += l.length();
            }
            return out;
        }
    }

    /** Counts the bytes read, for the progress line. */
    private static final class Counting extends FilterInputStream {
        private final AtomicLong count = new AtomicLong();

        Counting(InputStream in) {
            super(in);
        }

        long count() {
            return count.get();
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }

    /** A progress line on stderr, redrawn at most five times a second. */
    private static final class Progress {
        private final PrintStream out;
        private final long size;
        private final long start = System.nanoTime();
        private long last;

        Progress(PrintStream out, long size) {
            this.out = out;
            this.size = size;
        }

        void update(long rows, long bytes) {
            long now = System.nanoTime();
            if (out == null || now - last < 200_000_000L) {
                return;
            }
            last = now;
            int pct = size > 0 ? (int) Math.min(100, bytes * 100 / size) : 100;
            int filled = pct / 5;
            double secs = (now - start) / 1e9;
            out.printf("\r[%s%s] %3d%%  %,d rows  %,.0f rows/s", "#".repeat(filled), " ".repeat(20 - filled), pct, rows,
                    secs > 0 ? rows / secs : 0.0);
            out.flush();
        }

        void finish(long rows, double seconds) {
            if (out != null) {
                out.printf("\r[%s] 100%%  %,d rows  %,.0f rows/s in %.1f s%n", "#".repeat(20), rows,
                        seconds > 0 ? rows / seconds : (double) rows, seconds);
            }
        }
    }
}
