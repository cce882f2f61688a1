package io.dagctl.cli;

import io.dagctl.ops.RunDeletion;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "db", description = "Manages the metadata database.", subcommands = {DbCommand.Migrate.class, DbCommand.Clean.class})
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

    /** Airflow's {@code db clean}: deletes what ended before a date, so that the database and logs stay small. */
    @Command(name = "clean", description = "Deletes the runs that ended before a date, with their task instances, "
            + "XCom values and task logs; runs still queued or running are kept.")
    static final class Clean implements Callable<Integer> {
        @ParentCommand
        private DbCommand db;

        @Option(names = "--before", required = true, paramLabel = "DATE",
                description = "A day (2026-11-01, from its start in UTC) or an instant (2026-11-01T12:00:00Z).")
        private String before;

        @Override
        public Integer call() {
            RunDeletion.Cleaned cleaned = db.dagctl.runDeletion().deleteEndedBefore(instant(before));
            cleaned.runs().forEach(deleted -> db.dagctl.out().println("deleted " + RunsCommand.describe(deleted)));
            db.dagctl.out().println(cleaned.runs().size() + " run(s) that ended before " + cleaned.before()
                    + " deleted");
            return ExitCodes.OK;
        }

        private static Instant instant(String text) {
            try {
                return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
            } catch (DateTimeParseException e) {
                throw CliException.usage("--before '" + text + "' is neither a day such as 2026-11-01 nor an instant "
                        + "such as 2026-11-01T12:00:00Z");
            }
        }
    }
}
