package io.dagctl.internal.store;

import io.dagctl.ConnectionUri;
import io.dagctl.Secrets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the metadata database is: {@code DAGCTL_DB_URL} when set (a {@code jdbc:} URL, or a
 * {@code postgresql://user:pass@host:port/db} URI), otherwise an H2 file database in the dagctl home.
 */
public record StoreLocation(String jdbcUrl, Optional<String> user, Optional<String> password) {
    public static final String DB_URL_VARIABLE = "DAGCTL_DB_URL";

    /** H2 speaking PostgreSQL's dialect, so that one set of migrations and queries serves both. */
    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    public static StoreLocation fromEnvironment(Map<String, String> environment, Path home) {
        String url = environment.get(DB_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return h2File(home.resolve("metadata"));
        }
        if (url.startsWith("jdbc:")) {
            registerPasswordsIn(url);
            return new StoreLocation(url, Optional.empty(), Optional.empty());
        }
        ConnectionUri uri;
        try {
            uri = ConnectionUri.parse("metadata", url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(DB_URL_VARIABLE + ": " + e.getMessage(), e);
        }
        if (!uri.scheme().equals("postgresql") && !uri.scheme().equals("postgres")) {
            throw new IllegalArgumentException(DB_URL_VARIABLE + " has scheme '" + uri.scheme()
                    + "': expected jdbc:..., or postgresql://user:password@host:port/database");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.host());
        if (uri.port() >= 0) {
            jdbc.append(':').append(uri.port());
        }
        jdbc.append('/').append(uri.path());
        return new StoreLocation(jdbc.toString(), uri.loginIfAny(), uri.passwordIfAny());
    }

    private static void registerPasswordsIn(String jdbcUrl) {
        Matcher password = Pattern.compile("(?i)password=([^&;]+)").matcher(jdbcUrl);
        while (password.find()) {
            Secrets.register(password.group(1));
        }
    }

    /**
     * An H2 file database. {@code WRITE_DELAY=0} writes each commit to the file before the commit returns (H2
     * otherwise batches them for half a second, and a killed process would lose them); {@code AUTO_SERVER} lets
     * other processes (the CLI reading runs while another one executes them, a scheduler) share it, and
     * {@code AUTO_RECONNECT} moves their connections to the process that serves the file next when the serving one
     * exits.
     */
    public static StoreLocation h2File(Path fileWithoutSuffix) {
        return new StoreLocation("jdbc:h2:file:" + fileWithoutSuffix.toAbsolutePath() + H2_OPTIONS
                + ";WRITE_DELAY=0;AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE",
                Optional.empty(), Optional.empty());
    }

    /** A private in-memory H2 database that disappears when the store is closed. */
    public static StoreLocation h2InMemory(String name) {
        return new StoreLocation("jdbc:h2:mem:" + name + H2_OPTIONS, Optional.empty(), Optional.empty());
    }

    public boolean isPostgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** The URL without credentials, for messages. */
    @Override
    public String toString() {
        return Secrets.mask(jdbcUrl);
    }
}
