package io.dagctl.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.ops.Operations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The DAG list with DAGs that failed to load, tags and next runs; the connections page, which must show no secret;
 * and the DAG page's run durations, in a real headless Chromium.
 */
class WebCatalogBrowserTest extends BrowserTest {
    /** One distinctive secret of each kind a connection holds; none may reach a page or an answer. */
    private static final List<String> SECRETS = List.of("Pg-Pass-7f3a", "AKIAWEBLOGIN4242", "S3-Secret-9c1d",
            "Synth-Key-4e2b", "SlackToken5a6b", "T0WEB", "Http-Token-8d9e", "Api-Key-3f4g", "Kafka-Pass-1a2b",
            "Query-Token-6h7i", "Query-Secret-0j1k");
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "DAGCTL_CONN_BOOKING_DB", "postgresql://booker:Pg-Pass-7f3a@db.example.com:5432/bookings?sslmode=require",
            "DAGCTL_CONN_S3_DEFAULT", "s3://AKIAWEBLOGIN4242:S3-Secret-9c1d@web-bucket?region=eu-west-1",
            "DAGCTL_CONN_SYNTHETICS_DEFAULT", "https://synthetics.example.com?api_key=Synth-Key-4e2b",
            "DAGCTL_CONN_SLACK_DEFAULT", "https://hooks.slack.com/services/T0WEB/B0WEB/SlackToken5a6b",
            "DAGCTL_CONN_HTTP_DEFAULT", "https://api.example.com/base/?header.Authorization=Bearer%20Http-Token-8d9e"
                    + "&header.X-Api-Key=Api-Key-3f4g",
            "DAGCTL_CONN_KAFKA_DEFAULT", "kafka://kuser:Kafka-Pass-1a2b@broker.example.com:9092"
                    + "?sasl.mechanism=SCRAM-SHA-512",
            "DAGCTL_CONN_WAREHOUSE", "https://wh.example.com:8443/?token=Query-Token-6h7i&secret=Query-Secret-0j1k");
    private static final String MISSING_CLASS = "io.dagctl.web.NoSuchDag";

    @Override
    WebSettings settings() {
        return WebFixture.local();
    }

    @Override
    WebFixture fixture() {
        DagDiscovery.Discovered discovered = DagDiscovery.discover(List.of(new DagDiscovery.Bundle(
                getClass().getClassLoader(), List.of(index(WebFixtureDag.class.getName(),
                        WebScheduledDag.class.getName(), WebTriggeredDag.class.getName(),
                        WebBrokenDag.class.getName(), MISSING_CLASS)))));
        return new WebFixture(settings(), discovered.dags(), discovered.errors(), ENVIRONMENT);
    }

    /** A DAG index naming these classes, as the annotation processor writes one. */
    private static java.net.URL index(String... classNames) {
        try {
            Path file = Files.createTempFile("dags", ".index");
            file.toFile().deleteOnExit();
            Files.writeString(file, String.join("\n", classNames) + "\n");
            return file.toUri().toURL();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void open(String path) {
        browser.driver.get(web.url(path).toString());
    }

    private WebDriverWait waitUpTo(int seconds) {
        return (WebDriverWait) new WebDriverWait(browser.driver, Duration.ofSeconds(seconds))
                .ignoring(StaleElementReferenceException.class);
    }

    private List<String> listedDags() {
        return browser.driver.findElements(By.cssSelector("#dags tbody tr")).stream()
                .map(row -> row.getAttribute("data-dag")).toList();
    }

    private String nextRun(String dagId) {
        return browser.driver.findElement(By.cssSelector("tr[data-dag='" + dagId + "'] td.next-run")).getText();
    }

    private Operations.Run runToTheEnd(String runId, String mode) throws InterruptedException {
        web.operations.trigger(new Operations.TriggerRequest("web_fixture", Map.of("mode", mode),
                Optional.of(runId)));
        web.operations.resume("web_fixture", runId);
        return web.awaitEnd(runId);
    }

    @Test
    void listsTheDagsThatFailedToLoadWithTheirErrorsWhileTheOthersStillWork() {
        open("/");

        WebElement banner = browser.driver.findElement(By.id("import-errors"));
        assertThat(banner.findElement(By.tagName("strong")).getText()).isEqualTo("DAG import errors (2)");
        List<String> errors = banner.findElements(By.cssSelector("li pre")).stream().map(WebElement::getText)
                .toList();
        assertThat(errors).containsExactly(web.operations.importFailures().get(0).message(),
                MISSING_CLASS + ": listed in " + DagDiscovery.INDEX + " but cannot be loaded"
                        + " (java.lang.ClassNotFoundException: " + MISSING_CLASS + "); rebuild the project that"
                        + " declares it");
        assertThat(errors.get(0)).startsWith("WebBrokenDag").contains("61 * * * *");
        assertThat(banner.findElement(By.cssSelector("li")).getText()).startsWith(WebBrokenDag.class.getName()
                + " (DAG web_broken)");
        assertThat(listedDags()).containsExactly("web_fixture", "web_scheduled", "web_triggered");
        browser.screenshot("import-errors");

        browser.driver.findElement(By.cssSelector("a[href='/dags/web_fixture/trigger']")).click();
        browser.driver.findElement(By.id("run_id")).sendKeys("despite_import_errors");
        browser.driver.findElement(By.id("trigger")).click();
        waitUpTo(30).until(d -> d.findElement(By.cssSelector("tr[data-task='load'] .badge")).getText()
                .equals("success"));
    }

    @Test
    void answersTheImportErrorsInAirflowsShape() {
        HttpResponse<String> response = Http.get(web.url("/api/v1/importErrors?limit=1&offset=1"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Http.body(response);
        assertThat(body.get("total_entries").asInt()).isEqualTo(2);
        JsonNode error = body.get("import_errors").get(0);
        assertThat(error.get("import_error_id").asInt()).isEqualTo(2);
        assertThat(error.get("filename").asText()).isEqualTo(MISSING_CLASS);
        assertThat(error.get("dag_id").isNull()).isTrue();
        assertThat(error.get("stack_trace").asText()).startsWith(MISSING_CLASS + ": listed in "
                + DagDiscovery.INDEX + " but cannot be loaded");
        assertThat(Instant.parse(error.get("timestamp").asText())).isBefore(Instant.now());
    }

    @Test
    void clickingATagShowsOnlyTheDagsWithItAndTheUrlKeepsTheFilter() {
        open("/");
        browser.driver.findElement(By.cssSelector("tr[data-dag='web_fixture'] a.tag[href='/?tags=web']")).click();

        waitUpTo(10).until(ExpectedConditions.urlContains("?tags=web"));
        assertThat(listedDags()).containsExactly("web_fixture");
        assertThat(browser.driver.findElement(By.id("tag-filter")).getText()).isEqualTo("tagged web show all");

        open("/?tags=events,web");
        assertThat(listedDags()).containsExactly("web_fixture", "web_triggered");
        browser.driver.findElement(By.id("clear-tags")).click();
        waitUpTo(10).until(d -> listedDags().size() == 3);
    }

    @Test
    void showsTheNextRunOfEachDag() {
        open("/");

        Instant next = web.operations.nextIntervals("web_scheduled", 1).get(0).start();
        assertThat(nextRun("web_scheduled")).isEqualTo(next.truncatedTo(ChronoUnit.SECONDS).toString());
        assertThat(next.atZone(java.time.ZoneOffset.UTC).getHour()).isEqualTo(6);
        assertThat(nextRun("web_triggered")).isEqualTo("after web_fixture");
        assertThat(nextRun("web_fixture")).isEqualTo("-");
    }

    @Test
    void aRunMadeAfterTheListLoadedAppearsThereAndTurnsGreenWithoutAReload() throws InterruptedException {
        open("/");
        ((JavascriptExecutor) browser.driver).executeScript("window.notReloaded = true;");

        web.operations.trigger(new Operations.TriggerRequest("web_fixture", Map.of("mode", "SLOW"),
                Optional.of("list_live")));
        web.operations.resume("web_fixture", "list_live");

        By square = By.cssSelector("td[data-runs='web_fixture'] a.square[data-key='web_fixture/list_live']");
        waitUpTo(10).until(d -> !d.findElements(square).isEmpty()
                && d.findElement(square).getAttribute("class").contains("state-running"));
        waitUpTo(10).until(d -> d.findElement(By.cssSelector("td[data-key='web_fixture#running']")).getText()
                .equals("1"));
        waitUpTo(30).until(d -> d.findElement(square).getAttribute("class").contains("state-success"));
        waitUpTo(5).until(d -> d.findElement(By.cssSelector("td[data-key='web_fixture#running']")).getText()
                .equals("0"));
        assertThat(browser.driver.findElement(square).getAttribute("href"))
                .endsWith("/dags/web_fixture/runs/list_live");
        assertThat(((JavascriptExecutor) browser.driver).executeScript("return window.notReloaded;")).isEqualTo(true);
    }

    @Test
    void listsEveryConnectionsTypeHostAndPortWithoutAnySecret() {
        open("/");
        browser.driver.findElement(By.linkText("Connections")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("/connections"));

        assertThat(browser.driver.findElements(By.cssSelector("#connections tr[data-connection]"))
                .stream().map(WebElement::getText).toList()).containsExactly(
                "booking_db postgresql db.example.com 5432 DAGCTL_CONN_BOOKING_DB",
                "http_default https api.example.com - DAGCTL_CONN_HTTP_DEFAULT",
                "kafka_default kafka broker.example.com 9092 DAGCTL_CONN_KAFKA_DEFAULT",
                "s3_default s3 web-bucket - DAGCTL_CONN_S3_DEFAULT",
                "slack_default https hooks.slack.com - DAGCTL_CONN_SLACK_DEFAULT",
                "synthetics_default https synthetics.example.com - DAGCTL_CONN_SYNTHETICS_DEFAULT",
                "warehouse https wh.example.com 8443 DAGCTL_CONN_WAREHOUSE");
        browser.screenshot("connections");

        String html = Http.get(web.url("/connections")).body();
        String json = Http.get(web.url("/api/v1/connections")).body();
        String dagList = Http.get(web.url("/")).body();
        for (String secret : SECRETS) {
            assertThat(html).as("the connections page").doesNotContain(secret);
            assertThat(json).as("GET /api/v1/connections").doesNotContain(secret);
            assertThat(dagList).as("the DAG list").doesNotContain(secret);
        }
        assertThat(html).doesNotContain("booker").doesNotContain("kuser").doesNotContain("services/");
    }

    @Test
    void answersTheConnectionsInAirflowsShape() {
        JsonNode body = Http.body(Http.get(web.url("/api/v1/connections?limit=1")));

        assertThat(body.get("total_entries").asInt()).isEqualTo(7);
        assertThat(body.get("connections").toString()).isEqualTo("[{\"connection_id\":\"booking_db\","
                + "\"conn_type\":\"postgresql\",\"host\":\"db.example.com\",\"port\":5432,"
                + "\"description\":\"DAGCTL_CONN_BOOKING_DB\"}]");
    }

    @Test
    void chartsTheDurationsOfTheEndedRunsOnOneScale() throws InterruptedException {
        Operations.Run slow = runToTheEnd("chart_slow", "SLOW");
        Operations.Run fast = runToTheEnd("chart_fast", "FAST");
        open("/dags/web_fixture");

        List<WebElement> bars = browser.driver.findElements(By.cssSelector("#durations rect.bar"));
        List<String> charted = bars.stream().map(b -> b.getAttribute("data-run")).toList();
        assertThat(charted).containsSubsequence("chart_slow", "chart_fast");
        WebElement slowBar = bars.get(charted.indexOf("chart_slow"));
        WebElement fastBar = bars.get(charted.indexOf("chart_fast"));
        long slowMillis = slow.duration().orElseThrow().toMillis();
        long fastMillis = fast.duration().orElseThrow().toMillis();
        assertThat(Long.parseLong(slowBar.getAttribute("data-millis"))).isEqualTo(slowMillis);
        long longest = bars.stream().mapToLong(b -> Long.parseLong(b.getAttribute("data-millis"))).max()
                .getAsLong();
        assertThat(Integer.parseInt(slowBar.getAttribute("height")))
                .isEqualTo((int) Math.max(1, Math.round((double) slowMillis / longest * 120)));
        assertThat(Integer.parseInt(fastBar.getAttribute("height")))
                .isEqualTo((int) Math.max(1, Math.round((double) fastMillis / longest * 120)));
        assertThat(slowBar.getAttribute("class")).isEqualTo("bar state-success");
        assertThat(slowBar.findElement(By.tagName("title")).getAttribute("textContent"))
                .isEqualTo("chart_slow: " + String.format(java.util.Locale.ROOT, "%.1fs", slowMillis / 1000.0)
                        + ", success");
        browser.screenshot("durations");
    }
}
