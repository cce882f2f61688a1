package io.dagctl.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dagctl.Connections;
import io.dagctl.embedded.LocalPostgres;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.ops.Operations;
import io.dagctl.spec.DagSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A webserver over PostgreSQL while the database is stopped: pages and the API answer 503 saying the metadata database
 * is unreachable, the webserver says so in one log line and in one more once the database is back, and serves again
 * at the first request after, without a restart.
 */
@Timeout(120)
class DatabaseOutageWebTest {
    private static final String UNREACHABLE = "the metadata database is unreachable (Connection refused); this answers"
            + " again as soon as it is back";

    @TempDir
    Path home;
    LocalPostgres postgres;
    MetadataStore store;
    DagRuntime runtime;
    WebServer server;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void startWebserverOnPostgres() throws IOException {
        postgres = LocalPostgres.startEphemeral();
        String dbUri = postgres.createDatabase("web_outage");
        List<DagSpec> dags = List.of(DagDiscovery.load(WebFixtureDag.class));
        store = MetadataStore.open(StoreLocation.fromEnvironment(Map.of(StoreLocation.DB_URL_VARIABLE, dbUri), home));
        runtime = DagRuntime.builder().environment(Map.of()).home(home).store(store).parallelism(1)
                .connections(Connections.of(Map.of())).dags(dags).build();
        Operations operations = new Operations(() -> dags, () -> store, () -> runtime, TaskLogs.under(home),
                (bucket, key, out) -> {
                    throw new IOException("no object store here");
                }, false);
        server = WebServer.start(operations, WebFixture.local());
        log.start();
        ((Logger) LoggerFactory.getLogger(WebServer.class)).addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(WebServer.class)).detachAppender(log);
        server.stop(Duration.ZERO);
        runtime.close();
        store.close();
        postgres.close();
    }

    @Test
    void answersServiceUnavailableWhileTheMetadataDatabaseIsDownAndServesAgainOnceItIsBack() throws Exception {
        assertThat(Http.get(url("api/v1/dags")).statusCode()).isEqualTo(200);

        postgres.stopServer();
        HttpResponse<String> api = Http.get(url("api/v1/dags"));
        HttpResponse<String> runs = Http.get(url("api/v1/dags/web_fixture/dagRuns"));
        HttpResponse<String> page = Http.get(url(""));
        postgres.startAgain();
        HttpResponse<String> apiAfter = Http.get(url("api/v1/dags"));
        HttpResponse<String> pageAfter = Http.get(url(""));

        for (HttpResponse<String> problem : List.of(api, runs)) {
            assertThat(problem.statusCode()).as(problem.body()).isEqualTo(503);
            assertThat(problem.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(Http.body(problem).get("title").asText()).isEqualTo("Service Unavailable");
        }
        // The first request learns of the outage from whatever its pooled connection met; the next ones connect anew.
        assertThat(Http.body(api).get("detail").asText()).matches("the metadata database is unreachable \\(.+\\);"
                + " this answers again as soon as it is back");
        assertThat(Http.body(runs).get("detail").asText()).isEqualTo(UNREACHABLE);
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<h1>503 Service Unavailable</h1>", UNREACHABLE).doesNotContain("Exception");
        assertThat(apiAfter.statusCode()).as(apiAfter.body()).isEqualTo(200);
        assertThat(Http.body(apiAfter).get("dags").get(0).get("dag_id").asText()).isEqualTo("web_fixture");
        assertThat(pageAfter.statusCode()).isEqualTo(200);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).hasSize(2)
                .first().asString().matches("Webserver lost the metadata database \\(.+\\); pages and the API answer 503"
                        + " until it is back");
        assertThat(log.list.get(1).getFormattedMessage()).matches("Webserver reached the metadata database again"
                + " after [0-9.]+ s");
        assertThat(log.list).allSatisfy(event -> assertThat(event.getThrowableProxy()).isNull());
    }

    private URI url(String path) {
        return server.url().resolve(path);
    }
}
