package io.dagctl.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ops.Operations;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What changes after a page loaded shows there without a reload: a new run in the DAG page's grid, a failed
 * task's error and the run's duration on the run page, the error on the task page.
 */
class WebLiveStatesBrowserTest extends BrowserTest {
    @Override
    WebSettings settings() {
        return WebFixture.local();
    }

    private void open(String path) {
        browser.driver.get(web.url(path).toString());
        ((JavascriptExecutor) browser.driver).executeScript("window.notReloaded = true;");
    }

    private boolean pageWasNotReloaded() {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser.driver).executeScript("return window.notReloaded;"));
    }

    private WebDriverWait waitUpTo(int seconds) {
        return (WebDriverWait) new WebDriverWait(browser.driver, Duration.ofSeconds(seconds))
                .ignoring(StaleElementReferenceException.class);
    }

    /** A queued run, which nothing executes until {@link #execute}. */
    private void queue(String runId, String mode) {
        web.operations.trigger(new Operations.TriggerRequest("web_fixture", Map.of("mode", mode),
                Optional.of(runId)));
    }

    private void execute(String runId) {
        web.operations.resume("web_fixture", runId);
    }

    private String text(By by) {
        return browser.driver.findElement(by).getAttribute("textContent");
    }

    @Test
    void aRunMadeAfterTheDagPageLoadedGetsAGridColumnThatTurnsGreen() {
        queue("grid_before", "FAST");
        execute("grid_before");
        open("/dags/web_fixture");

        queue("grid_live", "FAST");
        execute("grid_live");

        By loadCell = By.cssSelector("#grid tr[data-task='load'] a.cell[data-key='web_fixture/grid_live/load']");
        waitUpTo(30).until(d -> !d.findElements(loadCell).isEmpty()
                && d.findElement(loadCell).getAttribute("class").contains("state-success"));
        assertThat(browser.driver.findElements(By.cssSelector("#grid thead a.square"))
                .stream().map(a -> a.getAttribute("data-key")).toList())
                .endsWith("web_fixture/grid_before", "web_fixture/grid_live");
        assertThat(browser.driver.findElement(By.cssSelector(
                "#grid thead a.square[data-key='web_fixture/grid_live']")).getAttribute("class"))
                .contains("state-success");
        assertThat(browser.driver.findElement(loadCell).getAttribute("href"))
                .endsWith("/dags/web_fixture/runs/grid_live/tasks/load");
        assertThat(browser.driver.findElements(By.cssSelector("#grid tbody tr")))
                .allSatisfy(row -> assertThat(row.findElements(By.tagName("td"))).hasSize(
                        browser.driver.findElements(By.cssSelector("#grid thead a.square")).size()));
        assertThat(pageWasNotReloaded()).isTrue();
    }

    @Test
    void theRunPageShowsAFailedTasksErrorAndHowLongTheRunTookWithoutAReload() {
        WebFixtureDag.FailOnce.arm();
        queue("run_live", "FAIL");
        open("/dags/web_fixture/runs/run_live");
        assertThat(text(By.cssSelector("tr[data-task='transform'] td.error"))).isEmpty();

        execute("run_live");

        By runBadge = By.cssSelector("h1 .badge");
        // notify_failure, the leaf, runs when load fails, so the run succeeds.
        waitUpTo(30).until(d -> d.findElement(runBadge).getText().equals("success"));
        String error = web.operations.taskInstance("web_fixture", "run_live", "transform").error().orElseThrow();
        assertThat(error).contains("transform was told to fail");
        waitUpTo(5).until(d -> text(By.cssSelector("tr[data-task='transform'] td.error")).equals(error));
        Operations.Run run = web.operations.findRun("web_fixture", "run_live");
        waitUpTo(5).until(d -> text(By.cssSelector("span[data-key='web_fixture/run_live#took']")).equals(
                ", took " + String.format(java.util.Locale.ROOT, "%.1fs",
                        run.duration().orElseThrow().toMillis() / 1000.0)));
        assertThat(pageWasNotReloaded()).isTrue();
    }

    @Test
    void theTaskPageShowsItsErrorOnceItFailsWithoutAReload() {
        WebFixtureDag.FailOnce.arm();
        queue("task_live", "FAIL");
        open("/dags/web_fixture/runs/task_live/tasks/transform");
        assertThat(browser.driver.findElement(By.id("error")).isDisplayed()).isFalse();

        execute("task_live");

        String error = waitUpTo(30).until(d -> web.operations.taskInstance("web_fixture", "task_live", "transform")
                .error().orElse(null));
        waitUpTo(5).until(d -> text(By.id("error")).equals(error));
        assertThat(browser.driver.findElement(By.id("error")).isDisplayed()).isTrue();
        assertThat(browser.driver.findElement(By.cssSelector("h1 .badge")).getText()).isEqualTo("failed");
        assertThat(pageWasNotReloaded()).isTrue();
    }
}
