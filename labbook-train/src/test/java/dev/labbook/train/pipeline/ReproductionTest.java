package dev.labbook.train.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.LabbookException;
import dev.labbook.train.TestData;
import dev.labbook.train.track.InMemoryTracking;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproductionTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void aRecordedRunIsTrainedAgainWithIdenticalMetricsAndTheDataIsChecked(@TempDir Path dir) throws Exception {
        InMemoryTracking tracking = new InMemoryTracking(dir);
        SentimentTraining training = new SentimentTraining(tracking, QUIET, null, dir);
        // the original run reads a subset of the real archive through the normal path
        TrainResult original = training.run(SentimentTrainingTest.nblr(
                Map.of("data", TestData.imdbArchive().toString(), "limit_per_class", "60")), "e", "original", Map.of());

        Reproduction.Outcome again = Reproduction.reproduce(tracking, training, original.runId(), null, "e");
        assertTrue(again.identical(), again.differences().toString());
        assertTrue(again.differences().stream().anyMatch(d -> d.key().equals("test_accuracy")));
        assertEquals(original.runId(), tracking.recorded(again.result().runId()).metricHistory().isEmpty() ? null
                : tracking.getRun(again.result().runId()).orElseThrow().data().tags().stream()
                        .filter(t -> t.key().equals("labbook.reproduces")).findFirst().orElseThrow().value());

        // other data than recorded: refused before a run starts
        int runs = tracking.all().size();
        Path other = TestData.uciSentences().resolve("sentences.csv");
        LabbookException e = assertThrows(LabbookException.class,
                () -> Reproduction.reproduce(tracking, training, original.runId(), other, "e"));
        assertTrue(e.getMessage().contains("digest"), e.getMessage());
        assertEquals(runs, tracking.all().size());
        assertFalse(assertThrows(LabbookException.class,
                () -> Reproduction.reproduce(tracking, training, "nope", null, "e")).getMessage().isEmpty());
    }
}
