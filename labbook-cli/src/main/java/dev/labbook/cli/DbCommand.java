package dev.labbook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code labbook db}: operations on a backend store. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Operations on a Labbook backend store.",
        subcommands = {DbUpgradeCommand.class, DbMigrateCommand.class})
final class DbCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
