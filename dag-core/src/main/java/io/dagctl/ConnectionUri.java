package io.dagctl;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A connection in Airflow's URI form, {@code scheme://login:password@host:port/path?key=value}. Parsing registers
 * with {@link Secrets} the password, every query value whose key names a secret (api_key, token, secret...), the
 * credential headers ({@code header.Authorization}) and a webhook's URL and token, whatever later uses the
 * connection; {@link #toString()} shows none of them.
 */
public record ConnectionUri(
        String id, String scheme, String host, int port, String login, String password, String path,
        Map<String, String> query) {

    /** HTTP headers a connection sends, as query keys: {@code ?header.Authorization=Bearer%20...}. */
    public static final String HEADER_PREFIX = "header.";

    private static final List<String> WEBHOOK_PATH_SEGMENTS = List.of("services", "hooks", "webhook", "webhooks");

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
            if (colon >= 0) {
                Secrets.register(password);
                Secrets.register(userInfo.substring(colon + 1));
                // What HTTP basic authentication sends; the login itself stays readable in messages.
                Secrets.register(Base64.getEncoder().encodeToString(
                        (login + ":" + password).getBytes(StandardCharsets.UTF_8)));
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
                if (holdsASecret(key)) {
                    registerCredential(value);
                    Secrets.register(eq < 0 ? "" : pair.substring(eq + 1));
                }
                query.put(key, value);
            }
        }
        String path = parsed.getRawPath() == null ? "" : decode(parsed.getRawPath());
        if (isWebhook(parsed, path)) {
            // Whoever knows a webhook's path can post to it: the URL, the path and its last segment (the token a
            // server may echo alone) are all secrets.
            Secrets.register(uri.strip());
            Secrets.register(parsed.getRawPath());
            Secrets.register(path);
            Secrets.register(path.substring(path.lastIndexOf('/') + 1));
        }
        return new ConnectionUri(id, parsed.getScheme().toLowerCase(Locale.ROOT), parsed.getHost(), parsed.getPort(),
                login, password, path.startsWith("/") ? path.substring(1) : path, query);
    }

    /**
     * Whether the password is too short to be masked inside text ({@link Secrets#MIN_MASKED_LENGTH}): it is masked
     * only where it is printed as a whole value.
     */
    public boolean passwordTooShortToMaskInText() {
        return password != null && !password.isEmpty() && !Secrets.canBeMaskedInText(password);
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

    /**
     * Whether a header extra ({@code header.Authorization}) holds a credential: Authorization, Cookie, and names that
     * speak of auth, keys, tokens, secrets or passwords.
     */
    public static boolean headerHoldsASecret(String key) {
        String h = key.toLowerCase(Locale.ROOT);
        h = h.startsWith(HEADER_PREFIX) ? h.substring(HEADER_PREFIX.length()) : h;
        return h.equals("cookie") || h.contains("auth") || namesASecret(h);
    }

    private static boolean holdsASecret(String key) {
        return namesASecret(key) || key.startsWith(HEADER_PREFIX) && headerHoldsASecret(key);
    }

    /** A credential, and the bare token of {@code Bearer <token>}, which a server may echo alone. */
    private static void registerCredential(String value) {
        Secrets.register(value);
        int space = value.strip().indexOf(' ');
        if (space > 0) {
            Secrets.register(value.strip().substring(space + 1).strip());
        }
    }

    /**
     * An http(s) URL without a login on a {@code hooks.} host, or whose path has a webhook segment followed by at
     * least two more, ids then the token: Slack's {@code /services/T0/B0/XXXX}, Discord's {@code /webhooks/ID/TOKEN}.
     */
    private static boolean isWebhook(URI uri, String path) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getRawUserInfo() != null) {
            return false;
        }
        if (uri.getHost() != null && uri.getHost().toLowerCase(Locale.ROOT).startsWith("hooks.")) {
            return true;
        }
        List<String> segments = List.of(path.replaceFirst("^/", "").toLowerCase(Locale.ROOT).split("/"));
        for (int i = 0; i < segments.size() - 2; i++) {
            if (WEBHOOK_PATH_SEGMENTS.contains(segments.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a query key holds a secret; its value is then masked everywhere. */
    public static boolean namesASecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        // "jaas": a Kafka sasl.jaas.config holds the SASL password.
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("jaas")
                || k.contains("key") && !k.equals("key_prefix");
    }

    /** A login or password as it appears, percent-encoded, in a URI. */
    public static String decodeUserInfo(String s) {
        return decode(s);
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
                    .append(holdsASecret(k) ? Secrets.MASK : v));
            s.append(q);
        }
        return Secrets.mask(s.toString());
    }
}
