package io.dagctl.web;

import io.dagctl.Secrets;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the webserver listens and who may use it. Users come from {@code DAGCTL_WEBSERVER_USERS}
 * ({@code name:bcrypt-hash,...}, as {@code htpasswd -nbB name password} prints them), API tokens for scripts from
 * {@code DAGCTL_WEBSERVER_API_TOKENS} (comma-separated), and the key that signs session cookies from
 * {@code DAGCTL_WEBSERVER_SECRET_KEY} (the same on every webserver of one database, so a session holds on each).
 */
public record WebSettings(String host, int port, Map<String, String> passwordHashes, List<String> apiTokens,
        Optional<String> secretKey) {
    public static final String USERS_VARIABLE = "DAGCTL_WEBSERVER_USERS";
    public static final String API_TOKENS_VARIABLE = "DAGCTL_WEBSERVER_API_TOKENS";
    public static final String SECRET_KEY_VARIABLE = "DAGCTL_WEBSERVER_SECRET_KEY";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public WebSettings {
        passwordHashes = Map.copyOf(passwordHashes);
        apiTokens = List.copyOf(apiTokens);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
        for (Map.Entry<String, String> user : passwordHashes.entrySet()) {
            if (!user.getValue().matches("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw new IllegalArgumentException("the password of user " + user.getKey() + " in " + USERS_VARIABLE
                        + " is not a bcrypt hash (make one with: htpasswd -nbB " + user.getKey() + " PASSWORD)");
            }
        }
        apiTokens.forEach(Secrets::register);
        secretKey.ifPresent(Secrets::register);
        boolean authenticates = !passwordHashes.isEmpty() || !apiTokens.isEmpty();
        if (!authenticates && !isLoopback(host)) {
            throw new IllegalArgumentException("refusing to serve " + host + " without authentication: anyone who"
                    + " reaches it could trigger and clear runs. Set " + USERS_VARIABLE + "=name:bcrypt-hash (from"
                    + " htpasswd -nbB name PASSWORD) and " + SECRET_KEY_VARIABLE + ", or keep --host " + DEFAULT_HOST);
        }
    }

    /** Settings read from the environment, for this host and port. */
    public static WebSettings fromEnvironment(Map<String, String> environment, String host, int port) {
        Map<String, String> users = new LinkedHashMap<>();
        for (String entry : list(environment.get(USERS_VARIABLE))) {
            int colon = entry.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException(USERS_VARIABLE + " holds name:bcrypt-hash pairs separated by"
                        + " commas; an entry has no name");
            }
            users.put(entry.substring(0, colon), entry.substring(colon + 1));
        }
        return new WebSettings(host, port, users, list(environment.get(API_TOKENS_VARIABLE)),
                Optional.ofNullable(environment.get(SECRET_KEY_VARIABLE)).filter(k -> !k.isBlank()));
    }

    /** Whether users must log in (or scripts send a token): when any user or token is configured. */
    public boolean authenticates() {
        return !passwordHashes.isEmpty() || !apiTokens.isEmpty();
    }

    private static List<String> list(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }
}
