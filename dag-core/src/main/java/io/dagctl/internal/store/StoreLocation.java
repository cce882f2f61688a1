package io.dagctl.internal.store;

import io.dagctl.ConnectionUri;
import io.dagctl.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the metadata database is: {@code DAGCTL_DB_URL} when set (a {@code jdbc:} URL, or a
 * {@code postgresql://user:pass@host:port/db} URI), otherwise an H2 file database in the dagctl home.
 *
 * @param readOnlyUrl for a shared H2 file opened {@link #forReading for reading}: the URL that opens it read-only,
 *     with neither the lock file (and the 25 ms H2 sleeps to write it) nor the server of {@code AUTO_SERVER} (a TCP
 *     server and an in-memory database of its own), only a shared lock on the file. H2 refuses it while another
 *     process holds the file (its lock file exists, or it holds the file's lock), and refuses a process that comes to
 *     write until the reader closes the file: that process retries for a bounded time (see {@link MetadataStore}),
 *     so a reader holds the file so opened only while it reads, not while its output waits on whoever reads it.
 */
public record StoreLocation(String jdbcUrl, Optional<String> user, Optional<String> password,
        Optional<String> readOnlyUrl) {
    public static final String DB_URL_VARIABLE = "DAGCTL_DB_URL";
    private static final String H2_FILE_NAME = "metadata";

    /** H2 speaking PostgreSQL's dialect, so that one set of migrations and queries serves both. */
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:]*)(?::([^/@]*))?@");

    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    private static final String H2_FILE = "jdbc:h2:file:";
    private static final String SHARED = ";WRITE_DELAY=0;AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE";
    private static final String NO_COMPACTION = ";MAX_COMPACT_TIME=0";

    public StoreLocation(String jdbcUrl, Optional<String> user, Optional<String> password) {
        this(jdbcUrl, user, password, Optional.empty());
    }

    public static StoreLocation fromEnvironment(Map<String, String> environment, Path home) {
        String url = environment.get(DB_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return h2File(home.resolve(H2_FILE_NAME));
        }
        if (url.startsWith("jdbc:")) {
            registerPasswordsIn(url);
            return fromJdbcUrl(url.strip());
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
        Matcher userInfo = USER_INFO.matcher(jdbcUrl);
        if (userInfo.find() && userInfo.group(2) != null) {
            Secrets.register(userInfo.group(2));
            Secrets.register(ConnectionUri.decodeUserInfo(userInfo.group(2)));
        }
    }

    /**
     * A JDBC URL as given, or with its {@code //user:password@} moved to the user and password the driver takes:
     * PostgreSQL's driver would read them as part of the host name and print them in its error.
     */
    private static StoreLocation fromJdbcUrl(String url) {
        Matcher userInfo = USER_INFO.matcher(url);
        if (!userInfo.find()) {
            return new StoreLocation(url, Optional.empty(), Optional.empty());
        }
        return new StoreLocation(url.substring(0, userInfo.start()) + "//" + url.substring(userInfo.end()),
                Optional.of(ConnectionUri.decodeUserInfo(userInfo.group(1))),
                Optional.ofNullable(userInfo.group(2)).map(ConnectionUri::decodeUserInfo));
    }

    /**
     * An H2 file database. {@code WRITE_DELAY=0} writes each commit to the file before the commit returns (H2
     * otherwise batches them for half a second, and a killed process would lose them); {@code AUTO_SERVER} lets
     * other processes (the CLI reading runs while another one executes them, a scheduler) share it, and
     * {@code AUTO_RECONNECT} moves their connections to the process that serves the file next when the serving one
     * exits.
     */
    public static StoreLocation h2File(Path fileWithoutSuffix) {
        return new StoreLocation(H2_FILE + fileWithoutSuffix.toAbsolutePath() + H2_OPTIONS + SHARED,
                Optional.empty(), Optional.empty());
    }

    /**
     * The same database, for a process that only reads it. H2 compacts an H2 file for up to 200 ms as a process closes
     * it ({@code MAX_COMPACT_TIME}), moving chunks that processes which wrote left behind; a command that wrote nothing
     * leaves that to them, who compact as they close. A shared file ({@link #h2File}) is also read straight from the
     * file while no other process holds it ({@link #readOnlyUrl}). Any other database is the same.
     */
    public StoreLocation forReading() {
        if (!jdbcUrl.startsWith(H2_FILE)) {
            return this;
        }
        Optional<String> readOnly = jdbcUrl.endsWith(SHARED)
                ? Optional.of(jdbcUrl.substring(0, jdbcUrl.length() - SHARED.length()) + ";ACCESS_MODE_DATA=r")
                : Optional.empty();
        return new StoreLocation(jdbcUrl + NO_COMPACTION, user, password, readOnly);
    }

    /** The same location, read through the process that serves the file even when none does (then this one does). */
    public StoreLocation throughServer() {
        return new StoreLocation(jdbcUrl, user, password);
    }

    /** The file H2 keeps the metadata database of a dagctl home in, once it was created. */
    public static Path h2DatabaseFile(Path home) {
        return home.resolve(H2_FILE_NAME + ".mv.db");
    }

    /** A private in-memory H2 database that disappears when the store is closed. */
    public static StoreLocation h2InMemory(String name) {
        return new StoreLocation("jdbc:h2:mem:" + name + H2_OPTIONS, Optional.empty(), Optional.empty());
    }

    public boolean isPostgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /**
     * Whether there is a database to read without creating one: an H2 file database exists once its file does; any
     * other is taken to exist, as only connecting would tell.
     */
    public boolean exists() {
        if (!jdbcUrl.startsWith(H2_FILE)) {
            return true;
        }
        int options = jdbcUrl.indexOf(';');
        String path = jdbcUrl.substring(H2_FILE.length(), options < 0 ? jdbcUrl.length() : options);
        return Files.exists(Path.of(path + ".mv.db"));
    }

    /** The URL without credentials, for messages. */
    @Override
    public String toString() {
        return Secrets.mask(jdbcUrl);
    }
}
