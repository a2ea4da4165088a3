package dev.labbook.cli;

import dev.labbook.train.eval.Evaluation;
import dev.labbook.train.pipeline.TrainResult;
import java.io.PrintStream;
import java.util.Locale;

/** How training results are printed. */
final class Reports {
    private Reports() {}

    static void printResult(PrintStream out, TrainResult r) {
        Evaluation t = r.test();
        out.printf(Locale.ROOT, "%nrun %s FINISHED%n", r.runId());
        out.printf(Locale.ROOT, "  test accuracy  %.4f   precision %.4f   recall %.4f   F1 %.4f%n",
                t.accuracy(), t.precision(), t.recall(), t.f1());
        out.printf(Locale.ROOT, "  test ROC AUC   %.4f   log loss  %.4f   confusion [tn %d fp %d / fn %d tp %d]%n",
                t.rocAuc(), t.logLoss(), t.tn(), t.fp(), t.fn(), t.tp());
        if (r.validation() != null) {
            out.printf(Locale.ROOT, "  val accuracy   %.4f%n", r.validation().accuracy());
        }
        double work = r.featureSeconds() + r.trainSeconds();
        out.printf(Locale.ROOT, "  time: features %.1f s + training %.1f s = %.1f s; tracking %.3f s (%.2f%%)%n",
                r.featureSeconds(), r.trainSeconds(), work, r.trackingSeconds(), work > 0 ? 100 * r.trackingSeconds() / work : 0);
    }
}
