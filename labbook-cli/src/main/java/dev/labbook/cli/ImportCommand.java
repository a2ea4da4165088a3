package dev.labbook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code labbook import}: brings data in from other tools. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import experiments, runs, models and artifacts from other tools.",
        subcommands = {ImportMlflowCommand.class})
final class ImportCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
