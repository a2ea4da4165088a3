package dev.labbook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code labbook} command. */
@Command(name = "labbook", mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Experiment tracking and model training for the JVM.",
        subcommands = {ServerCommand.class, QuickstartCommand.class, TrainCommand.class, RunsCommand.class, SyncCommand.class,
            ModelsCommand.class, SweepCommand.class, ImportCommand.class, DbCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        Logging.configure();
        int code = commandLine().execute(args);
        if (code != ServerCommand.KEEP_RUNNING) {
            System.exit(code);
        }
    }

    /** The command line with Labbook's error handling: one actionable line, non-zero exit. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("labbook: " + Errors.describe(e));
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Prints the version from the jar manifest. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"labbook " + dev.labbook.core.provenance.BuildInfo.current().describe()};
        }
    }
}
