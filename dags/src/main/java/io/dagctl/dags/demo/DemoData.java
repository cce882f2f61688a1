package io.dagctl.dags.demo;

import io.dagctl.hooks.postgres.CsvOptions;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.postgres.Sql;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import org.jdbi.v3.core.Handle;

/**
 * Loads the demo pipelines' source data into PostgreSQL ({@code dagctl demo seed [--users N]}): generated Airbnb
 * users and sessions, and the first four weeks of the UCI bike-sharing data as the drift reference. Each load
 * replaces its tables in one transaction, so seeding again starts over and a failed seed changes nothing.
 */
public final class DemoData {
    /** Users with sessions by default: the booking-features rollup then has exactly this many rows. */
    public static final int DEFAULT_USERS = 5_000;
    public static final long DEFAULT_SEED = 20_140_630L;
    /** The bike-sharing days in {@code reference}: 2011-01-01 to this day. */
    public static final LocalDate REFERENCE_END = LocalDate.of(2011, 1, 28);

    private static final String BIKE_RIDES = "demo/bikeride.csv";

    private DemoData() {
    }

    /** What a seed loaded. */
    public record Summary(long users, long usersWithSessions, long sessions, long referenceDays) {
    }

    /** Both data sets into the database of {@code hook}. */
    public static Summary seed(PostgresHook hook, int usersWithSessions, long seed) {
        AirbnbGenerator.Counts airbnb = seedAirbnbTables(hook, usersWithSessions, seed);
        long referenceDays = seedBikes(hook);
        return new Summary(airbnb.users(), airbnb.usersWithSessions(), airbnb.sessions(), referenceDays);
    }

    /**
     * (Re)creates {@code users} and {@code sessions} and fills them with generated data: {@code usersWithSessions}
     * users who have sessions and one in ten more (older accounts) without. The same seed gives the same rows.
     *
     * @throws IllegalArgumentException when {@code usersWithSessions} is not positive
     */
    public static Summary seedAirbnb(PostgresHook hook, int usersWithSessions, long seed) {
        AirbnbGenerator.Counts counts = seedAirbnbTables(hook, usersWithSessions, seed);
        return new Summary(counts.users(), counts.usersWithSessions(), counts.sessions(), 0);
    }

    /** (Re)creates {@code reference} (2011-01-01 to {@link #REFERENCE_END}) and an empty {@code current}. */
    public static long seedBikes(PostgresHook hook) {
        try {
            return hook.inTransaction(handle -> {
                runScript(handle, "demo/bike_schema.sql");
                try (InputStream rides = openBikeRides()) {
                    hook.copyIn(handle, "reference", rides, CsvOptions.defaults());
                }
                handle.createUpdate("DELETE FROM reference WHERE dteday > :end").bind("end", REFERENCE_END)
                        .execute();
                return handle.createQuery("SELECT count(*) FROM reference").mapTo(Long.class).one();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("demo seed: could not read " + BIKE_RIDES + ": " + e.getMessage(), e);
        }
    }

    /** The whole bike-sharing daily table (731 days, with a header line); see {@code demo/README.md}. */
    public static InputStream openBikeRides() {
        InputStream in = DemoData.class.getClassLoader().getResourceAsStream(BIKE_RIDES);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + BIKE_RIDES + " is missing from dagctl-dags");
        }
        return in;
    }

    private static AirbnbGenerator.Counts seedAirbnbTables(PostgresHook hook, int usersWithSessions, long seed) {
        if (usersWithSessions <= 0) {
            throw new IllegalArgumentException("demo seed: the number of users must be positive, not "
                    + usersWithSessions);
        }
        Path users = null;
        Path sessions = null;
        try {
            users = Files.createTempFile("dagctl-demo-users-", ".csv");
            sessions = Files.createTempFile("dagctl-demo-sessions-", ".csv");
            AirbnbGenerator.Counts counts;
            try (Writer usersOut = Files.newBufferedWriter(users, StandardCharsets.UTF_8);
                    BufferedWriter sessionsOut = Files.newBufferedWriter(sessions, StandardCharsets.UTF_8)) {
                counts = new AirbnbGenerator(seed).write(usersWithSessions, usersOut, sessionsOut);
            }
            Path usersCsv = users;
            Path sessionsCsv = sessions;
            hook.inTransaction(handle -> {
                runScript(handle, "demo/airbnb_schema.sql");
                try (InputStream in = Files.newInputStream(usersCsv)) {
                    hook.copyIn(handle, "users", in, CsvOptions.defaults());
                }
                try (InputStream in = Files.newInputStream(sessionsCsv)) {
                    hook.copyIn(handle, "sessions", in, CsvOptions.defaults());
                }
                handle.execute("ANALYZE users");
                return handle.execute("ANALYZE sessions");
            });
            return counts;
        } catch (IOException e) {
            throw new UncheckedIOException("demo seed: could not stage the generated CSV: " + e.getMessage(), e);
        } finally {
            deleteQuietly(users);
            deleteQuietly(sessions);
        }
    }

    /**
     * A script of several statements from {@code sql/}, sent as one simple query (Jdbi statements are prepared,
     * one at a time).
     */
    private static void runScript(Handle handle, String name) {
        try (Statement statement = handle.getConnection().createStatement()) {
            statement.execute(Sql.file(name));
        } catch (SQLException e) {
            throw new IllegalStateException("demo seed: sql/" + name + " failed: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temp file is harmless; the seed's own outcome is what matters.
            }
        }
    }
}
