package io.dagctl.hooks.slack;

import io.dagctl.ConnectionUri;
import io.dagctl.HookFactory;
import io.dagctl.Secrets;
import io.dagctl.hooks.http.internal.RetryPolicy;
import io.dagctl.hooks.http.internal.RetryingCaller;
import io.dagctl.hooks.slack.internal.OutboxDelivery;
import io.dagctl.hooks.slack.internal.WebhookDelivery;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Makes a {@link SlackHook} from a connection that is either an incoming-webhook URL
 * ({@code https://hooks.slack.com/services/T000/B000/XXXX}, registered whole as a secret) or a local outbox
 * {@code file:///path/to/outbox.jsonl} that receives one JSON payload per line. A webhook's
 * {@code ?deadline_ms=} bounds each message, retries included (5 minutes by default).
 */
public final class SlackHookFactory implements HookFactory<SlackHook> {
    public static final String DEFAULT_CONNECTION_ID = "slack_default";

    /**
     * One client, so one connection pool and dispatcher, for the process: factories are made for each run, and a
     * client per factory kept its idle connections and threads open for minutes after the run. Made when the first
     * hook is, as a holder class's constant: building it sets up TLS, which a run without this hook does not need.
     */
    private static final class SharedClient {
        static final OkHttpClient CLIENT = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(30))
                .build();
    }
    private final RetryPolicy policy;

    public SlackHookFactory() {
        this(new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2)));
    }

    SlackHookFactory(RetryPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Class<SlackHook> hookType() {
        return SlackHook.class;
    }

    @Override
    public String defaultConnectionId() {
        return DEFAULT_CONNECTION_ID;
    }

    @Override
    public SlackHook create(ConnectionUri connection) {
        String id = connection.id();
        switch (connection.scheme()) {
            case "file" -> {
                return new SlackHook(new OutboxDelivery(Path.of("/" + connection.path()), id), id);
            }
            case "http", "https" -> {
                HttpUrl.Builder url = new HttpUrl.Builder().scheme(connection.scheme()).host(connection.host());
                if (connection.port() >= 0) {
                    url.port(connection.port());
                }
                HttpUrl webhook = url.addPathSegments(connection.path()).build();
                // The path is the webhook's credential: whoever knows it can post to the channel.
                Secrets.register(webhook.toString());
                Secrets.register(webhook.encodedPath());
                Secrets.register(connection.path());
                RetryingCaller caller = new RetryingCaller(SharedClient.CLIENT, policy, RetryingCaller.deadline(connection));
                return new SlackHook(new WebhookDelivery(caller, webhook.toString(), id), id);
            }
            default -> throw new IllegalArgumentException("connection '" + id + "' has scheme '" + connection.scheme()
                    + "', but a Slack connection is an incoming-webhook URL (https://hooks.slack.com/services/...) "
                    + "or an outbox file:///path/to/outbox.jsonl");
        }
    }
}
