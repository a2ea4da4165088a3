package dev.labbook.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.LabbookException;
import dev.labbook.train.model.NbLrModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code labbook models predict} on the UCI sentences' own CSV and JSONL files. */
class BatchPredictorTest {
    @TempDir
    static Path dir;
    static NbLrModel model;

    @BeforeAll
    static void train() {
        model = TestModels.train(1.0, dir.resolve("model"));
    }

    private static List<List<String>> read(Path csv) throws Exception {
        CsvRecords r = new CsvRecords(new StringReader(Files.readString(csv)));
        List<List<String>> out = new ArrayList<>();
        for (List<String> row = r.next(); row != null; row = r.next()) {
            out.add(row);
        }
        return out;
    }

    @Test
    void aCsvIsScoredInOrderWithItsColumnsKept() throws Exception {
        Path input = TestModels.datasets().resolve("uci-sentences").resolve("sentences.csv");
        Path output = dir.resolve("out").resolve("scored.csv");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BatchPredictor.Summary s = new BatchPredictor(model, "text", 2).run(input, output, new PrintStream(progress, true, StandardCharsets.UTF_8));
        List<List<String>> in = read(input);
        List<List<String>> out = read(output);
        assertEquals(in.size() - 1, s.rows());
        assertEquals(in.size(), out.size());
        List<String> header = new ArrayList<>(in.get(0));
        header.add("predicted_label");
        header.add("predicted_score");
        assertEquals(header, out.get(0));
        int at = in.get(0).indexOf("text");
        for (int i = 1; i < in.size(); i++) {
            List<String> row = out.get(i);
            assertEquals(in.get(i), row.subList(0, in.get(i).size()), "row " + i);
            double expected = model.score(in.get(i).get(at));
            assertEquals(expected, Double.parseDouble(row.get(row.size() - 1)), 0.0);
            assertEquals(expected >= 0.5 ? "positive" : "negative", row.get(row.size() - 2));
        }
        String p = progress.toString(StandardCharsets.UTF_8);
        assertTrue(p.contains("100%") && p.contains(String.format("%,d rows", in.size() - 1)), p);
        try (var files = Files.list(output.getParent())) {
            assertEquals(List.of("scored.csv"), files.map(f -> f.getFileName().toString()).toList(), "no partial file left");
        }
    }

    @Test
    void aJsonlFileAndAnotherTextColumn() throws Exception {
        Path input = dir.resolve("reviews.jsonl");
        List<String> texts = TestModels.texts(600);
        StringBuilder sb = new StringBuilder();
        for (String t : texts) {
            sb.append(Http.JSON.writeValueAsString(java.util.Map.of("review", t, "n", 1))).append('\n');
        }
        Files.writeString(input, sb + "\n");
        Path output = dir.resolve("reviews.csv");
        new BatchPredictor(model, "review", 3).run(input, output, null);
        List<List<String>> out = read(output);
        assertEquals(List.of("review", "label", "score"), out.get(0));
        assertEquals(texts.size() + 1, out.size());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(texts.get(i), out.get(i + 1).get(0));
            assertEquals(model.score(texts.get(i)), Double.parseDouble(out.get(i + 1).get(2)), 0.0);
        }
    }

    /** A 20 MB file of 10 KB rows, scored by a JVM with a 16 MB heap: nothing holds the file, or even many rows, at once. */
    @Test
    void aFileLargerThanTheHeapStreamsThrough() throws Exception {
        Path input = dir.resolve("long-rows.csv");
        String row = String.join(" ", TestModels.texts(160)).replace("\"", "'");
        int rows = 2_000;
        try (var w = Files.newBufferedWriter(input)) {
            w.write("id,text\n");
            for (int i = 0; i < rows; i++) {
                w.write(i + ",\"" + i + " " + row + "\"\n");
            }
        }
        assertTrue(Files.size(input) > 16L << 20, "larger than the heap: " + Files.size(input));
        Path output = dir.resolve("long-rows-scored.csv");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx16m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                PredictMain.class.getName(), dir.resolve("model").toString(), input.toString(), output.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        assertTrue(log.contains("rows " + rows), log);
        try (var lines = Files.lines(output)) {
            assertEquals(rows + 1, lines.count());
        }
        try (var lines = Files.lines(output)) {
            String last = lines.reduce((a, b) -> b).orElseThrow();
            String text = (rows - 1) + " " + row;
            assertTrue(last.endsWith("," + model.score(text)), last.substring(Math.max(0, last.length() - 60)));
        }
    }

    @Test
    void badInputsFailWithOneLine() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "review\nhello\n");
        BatchPredictor p = new BatchPredictor(model, "text", 1);
        LabbookException noColumn = assertThrows(LabbookException.class, () -> p.run(csv, dir.resolve("o.csv"), null));
        assertTrue(noColumn.getMessage().contains("no column 'text'") && noColumn.getMessage().contains("--text-column"));
        assertThrows(LabbookException.class, () -> p.run(dir.resolve("in.parquet"), dir.resolve("o.csv"), null));
        assertThrows(LabbookException.class, () -> p.run(dir.resolve("missing.csv"), dir.resolve("o.csv"), null));
        Path jsonl = dir.resolve("bad.jsonl");
        Files.writeString(jsonl, "{\"text\": \"ok\"}\n{\"text\": 5}\n");
        LabbookException line2 = assertThrows(LabbookException.class, () -> p.run(jsonl, dir.resolve("o.csv"), null));
        assertTrue(line2.getMessage().contains("line 2"), line2.getMessage());
        assertFalse(Files.exists(dir.resolve("o.csv")));
    }
}
