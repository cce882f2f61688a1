package io.dagctl.internal.xcom;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps values in the metadata database, up to a size: larger values belong in an object store, with only their
 * key passed between tasks.
 */
public final class DatabaseXComBackend implements XComBackend {
    public static final String MAX_BYTES_VARIABLE = "DAGCTL_XCOM_MAX_BYTES";
    public static final int DEFAULT_MAX_BYTES = 48 * 1024;

    private final int maxBytes;

    public DatabaseXComBackend(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the XCom size limit must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The limit from {@code DAGCTL_XCOM_MAX_BYTES}, 48 KiB when unset. */
    public static DatabaseXComBackend fromEnvironment(Map<String, String> environment) {
        String limit = environment.get(MAX_BYTES_VARIABLE);
        if (limit == null || limit.isBlank()) {
            return new DatabaseXComBackend(DEFAULT_MAX_BYTES);
        }
        try {
            return new DatabaseXComBackend(Integer.parseInt(limit.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_BYTES_VARIABLE + " must be a number of bytes, not '" + limit + "'");
        }
    }

    /** The largest JSON, in bytes, this backend keeps. */
    public int maxBytes() {
        return maxBytes;
    }

    @Override
    public String store(XComKey key, String json) {
        // Most values are short ASCII; count bytes only when the characters alone could exceed the limit.
        int size = json.length() * 3 <= maxBytes ? json.length() : json.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw new XComException(String.format(Locale.ROOT,
                    "task '%s' returned %,d bytes of JSON, over the XCom limit of %,d bytes; return a reference"
                            + " to the data (an object key, a path) instead, or raise %s",
                    key.taskId(), size, maxBytes, MAX_BYTES_VARIABLE));
        }
        return json;
    }

    @Override
    public String load(XComKey key, String stored) {
        XComReference.parse(stored).ifPresent(reference -> {
            throw new XComException("the value of task '" + key.taskId() + "' in run " + key.runId() + " is kept in "
                    + reference.uri() + ", but no object store is configured for XCom: set"
                    + " DAGCTL_XCOM_OBJECTSTORAGE_PATH as when the run stored it");
        });
        return stored;
    }
}
