package dev.labbook.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.train.data.Review;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    @Test
    void computesTheUsualFigures() {
        int[] labels = {1, 1, 1, 0, 0, 0};
        double[] scores = {0.9, 0.6, 0.4, 0.7, 0.2, 0.1};
        Evaluation e = Evaluator.evaluate(labels, scores);
        assertEquals(2, e.tp());
        assertEquals(1, e.fn());
        assertEquals(1, e.fp());
        assertEquals(2, e.tn());
        assertEquals(4 / 6.0, e.accuracy(), 1e-12);
        assertEquals(2 / 3.0, e.precision(), 1e-12);
        assertEquals(2 / 3.0, e.recall(), 1e-12);
        assertEquals(2 / 3.0, e.f1(), 1e-12);
        // pairs (pos, neg) ranked right: 0.9>all 3, 0.6>0.2,0.1, 0.4>0.2,0.1 -> 7 of 9
        assertEquals(7 / 9.0, e.rocAuc(), 1e-12);
        double ll = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.4) + Math.log(0.3) + Math.log(0.8) + Math.log(0.9)) / 6;
        assertEquals(ll, e.logLoss(), 1e-12);
        assertEquals(10, e.asMetrics("test_").size());
    }

    @Test
    void tiesCountHalfAndTheRocCurveEndsInTheCorner() {
        int[] labels = {1, 0};
        double[] scores = {0.5, 0.5};
        assertEquals(0.5, Evaluator.evaluate(labels, scores).rocAuc(), 1e-12);
        List<Evaluator.RocPoint> roc = Evaluator.roc(new int[] {1, 0, 1, 0}, new double[] {0.9, 0.8, 0.3, 0.1});
        assertEquals(new Evaluator.RocPoint(0, 0), roc.get(0));
        assertEquals(new Evaluator.RocPoint(1, 1), roc.get(roc.size() - 1));
        assertTrue(Double.isNaN(Evaluator.evaluate(new int[] {1}, new double[] {0.7}).rocAuc()));
    }

    @Test
    void mostConfidentMistakesComeFirst() {
        List<Review> reviews = List.of(new Review("a", "x", 1), new Review("b", "y", 0), new Review("c", "z", 1));
        List<Mistakes.Mistake> top = Mistakes.top(reviews, new double[] {0.3, 0.99, 0.9}, 50);
        assertEquals(List.of("b", "a"), top.stream().map(Mistakes.Mistake::id).toList());
        assertTrue(Mistakes.toTsv(top).startsWith("id\tlabel\tscore\ttext\nb\tnegative\t0.990000\ty\n"));
    }
}
