package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What stands in for the connections a user has not configured, and what it says about them. */
class LocalServicesTest {
    @TempDir
    Path home;

    @Test
    void theSlackOutboxIsAnnouncedOnceHoweverManyTasksLookItUp() {
        StringWriter notices = new StringWriter();
        PrintWriter err = new PrintWriter(notices, true);
        try (LocalServices services = new LocalServices(home, () -> err)) {
            services.get(LocalServices.SLACK_CONNECTION);
            services.get(LocalServices.SLACK_CONNECTION);
        }

        assertThat(notices.toString()).isEqualTo("dagctl: DAGCTL_CONN_SLACK_DEFAULT is not set: Slack messages go to "
                + home.resolve("outbox/slack.jsonl").toAbsolutePath() + "\n");
    }
}
