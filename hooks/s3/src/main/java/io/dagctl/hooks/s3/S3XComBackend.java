package io.dagctl.hooks.s3;

import io.dagctl.Connections;
import io.dagctl.Secrets;
import io.dagctl.internal.xcom.DatabaseXComBackend;
import io.dagctl.internal.xcom.XComBackend;
import io.dagctl.internal.xcom.XComException;
import io.dagctl.internal.xcom.XComKey;
import io.dagctl.internal.xcom.XComReference;
import io.dagctl.ops.IdPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Airflow's object-storage XCom backend: a value whose JSON is over a threshold is written to S3 as
 * {@code <prefix>/<dag_id>/<run_id>/<task_id>/<uuid>.json}, and the metadata database keeps only a reference to it
 * ({@link XComReference}); smaller values stay in the database. Configured by two environment variables:
 * <ul>
 *   <li>{@value #PATH_VARIABLE}: {@code s3://<connection_id>@<bucket>/<prefix>}, the connection being one of the
 *       {@code DAGCTL_CONN_<ID>} connections;
 *   <li>{@value #THRESHOLD_VARIABLE}: the largest JSON, in bytes, kept in the database; 0 sends every value to S3.
 *       By default the database's own limit ({@code DAGCTL_XCOM_MAX_BYTES}, 48 KiB), so that exactly the values the
 *       database would refuse are spilled and the others cost no object-store round trip.
 * </ul>
 * Clearing a task's XCom deletes its row, not the object it references.
 */
public final class S3XComBackend implements XComBackend, AutoCloseable {
    public static final String PATH_VARIABLE = "DAGCTL_XCOM_OBJECTSTORAGE_PATH";
    public static final String THRESHOLD_VARIABLE = "DAGCTL_XCOM_OBJECTSTORAGE_THRESHOLD";

    private static final String EXPECTED_PATH = "s3://<connection_id>@<bucket>/<prefix>";
    private static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final String connectionId;
    private final String bucket;
    private final String prefix;
    private final int thresholdBytes;
    private final Connections connections;
    private S3Hook s3;

    private S3XComBackend(String connectionId, String bucket, String prefix, int thresholdBytes,
            Connections connections) {
        this.connectionId = connectionId;
        this.bucket = bucket;
        this.prefix = prefix;
        this.thresholdBytes = thresholdBytes;
        this.connections = connections;
    }

    /**
     * The backend {@value #PATH_VARIABLE} configures, or empty when it is not set. Both variables are checked here,
     * so that a malformed one fails before any task runs; the connection is looked up when a value first goes to or
     * comes from S3, so that commands which never touch a spilled value need no object store.
     *
     * @throws IllegalArgumentException naming the variable and the form it expects
     */
    public static Optional<S3XComBackend> fromEnvironment(Map<String, String> environment, Connections connections) {
        String path = environment.get(PATH_VARIABLE);
        String threshold = environment.get(THRESHOLD_VARIABLE);
        if (path == null || path.isBlank()) {
            if (threshold != null && !threshold.isBlank()) {
                throw new IllegalArgumentException(THRESHOLD_VARIABLE + " is set but " + PATH_VARIABLE
                        + " is not: set it to " + EXPECTED_PATH + " to keep large XCom values in S3");
            }
            return Optional.empty();
        }
        int databaseLimit = DatabaseXComBackend.fromEnvironment(environment).maxBytes();
        int thresholdBytes = threshold == null || threshold.isBlank() ? databaseLimit
                : parseThreshold(threshold.strip(), databaseLimit);
        return Optional.of(parsePath(path.strip(), thresholdBytes, connections));
    }

    private static int parseThreshold(String threshold, int databaseLimit) {
        int bytes;
        try {
            bytes = Integer.parseInt(threshold);
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes < 0) {
            throw new IllegalArgumentException(THRESHOLD_VARIABLE + " must be a number of bytes (0 or more), not '"
                    + threshold + "'");
        }
        if (bytes > databaseLimit) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s is %,d bytes, over the metadata"
                    + " database's XCom limit of %,d bytes (%s): values in between could be stored nowhere; lower"
                    + " it or raise %4$s", THRESHOLD_VARIABLE, bytes, databaseLimit,
                    DatabaseXComBackend.MAX_BYTES_VARIABLE));
        }
        return bytes;
    }

    private static S3XComBackend parsePath(String path, int thresholdBytes, Connections connections) {
        if (holdsCredentials(path)) {
            // Never repeated: a login and password written where a connection id belongs.
            throw new IllegalArgumentException(PATH_VARIABLE + " must be " + EXPECTED_PATH + ", e.g."
                    + " s3://s3_default@dagctl/xcom: it holds a login and password; put them in a DAGCTL_CONN_<ID>"
                    + " connection and name that connection instead");
        }
        if (!path.startsWith("s3://")) {
            throw malformed(path, "it does not start with s3://");
        }
        String rest = path.substring("s3://".length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            throw malformed(path, "it names no connection before '@'");
        }
        String connectionId = authority.substring(0, at);
        String bucket = authority.substring(at + 1);
        if (!CONNECTION_ID.matcher(connectionId).matches()) {
            throw malformed(path, "'" + connectionId + "' is not a connection id (letters, digits and _)");
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw malformed(path, "'" + bucket + "' is not an S3 bucket name");
        }
        String prefix = slash < 0 ? "" : stripSlashes(rest.substring(slash + 1));
        if (prefix.contains("?") || prefix.contains("#")) {
            throw malformed(path, "the prefix '" + prefix + "' holds a query or fragment");
        }
        return new S3XComBackend(connectionId.toLowerCase(Locale.ROOT), bucket, prefix, thresholdBytes, connections);
    }

    /** Whether the URI has {@code user:password@} in its authority, whatever its scheme. */
    private static boolean holdsCredentials(String path) {
        int scheme = path.indexOf("://");
        String afterScheme = scheme < 0 ? path : path.substring(scheme + 3);
        int at = afterScheme.indexOf('@');
        int slash = afterScheme.indexOf('/');
        return at >= 0 && (slash < 0 || at < slash) && afterScheme.substring(0, at).contains(":");
    }

    private static IllegalArgumentException malformed(String path, String reason) {
        return new IllegalArgumentException(PATH_VARIABLE + " must be " + EXPECTED_PATH + ", e.g."
                + " s3://s3_default@dagctl/xcom, not '" + path + "': " + reason);
    }

    private static String stripSlashes(String prefix) {
        int start = 0;
        int end = prefix.length();
        while (start < end && prefix.charAt(start) == '/') {
            start++;
        }
        while (end > start && prefix.charAt(end - 1) == '/') {
            end--;
        }
        return prefix.substring(start, end);
    }

    /** The largest JSON, in bytes, kept in the metadata database. */
    public int thresholdBytes() {
        return thresholdBytes;
    }

    /** Where spilled values go, as {@value #PATH_VARIABLE} gives it. */
    public String location() {
        return "s3://" + connectionId + "@" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public String store(XComKey key, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        // A small value that reads as a reference is spilled too, so that load cannot mistake it for one.
        if (bytes.length <= thresholdBytes && XComReference.parse(json).isEmpty()) {
            return json;
        }
        S3Key object = new S3Key(bucket, objectKey(key));
        try {
            s3().upload(object, out -> out.write(bytes));
        } catch (S3HookException e) {
            throw new XComException(String.format(Locale.ROOT, "task '%s' returned %,d bytes of JSON, over the"
                    + " XCom threshold of %,d bytes, and writing them to %s failed: %s", key.taskId(), bytes.length,
                    thresholdBytes, object, Secrets.mask(e.getMessage())));
        }
        return new XComReference(object.toString()).stored();
    }

    private String objectKey(XComKey key) {
        String name = IdPaths.relative(key.dagId(), key.runId(), key.taskId(), UUID.randomUUID() + ".json");
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    @Override
    public String load(XComKey key, String stored) {
        Optional<XComReference> reference = XComReference.parse(stored);
        if (reference.isEmpty()) {
            return stored;
        }
        String uri = reference.get().uri();
        try (InputStream in = s3().open(S3Key.parse(uri))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | S3HookException | IllegalArgumentException e) {
            throw new XComException("the value of task '" + key.taskId() + "' in run " + key.runId()
                    + " cannot be read from " + uri + ": " + Secrets.mask(e.getMessage()));
        }
    }

    @Override
    public void delete(XComKey key, String stored) {
        Optional<XComReference> reference = XComReference.parse(stored);
        if (reference.isPresent()) {
            String uri = reference.get().uri();
            try {
                s3().delete(S3Key.parse(uri));
            } catch (S3HookException | IllegalArgumentException e) {
                throw new XComException("the value of task '" + key.taskId() + "' in run " + key.runId()
                        + " cannot be deleted from " + uri + ": " + Secrets.mask(e.getMessage()));
            }
        }
    }

    private synchronized S3Hook s3() {
        if (s3 == null) {
            try {
                s3 = new S3HookFactory().create(connections.get(connectionId));
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new XComException("the XCom object store " + location() + " (" + PATH_VARIABLE + "): "
                        + Secrets.mask(e.getMessage()));
            }
        }
        return s3;
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
