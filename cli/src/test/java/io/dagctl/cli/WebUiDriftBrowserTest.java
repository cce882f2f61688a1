package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.dags.demo.DemoData;
import io.dagctl.embedded.testing.SharedLocalS3;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.web.Browser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code dagctl webserver} as a process, used from Chromium as a user does: trigger detect_data_drift for February
 * 2011 from the form, watch it end without a reload, open the drift report; then SIGTERM stops it with exit code 0.
 */
class WebUiDriftBrowserTest {
    private static final Pattern LISTENING = Pattern.compile("webserver listening at (http://\\S+/) ");

    @TempDir
    Path home;

    @Test
    void triggersDetectDataDriftFromTheFormAndOpensItsReport() throws Exception {
        try (Browser browser = Browser.start()) {
            String database = SharedPostgres.freshDatabase("webui");
            DemoData.seedBikes(new PostgresHook(ConnectionUri.parse("bike_db", database)));
            Path output = home.resolve("webserver.out");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "webserver",
                    "--port", "0").redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(Map.of("DAGCTL_HOME", home.toString(), "DAGCTL_PARALLELISM", "2",
                    "DAGCTL_CONN_S3_DEFAULT", SharedLocalS3.connectionUri("webui"), "DAGCTL_CONN_BIKE_DB", database));
            Process webserver = builder.start();
            try {
                String url = awaitUrl(webserver, output);
                WebDriver driver = browser.driver;
                driver.get(url);
                driver.findElement(By.cssSelector("a[href='/dags/detect_data_drift/trigger']")).click();
                setDate(driver, "param.startDate", "2011-02-01");
                setDate(driver, "param.endDate", "2011-02-28");
                driver.findElement(By.id("trigger")).click();
                WebDriverWait wait = (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(120))
                        .ignoring(StaleElementReferenceException.class);
                wait.until(d -> d.getCurrentUrl().contains("/runs/manual__"));
                ((JavascriptExecutor) driver).executeScript("window.notReloaded = true;");

                wait.until(d -> badge(d, "drift_detected").equals("success"));
                wait.until(d -> badge(d, "notify_drift").equals("skipped"));

                assertThat(badge(driver, "fetch_current")).isEqualTo("success");
                assertThat(((JavascriptExecutor) driver).executeScript("return window.notReloaded;")).isEqualTo(true);
                assertThat(driver.findElement(By.id("run-params")).getText()).contains("startDate 2011-02-01")
                        .contains("endDate 2011-02-28");
                String runPath = driver.getCurrentUrl();
                driver.navigate().refresh(); // for the Gantt chart of the whole run
                browser.screenshot("drift-run");

                driver.get(runPath + "/tasks/detect_drift");
                assertThat(driver.findElement(By.cssSelector("a.object-link")).getText())
                        .startsWith("open s3://webui/manual__").endsWith("/drift_report.html");
                assertThat(driver.findElement(By.cssSelector("iframe.report")).getAttribute("sandbox")).isEmpty();
                driver.switchTo().frame(driver.findElement(By.cssSelector("iframe.report")));
                assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Data drift report");
                driver.switchTo().defaultContent();
                browser.screenshot("drift-report");

                driver.get(url + "dags/detect_data_drift");
                browser.screenshot("drift-dag");
            } finally {
                webserver.destroy(); // SIGTERM
            }
            assertThat(webserver.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(output)).contains("webserver stopped");
            assertThat(webserver.exitValue()).isEqualTo(ExitCodes.OK);
        }
    }

    private static String awaitUrl(Process webserver, Path output) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && webserver.isAlive()) {
            Matcher listening = LISTENING.matcher(Files.exists(output)
                    ? Files.readString(output, StandardCharsets.UTF_8) : "");
            if (listening.find()) {
                return listening.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the webserver did not say where it listens: " + Files.readString(output));
    }

    private static void setDate(WebDriver driver, String id, String value) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];", driver.findElement(By.id(id)),
                value);
    }

    private static String badge(WebDriver driver, String task) {
        return driver.findElement(By.cssSelector("tr[data-task='" + task + "'] .badge")).getText();
    }
}
