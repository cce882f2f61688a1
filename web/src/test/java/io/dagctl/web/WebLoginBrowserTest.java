package io.dagctl.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** Logging in and out in Chromium when the webserver has users. */
class WebLoginBrowserTest extends BrowserTest {
    @Override
    WebSettings settings() {
        return new WebSettings("127.0.0.1", 0, Map.of("alice", BCrypt.hashpw("correct horse", BCrypt.gensalt(4))),
                List.of(), Optional.of("browser-test-key"));
    }

    private void logIn(String user, String password) {
        browser.driver.findElement(By.id("username")).sendKeys(user);
        browser.driver.findElement(By.id("password")).sendKeys(password);
        browser.driver.findElement(By.id("login")).click();
    }

    @Test
    void logsInSeesTheDagsAndLogsOut() {
        browser.driver.get(web.url("/dags/web_fixture").toString());
        assertThat(browser.driver.getCurrentUrl()).endsWith("/login");

        logIn("alice", "wrong");
        // The refused form comes back as a new page: wait for it rather than read the page that sent it.
        assertThat(new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("login-error"))).getText())
                .isEqualTo("wrong user name or password");
        logIn("alice", "correct horse");

        new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("dags")));
        assertThat(browser.driver.findElement(By.cssSelector("header .user")).getText()).isEqualTo("alice");
        assertThat(browser.driver.manage().getCookieNamed("dagctl_session").isHttpOnly()).isTrue();
        browser.screenshot("logged-in");

        browser.driver.findElement(By.id("logout")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/login"));
        browser.driver.get(web.url("/").toString());
        assertThat(browser.driver.getCurrentUrl()).endsWith("/login");
    }
}
