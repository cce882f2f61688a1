package io.dagctl.hooks.http;

import io.dagctl.ConnectionUri;
import io.dagctl.HookFactory;
import io.dagctl.hooks.http.internal.RetryPolicy;
import io.dagctl.hooks.http.internal.RetryingCaller;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import okhttp3.Credentials;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Makes an {@link HttpHook} from a connection {@code https://[login:password@]host[:port][/base/path][?extras]}:
 * the base URL for relative requests, basic authentication from login and password, headers from extras named
 * {@code header.<Name>} (values of Authorization, Cookie and secret-named headers are masked everywhere), and
 * {@code max_attempts} (default 4), {@code backoff_ms} (first retry delay, default 500) and {@code deadline_ms} (how
 * long a request may take in all, retries and the reading of the body included, default 300000).
 */
public final class HttpHookFactory implements HookFactory<HttpHook> {
    public static final String DEFAULT_CONNECTION_ID = "http_default";

    /**
     * One client, so one connection pool and dispatcher, for the process: factories are made for each run, and a
     * client per factory kept its idle connections and threads open for minutes after the run. Made when the first
     * hook is, as a holder class's constant: building it sets up TLS, which a run without this hook does not need.
     */
    private static final class SharedClient {
        static final OkHttpClient CLIENT = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .build();
    }

    @Override
    public Class<HttpHook> hookType() {
        return HttpHook.class;
    }

    @Override
    public String defaultConnectionId() {
        return DEFAULT_CONNECTION_ID;
    }

    @Override
    public HttpHook create(ConnectionUri connection) {
        if (!connection.scheme().equals("http") && !connection.scheme().equals("https")) {
            throw new IllegalArgumentException("connection '" + connection.id() + "' has scheme '" + connection.scheme()
                    + "', but an HTTP connection needs http(s)://[login:password@]host[:port][/base/path]");
        }
        HttpUrl.Builder base = new HttpUrl.Builder().scheme(connection.scheme()).host(connection.host());
        if (connection.port() >= 0) {
            base.port(connection.port());
        }
        String path = connection.path().isEmpty() || connection.path().endsWith("/")
                ? connection.path() : connection.path() + "/";
        HttpUrl baseUrl = base.build().newBuilder().addPathSegments(path).build();

        Headers.Builder headers = new Headers.Builder();
        // ConnectionUri registered the credentials below as secrets when the connection was read.
        connection.loginIfAny().ifPresent(login ->
                headers.add("Authorization", Credentials.basic(login, connection.passwordIfAny().orElse(""))));
        for (Map.Entry<String, String> extra : connection.query().entrySet()) {
            if (extra.getKey().startsWith(ConnectionUri.HEADER_PREFIX)) {
                headers.set(extra.getKey().substring(ConnectionUri.HEADER_PREFIX.length()), extra.getValue());
            }
        }
        RetryPolicy policy = new RetryPolicy(
                RetryingCaller.positiveIntExtra(connection, "max_attempts", RetryPolicy.DEFAULT.maxAttempts()),
                Duration.ofMillis(RetryingCaller.positiveIntExtra(connection, "backoff_ms",
                        (int) RetryPolicy.DEFAULT.initialBackoff().toMillis())),
                RetryPolicy.DEFAULT.maxBackoff(), RetryPolicy.DEFAULT.maxRetryAfter());
        return new HttpHook(new RetryingCaller(SharedClient.CLIENT, policy, RetryingCaller.deadline(connection)),
                Optional.of(baseUrl), headers.build(), connection.id());
    }
}
