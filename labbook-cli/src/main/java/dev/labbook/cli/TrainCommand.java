package dev.labbook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code labbook train}: trains models, each training tracked as a run. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model; every training is tracked as a run.",
        subcommands = {SentimentCommand.class})
final class TrainCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
