package dev.labbook.cli;

import dev.labbook.serving.BatchPredictor;
import dev.labbook.serving.LoadedModel;
import dev.labbook.serving.ModelUri;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code labbook models predict}: scores a CSV or JSONL file into a CSV, streaming. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score every row of a CSV or JSONL file into a CSV (streaming, on all cores).")
final class ModelsPredictCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model-uri"}, required = true, description = "models:/NAME/VERSION, models:/NAME@ALIAS, runs:/RUN_ID/model, or a directory.")
    String modelUri;

    @Option(names = {"-i", "--input-path"}, required = true, description = "The rows to score: a .csv with a header row, or a .jsonl file.")
    Path input;

    @Option(names = {"-o", "--output-path"}, required = true, description = "The CSV to write: the input's columns, then label and score.")
    Path output;

    @Option(names = "--text-column", defaultValue = "text", description = "The column holding the text (default: ${DEFAULT-VALUE}).")
    String textColumn;

    @Option(names = "--threads", description = "Scoring threads (default: one per core).")
    Integer threads;

    @Mixin
    ModelsCommand.Source source;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = source.resolver().load(ModelUri.parse(modelUri));
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        BatchPredictor.Summary s = new BatchPredictor(m.model(), textColumn, n).run(input, output, System.err);
        System.out.printf("scored %,d rows with %s into %s (%,.0f rows/s)%n", s.rows(), m.label(), output, s.rowsPerSecond());
        return 0;
    }
}
