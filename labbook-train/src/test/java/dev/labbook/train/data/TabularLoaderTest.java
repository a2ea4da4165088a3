package dev.labbook.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.LabbookException;
import dev.labbook.train.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularLoaderTest {

    @Test
    void readsTheUciSentencesCsvAndJsonl() {
        LabeledData csv = new TabularLoader("text", "label", 0.2, 7).load(TestData.uciSentences().resolve("sentences.csv"));
        assertEquals(2400, csv.train().size());
        assertEquals(600, csv.test().size());
        assertEquals("csv", csv.info().format());
        assertEquals("d3c60bd67d5764326088d1d602c75a5da4fdf91262d95f8023516c9c22d3da97", csv.info().fileDigest());
        assertTrue(java.util.stream.Stream.concat(csv.train().stream(), csv.test().stream()).anyMatch(r -> r.text().equals("Wow... Loved this place.") && r.label() == 1));

        LabeledData jsonl = new TabularLoader("review", "sentiment", 0.2, 7).load(TestData.uciSentences().resolve("sentences.jsonl"));
        assertEquals(2400, jsonl.train().size());
        // same texts and the same seeded split in both formats
        Set<String> a = new HashSet<>(csv.test().stream().map(Review::text).toList());
        Set<String> b = new HashSet<>(jsonl.test().stream().map(Review::text).toList());
        assertEquals(a, b);
    }

    @Test
    void quotedCsvFieldsAndTsv(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("r.csv");
        Files.writeString(csv, "id,text,label\r\n1,\"Good, really \"\"good\"\"\nfilm\",pos\r\n2,bad,neg\r\n3,ok,1\r\n4,meh,0\r\n");
        LabeledData d = new TabularLoader("text", "label", 0.5, 1).load(csv);
        Set<String> texts = new HashSet<>();
        d.train().forEach(r -> texts.add(r.text()));
        d.test().forEach(r -> texts.add(r.text()));
        assertTrue(texts.contains("Good, really \"good\"\nfilm"));

        Path tsv = dir.resolve("r.tsv");
        Files.writeString(tsv, "text\tlabel\ngreat\tpositive\nawful\tnegative\nfine\tpositive\nbad\tnegative\n");
        assertEquals(4, sizeOf(new TabularLoader("text", "label", 0.5, 3).load(tsv)));
    }

    @Test
    void badInputsFailWithAClearMessage(@TempDir Path dir) throws IOException {
        Path csv = TestData.uciSentences().resolve("sentences.csv");
        assertTrue(assertThrows(LabbookException.class, () -> new TabularLoader("review", "label", 0.2, 1).load(csv))
                .getMessage().contains("no column 'review'"));
        Path badLabel = dir.resolve("b.csv");
        Files.writeString(badLabel, "text,label\nfine,5\n");
        assertTrue(assertThrows(LabbookException.class, () -> new TabularLoader("text", "label", 0.2, 1).load(badLabel))
                .getMessage().contains("label '5'"));
        Path empty = dir.resolve("e.jsonl");
        Files.writeString(empty, "\n");
        assertThrows(LabbookException.class, () -> new TabularLoader("text", "label", 0.2, 1).load(empty));
        Path notJson = dir.resolve("n.jsonl");
        Files.writeString(notJson, "{oops\n");
        assertTrue(assertThrows(LabbookException.class, () -> new TabularLoader("text", "label", 0.2, 1).load(notJson))
                .getMessage().contains("not JSON"));
        Path oneClass = dir.resolve("o.csv");
        Files.writeString(oneClass, "text,label\na,1\nb,1\nc,1\nd,1\n");
        assertThrows(LabbookException.class, () -> new TabularLoader("text", "label", 0.5, 1).load(oneClass));
        assertThrows(LabbookException.class, () -> new TabularLoader("text", "label", 0.5, 1).load(dir.resolve("missing.csv")));
    }

    private static int sizeOf(LabeledData d) {
        return d.train().size() + d.test().size();
    }
}
