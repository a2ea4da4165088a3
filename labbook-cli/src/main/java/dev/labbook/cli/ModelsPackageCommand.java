package dev.labbook.cli;

import dev.labbook.serving.LoadedModel;
import dev.labbook.serving.ModelPackager;
import dev.labbook.serving.ModelUri;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code labbook models package}: a self-contained runnable jar serving one model. */
@Command(name = "package", mixinStandardHelpOptions = true,
        description = "Write a runnable jar holding the scoring server and the model: java -jar model.jar --port 5000.")
final class ModelsPackageCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model-uri"}, required = true, description = "models:/NAME/VERSION, models:/NAME@ALIAS, runs:/RUN_ID/model, or a directory.")
    String modelUri;

    @Option(names = {"-o", "--output"}, required = true, description = "The jar to write, or a directory to write NAME-VERSION.jar into.")
    Path output;

    @Mixin
    ModelsCommand.Source source;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = source.resolver().load(ModelUri.parse(modelUri));
        Path jar = ModelPackager.write(m, output);
        System.out.printf("wrote %s (%,.1f MB) serving %s; run it with: java -jar %s --port 5000%n", jar,
                java.nio.file.Files.size(jar) / 1e6, m.label(), jar);
        return 0;
    }
}
