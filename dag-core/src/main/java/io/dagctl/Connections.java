package io.dagctl;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Where hooks find their connections. */
public interface Connections {
    /** The prefix of the environment variables that hold connection URIs. */
    String ENV_PREFIX = "DAGCTL_CONN_";

    Optional<ConnectionUri> find(String id);

    /** The connection, or an error that says which variable to set. */
    default ConnectionUri get(String id) {
        return find(id).orElseThrow(() -> new IllegalStateException(
                "connection '" + id + "' is not configured: set " + variableFor(id) + " to its URI"));
    }

    /** {@code booking_db} → {@code DAGCTL_CONN_BOOKING_DB}. */
    static String variableFor(String id) {
        return ENV_PREFIX + id.toUpperCase(Locale.ROOT);
    }

    /**
     * The connections set in {@code DAGCTL_CONN_<ID>} variables, all parsed now so that a malformed one fails
     * before any task runs.
     */
    static Connections fromEnvironment(Map<String, String> environment) {
        Map<String, ConnectionUri> byId = new TreeMap<>();
        environment.forEach((name, value) -> idOf(name).ifPresent(id -> {
            try {
                byId.put(id, ConnectionUri.parse(id, value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }));
        return of(byId);
    }

    /** The ids of the connections set in {@code DAGCTL_CONN_<ID>} variables, in order. */
    static List<String> idsIn(Map<String, String> environment) {
        return environment.keySet().stream().flatMap(name -> idOf(name).stream()).sorted().toList();
    }

    /** {@code DAGCTL_CONN_BOOKING_DB} → {@code booking_db}; empty for a variable that is not a connection's. */
    private static Optional<String> idOf(String variable) {
        return variable.startsWith(ENV_PREFIX) && variable.length() > ENV_PREFIX.length()
                ? Optional.of(variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    static Connections of(Map<String, ConnectionUri> byId) {
        Map<String, ConnectionUri> copy = Map.copyOf(byId);
        return id -> Optional.ofNullable(copy.get(id));
    }

    /** These connections, and where one is missing, the fallback's (an embedded service, say). */
    default Connections orElse(Connections fallback) {
        return id -> find(id).or(() -> fallback.find(id));
    }
}
