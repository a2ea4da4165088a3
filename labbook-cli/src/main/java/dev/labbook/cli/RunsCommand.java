package dev.labbook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code labbook runs}: work with recorded runs. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Work with recorded runs.",
        subcommands = {ReproduceCommand.class})
final class RunsCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
