package io.dagctl;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A connection in Airflow's URI form, {@code scheme://login:password@host:port/path?key=value}. Parsing registers
 * the password, and every query value whose key names a secret (api_key, token, secret...), with {@link Secrets};
 * {@link #toString()} shows neither.
 */
public record ConnectionUri(
        String id, String scheme, String host, int port, String login, String password, String path,
        Map<String, String> query) {

    public ConnectionUri {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    /**
     * Parses a URI. The error never repeats the URI, which may hold a password.
     *
     * @throws IllegalArgumentException naming the connection id and what is wrong
     */
    public static ConnectionUri parse(String id, String uri) {
        URI parsed;
        try {
            parsed = new URI(uri.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "connection '" + id + "' is not a valid URI: " + e.getReason() + " at index " + e.getIndex());
        }
        if (parsed.getScheme() == null) {
            throw new IllegalArgumentException(
                    "connection '" + id + "' has no scheme: expected scheme://[login:password@]host[:port][/path][?key=value]");
        }
        if (parsed.getRawAuthority() != null && parsed.getHost() == null) {
            // java.net.URI accepts "host:5x432" as an opaque authority with no host and no port.
            checkPort(id, parsed.getRawAuthority());
        }
        if (parsed.getPort() > 65535) {
            throw badPort(id, String.valueOf(parsed.getPort()));
        }
        String login = null;
        String password = null;
        String userInfo = parsed.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            login = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            Secrets.register(password);
            if (colon >= 0) {
                Secrets.register(userInfo.substring(colon + 1));
            }
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (parsed.getRawQuery() != null) {
            for (String pair : parsed.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (namesASecret(key)) {
                    Secrets.register(value);
                    Secrets.register(eq < 0 ? "" : pair.substring(eq + 1));
                }
                query.put(key, value);
            }
        }
        String path = parsed.getRawPath() == null ? "" : decode(parsed.getRawPath());
        return new ConnectionUri(id, parsed.getScheme().toLowerCase(Locale.ROOT), parsed.getHost(), parsed.getPort(),
                login, password, path.startsWith("/") ? path.substring(1) : path, query);
    }

    /** The port of an authority that {@link URI} could not split into host and port, when it is not a number. */
    private static void checkPort(String id, String authority) {
        String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostAndPort.lastIndexOf(':');
        if (colon >= 0 && colon > hostAndPort.lastIndexOf(']')) {
            String port = hostAndPort.substring(colon + 1);
            if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw badPort(id, port);
            }
        }
    }

    private static IllegalArgumentException badPort(String id, String port) {
        return new IllegalArgumentException("connection '" + id + "' has port '" + port
                + "', which is not a number from 0 to 65535");
    }

    /** Whether a query key holds a secret; its value is then masked everywhere. */
    public static boolean namesASecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        // "jaas": a Kafka sasl.jaas.config holds the SASL password.
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("jaas")
                || k.contains("key") && !k.equals("key_prefix");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public Optional<String> loginIfAny() {
        return Optional.ofNullable(login);
    }

    public Optional<String> passwordIfAny() {
        return Optional.ofNullable(password);
    }

    /** A query parameter ({@code ?region=eu-west-1}). */
    public Optional<String> extra(String key) {
        return Optional.ofNullable(query.get(key));
    }

    /** The URI with the password masked: safe to print. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(scheme).append("://");
        if (login != null) {
            s.append(login);
            if (password != null) {
                s.append(':').append(Secrets.MASK);
            }
            s.append('@');
        }
        if (host != null) {
            s.append(host);
        }
        if (port >= 0) {
            s.append(':').append(port);
        }
        if (!path.isEmpty()) {
            s.append('/').append(path);
        }
        if (!query.isEmpty()) {
            StringBuilder q = new StringBuilder();
            query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
                    .append(namesASecret(k) ? Secrets.MASK : v));
            s.append(q);
        }
        return s.toString();
    }
}
