package io.dagctl.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "db", description = "Manages the metadata database.", subcommands = DbCommand.Migrate.class)
final class DbCommand {
    @ParentCommand
    private Dagctl dagctl;

    @Command(name = "migrate", description = "Creates or upgrades the metadata schema (every command does it on first use).")
    static final class Migrate implements Callable<Integer> {
        @ParentCommand
        private DbCommand db;

        @Override
        public Integer call() {
            var store = db.dagctl.store();
            db.dagctl.out().println("metadata schema up to date in " + store.location());
            return ExitCodes.OK;
        }
    }
}
