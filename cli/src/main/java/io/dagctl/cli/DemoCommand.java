package io.dagctl.cli;

import io.dagctl.dags.demo.DemoData;
import io.dagctl.hooks.postgres.PostgresHook;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", description = "Demo data for the bundled DAGs.", subcommands = DemoCommand.Seed.class)
final class DemoCommand {
    @ParentCommand
    private Dagctl dagctl;

    @Command(name = "seed", description = "(Re)loads the demo data into the booking_db connection: Airbnb users and "
            + "sessions, and the bike-sharing reference table (current emptied).")
    static final class Seed implements Callable<Integer> {
        @ParentCommand
        private DemoCommand demo;

        @Option(names = "--users", defaultValue = "" + DemoData.DEFAULT_USERS,
                description = "How many users with sessions (default ${DEFAULT-VALUE}).")
        private int users;

        @Option(names = "--seed", defaultValue = "" + DemoData.DEFAULT_SEED,
                description = "The random seed; the same seed gives the same data (default ${DEFAULT-VALUE}).")
        private long seed;

        @Override
        public Integer call() {
            if (users < 1) {
                throw CliException.usage("--users must be at least 1, not " + users);
            }
            Dagctl dagctl = demo.dagctl;
            PostgresHook hook = new PostgresHook(dagctl.connections().get("booking_db"));
            DemoData.Summary summary = DemoData.seed(hook, users, seed);
            dagctl.out().println("seeded " + hook.connection() + ": " + summary.users() + " users ("
                    + summary.usersWithSessions() + " with sessions), " + summary.sessions() + " sessions, "
                    + summary.referenceDays() + " reference days of bike rides");
            return ExitCodes.OK;
        }
    }
}
