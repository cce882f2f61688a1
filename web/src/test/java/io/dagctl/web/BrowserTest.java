package io.dagctl.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One webserver and one headless Chromium for a test class: starting either takes seconds. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTest {
    protected WebFixture web;
    protected Browser browser;

    /** How the class's webserver is set up. */
    abstract WebSettings settings();

    /** The webserver and what it serves. */
    WebFixture fixture() {
        return new WebFixture(settings());
    }

    @BeforeAll
    void start() {
        browser = Browser.start();
        web = fixture();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (browser != null) {
            browser.close();
        }
        if (web != null) {
            web.close();
        }
    }
}
