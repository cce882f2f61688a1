package io.dagctl.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.RunType;
import io.dagctl.internal.store.TaskInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What a user does in the UI, in a real headless Chromium: one webserver and one browser for the class. */
class WebUiBrowserTest extends BrowserTest {
    private static final String SCRIPT = "<script>window.xss = 1</script>";
    private static final String IMAGE = "\"><img src=x onerror=\"window.xss = 2\">";
    private static final String LINK = "javascript:window.xss = 3";

    @Override
    WebSettings settings() {
        return WebFixture.local();
    }

    private void open(String path) {
        browser.driver.get(web.url(path).toString());
    }

    private WebDriverWait waitUpTo(int seconds) {
        return (WebDriverWait) new WebDriverWait(browser.driver, Duration.ofSeconds(seconds))
                .ignoring(StaleElementReferenceException.class);
    }

    /** A mark on the page's window: it survives only as long as the page is not reloaded. */
    private void markPage() {
        ((JavascriptExecutor) browser.driver).executeScript("window.notReloaded = true;");
    }

    private boolean pageWasNotReloaded() {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser.driver).executeScript("return window.notReloaded;"));
    }

    private void assertNothingExecuted() {
        assertThat(((JavascriptExecutor) browser.driver).executeScript("return window.xss;")).isNull();
        try {
            browser.driver.switchTo().alert();
            throw new AssertionError("an alert opened");
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
    }

    private String badge(String task) {
        return browser.driver.findElement(By.cssSelector("tr[data-task='" + task + "'] .badge")).getText();
    }

    private void trigger(String runId, String mode, String note) {
        open("/");
        browser.driver.findElement(By.cssSelector("a[href='/dags/web_fixture/trigger']")).click();
        WebElement date = browser.driver.findElement(By.id("param.startDate"));
        ((JavascriptExecutor) browser.driver).executeScript("arguments[0].value = '2011-02-14';", date);
        new Select(browser.driver.findElement(By.id("param.mode"))).selectByVisibleText(mode);
        WebElement noteField = browser.driver.findElement(By.id("param.note"));
        noteField.clear();
        noteField.sendKeys(note);
        browser.driver.findElement(By.id("run_id")).sendKeys(runId);
        browser.driver.findElement(By.id("trigger")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("/runs/" + runId));
    }

    @Test
    void triggersFromTheFormAndWatchesTasksTurnGreenAndNotifySkippedWithoutAReload() {
        trigger("browser_run", "SLOW", "hello from the form");
        markPage();

        waitUpTo(30).until(d -> badge("load").equals("success"));
        waitUpTo(5).until(d -> badge("notify_failure").equals("skipped"));

        assertThat(badge("extract")).isEqualTo("success");
        assertThat(pageWasNotReloaded()).isTrue();
        assertThat(browser.driver.findElement(By.id("run-params")).getText()).contains("startDate 2011-02-14");
        browser.screenshot("run-page");
        open("/dags/web_fixture?run_id=browser_run");
        waitUpTo(5).until(d -> d.findElements(By.cssSelector("#grid a.cell.state-success")).size() > 2);
        browser.screenshot("dag-grid");
    }

    @Test
    void followsTheLogOfARunningTryLive() {
        trigger("live_log_run", "SLOW", "follow me");
        open("/dags/web_fixture/runs/live_log_run/tasks/extract");
        markPage();

        waitUpTo(30).until(d -> d.findElement(By.id("log")).getText().contains("working, step 6"));

        assertThat(browser.driver.findElement(By.id("log")).getText()).contains("note: follow me");
        assertThat(pageWasNotReloaded()).isTrue();
        assertThat(browser.driver.findElement(By.id("log-download")).getAttribute("href"))
                .endsWith("/api/v1/dags/web_fixture/dagRuns/live_log_run/taskInstances/extract/logs/1?download=true");
        browser.screenshot("live-log");
    }

    @Test
    void clearsAFailedTaskAndSeesItRunAgain() {
        WebFixtureDag.FailOnce.arm();
        trigger("clear_run", "FAIL", "fail once");
        waitUpTo(30).until(d -> badge("transform").equals("failed"));
        assertThat(badge("load")).isEqualTo("upstream_failed");

        WebElement clear = browser.driver.findElement(
                By.cssSelector("tr[data-task='transform'] button[form='clear-task']"));
        clear.click();
        // The form's answer brings the run's page back: marked once it has replaced the page that was clicked.
        waitUpTo(10).until(ExpectedConditions.stalenessOf(clear));
        waitUpTo(10).until(d -> !d.findElements(By.cssSelector("tr[data-task='transform']")).isEmpty());
        markPage();

        waitUpTo(30).until(d -> badge("load").equals("success"));
        assertThat(badge("transform")).isEqualTo("success");
        waitUpTo(5).until(d -> d.findElement(By.cssSelector("tr[data-task='transform']")).getText().contains("2/2"));
        assertThat(pageWasNotReloaded()).isTrue();
    }

    @Test
    void pausesADagFromTheList() {
        open("/");
        browser.driver.findElement(By.cssSelector("button.toggle[data-dag='web_fixture']")).click();

        waitUpTo(10).until(d -> d.findElement(By.cssSelector("button.toggle[data-dag='web_fixture']")).getText()
                .equals("paused"));
        assertThat(web.operations.dagSummary("web_fixture").paused()).isTrue();

        browser.driver.findElement(By.cssSelector("button.toggle[data-dag='web_fixture']")).click();
        waitUpTo(10).until(d -> d.findElement(By.cssSelector("button.toggle[data-dag='web_fixture']")).getText()
                .equals("on"));
    }

    @Test
    void showsMarkupInParamsLogsXComAndErrorsAsTextWithoutRunningIt() {
        String note = SCRIPT + " " + IMAGE + " " + LINK;
        trigger("xss_run", "FAST", note);
        waitUpTo(30).until(d -> badge("load").equals("success"));
        assertThat(browser.driver.findElement(By.id("run-params")).getText()).contains(note);
        assertNothingExecuted();

        open("/dags/web_fixture/runs/xss_run/tasks/extract");
        browser.screenshot("xss-task");
        waitUpTo(10).until(d -> d.findElement(By.id("log")).getText().contains("note: " + SCRIPT));
        assertThat(browser.driver.findElement(By.id("xcom")).getText()).contains(SCRIPT).contains("javascript:");
        assertThat(browser.driver.findElements(By.cssSelector("main img, main a[href^='javascript']"))).isEmpty();
        assertNothingExecuted();

        open("/dags/web_fixture/trigger");
        WebElement date = browser.driver.findElement(By.id("param.startDate"));
        ((JavascriptExecutor) browser.driver).executeScript("arguments[0].type = 'text'; arguments[0].value = arguments[1];",
                date, IMAGE);
        browser.driver.findElement(By.id("run_id")).sendKeys(SCRIPT);
        browser.driver.findElement(By.id("trigger")).click();
        waitUpTo(10).until(d -> !d.findElements(By.id("error-param.startDate")).isEmpty());
        assertThat(browser.driver.findElement(By.id("error-param.startDate")).getText())
                .startsWith("param 'startDate': '" + IMAGE + "' is not a date");
        assertNothingExecuted();

        assertThat(browser.driver.findElement(By.id("error-run_id")).getText()).startsWith("run id '" + SCRIPT
                + "' is not valid");
        assertNothingExecuted();

        open("/dags/web_fixture/runs/" + java.net.URLEncoder.encode(IMAGE, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20"));
        assertThat(browser.driver.findElement(By.id("problem")).getText()).startsWith("run id '" + IMAGE
                + "' is not valid");
        assertNothingExecuted();
        assertThat(web.operations.runs(new io.dagctl.ops.Operations.RunFilter(java.util.Optional.empty(),
                java.util.Optional.of(RunState.QUEUED), java.util.Optional.empty(), 10, 0)).items()).isEmpty();
    }

    @Test
    void showsTheTailOfALongLogAndEarlierLinesOnRequestWithoutLoadingTheRest() throws Exception {
        Instant now = Instant.now();
        web.store.write(tx -> {
            tx.insertRun(new DagRun("web_fixture", "long_log_run", RunState.SUCCESS, RunType.MANUAL, now, now, now,
                    Map.of(), now, Optional.of(now), Optional.of(now), Optional.empty(), Optional.empty()));
            tx.insertTasks(List.of(TaskInstance.fresh("web_fixture", "long_log_run", "extract", 1)
                    .startedTry(now, "here", 1).endedTry(TaskState.SUCCESS, now, Optional.empty(), Optional.empty())));
        });
        StringBuilder written = new StringBuilder();
        for (int i = 0; written.length() < Api.LOG_CHUNK_BYTES + 1000; i++) {
            written.append("line ").append(i).append(" of a long log\n");
        }
        Path log = TaskLogs.under(web.home).pathOf("web_fixture", "long_log_run", "extract", 1);
        Files.createDirectories(log.getParent());
        Files.writeString(log, written);

        open("/dags/web_fixture/runs/long_log_run/tasks/extract");
        waitUpTo(10).until(d -> d.findElement(By.cssSelector("#log.complete")) != null);
        String tail = browser.driver.findElement(By.id("log")).getAttribute("textContent");
        browser.driver.findElement(By.id("log-earlier")).click();
        waitUpTo(10).until(d -> !d.findElement(By.id("log-earlier")).isDisplayed());

        assertThat(tail).hasSizeLessThanOrEqualTo(Api.LOG_CHUNK_BYTES).startsWith("line ")
                .isEqualTo(written.substring(written.length() - tail.length()));
        assertThat(browser.driver.findElement(By.id("log")).getAttribute("textContent"))
                .isEqualTo(written.toString());
    }

    @Test
    void drawsTheGraphInLayersWithTheSelectedRunsStates() {
        trigger("graph_run", "FAST", "graph");
        open("/dags/web_fixture?run_id=graph_run");
        waitUpTo(30).until(d -> d.findElements(By.cssSelector("#graph rect.state-success")).size() == 3);

        List<WebElement> nodes = browser.driver.findElements(By.cssSelector("#graph rect"));
        assertThat(nodes).hasSize(4);
        assertThat(nodes.stream().map(n -> Integer.parseInt(n.getAttribute("x"))).distinct()).hasSize(4);
        browser.driver.findElement(By.id("graph-search")).sendKeys("trans");
        assertThat(browser.driver.findElements(By.cssSelector("#graph rect.match")))
                .extracting(n -> n.getAttribute("data-task")).containsExactly("transform");
        String width = browser.driver.findElement(By.id("graph")).getAttribute("width");
        browser.driver.findElement(By.id("zoom-in")).click();
        assertThat(Double.parseDouble(browser.driver.findElement(By.id("graph")).getAttribute("width")))
                .isEqualTo(Double.parseDouble(width) * 1.25);
        browser.screenshot("run-graph");
    }
}
