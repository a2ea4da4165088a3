package dev.labbook.serving;

import dev.labbook.train.model.Models;
import java.nio.file.Path;

/** {@link BatchPredictor} in a JVM of its own, for the test that gives it a heap smaller than its input. */
public final class PredictMain {
    private PredictMain() {}

    /** Arguments: model directory, input file, output file. */
    public static void main(String[] args) throws Exception {
        BatchPredictor.Summary s = new BatchPredictor(Models.load(Path.of(args[0])), "text", 2).run(Path.of(args[1]), Path.of(args[2]), null);
        System.out.println("rows " + s.rows());
    }
}
