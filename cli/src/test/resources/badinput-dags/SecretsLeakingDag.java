package com.example;

import io.dagctl.ConnectionUri;
import io.dagctl.Connection;
import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.hooks.http.HttpHook;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A careless DAG that handles every kind of connection (PostgreSQL, S3, HTTP with credential headers, a Slack
 * webhook, the synthetic-data service) without building their hooks, and spills their secrets every way it can:
 * on its streams, in its log, in an exception, in a return value, and through a server that echoes its token.
 */
@Dag(id = "badinput_secrets_leak", tags = "fixture", description = "Spills every kind of connection secret")
public final class SecretsLeakingDag {
    static final String DB = "fixture_db";
    static final String S3 = "fixture_s3";
    static final String API = "fixture_api";
    static final String SLACK = "fixture_slack";
    static final String SYNTHETICS = "fixture_synthetics";

    private final Connections connections;
    private final HttpHook api;

    @Inject
    public SecretsLeakingDag(Connections connections, @Connection(API) HttpHook api) {
        this.connections = connections;
        this.api = api;
    }

    /** Every secret the connections hold, as a careless task would find them. */
    private List<String> secrets() {
        ConnectionUri slack = connections.get(SLACK);
        return List.of(connections.get(DB).password(), connections.get(S3).password(),
                connections.get(API).extra("header.Authorization").orElseThrow(),
                connections.get(API).extra("header.X-Api-Key").orElseThrow(),
                slack.scheme() + "://" + slack.host() + ":" + slack.port() + "/" + slack.path(),
                connections.get(SYNTHETICS).extra("api_key").orElseThrow());
    }

    @Task
    public void print(TaskContext context) {
        for (String secret : secrets()) {
            System.out.println("stdout: " + secret);
            System.err.println("stderr: " + secret);
            System.out.println("url-encoded: " + URLEncoder.encode(secret, StandardCharsets.UTF_8));
            context.log().info("logged: {}", secret);
        }
    }

    @Task
    public void fail() {
        String apiKey = connections.get(SYNTHETICS).extra("api_key").orElseThrow();
        throw new IllegalStateException("refused with key " + Base64.getEncoder().encodeToString(
                apiKey.getBytes(StandardCharsets.UTF_8)) + " for webhook " + secrets().get(4));
    }

    @Task
    public Map<String, String> smuggle() {
        return Map.of("db", connections.get(DB).password());
    }

    /** The server answers 401 with the bare token it was sent. */
    @Task
    public int fetch() throws IOException {
        try (InputStream in = api.open("data.csv")) {
            return in.readAllBytes().length;
        }
    }
}
