package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.dagctl.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The Logback configuration every dagctl process gets: warnings on the console, masked; INFO for the task logs. */
class ConsoleLoggingTest {
    @Test
    void theConsoleShowsWarningsAndErrorsOnlyMaskedAndEscapedInOneLineEach() {
        Secrets.register("console-logging-secret");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            org.slf4j.Logger logger = LoggerFactory.getLogger("dagctl.console");
            logger.info("an INFO line goes to the task logs only");
            logger.warn("lost the database (password console-logging-secret); trying again");
            logger.error("a header \u001b[2J from input");
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).matches("""
                \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  dagctl\\.console - lost the database \\(password \\*\\*\\*\\); trying again
                \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR dagctl\\.console - a header \\\\x1b\\[2J from input
                """);
    }

    @Test
    void tasksLogFromInfoUpAndChattyLibrariesOnlyFromTheirOwnLevels() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        assertThat(Map.of("org.flywaydb.core", Level.WARN, "com.zaxxer.hikari.pool", Level.ERROR,
                "org.eclipse.jetty.server", Level.WARN, "org.gaul.s3proxy", Level.WARN, "org.jclouds", Level.WARN,
                "io.zonky.test", Level.WARN, "software.amazon.awssdk", Level.WARN, "kafka.server", Level.ERROR,
                "org.apache.kafka.clients", Level.ERROR, "state.change.logger", Level.ERROR))
                .allSatisfy((name, level) -> assertThat(context.getLogger(name).getEffectiveLevel()).as(name)
                        .isEqualTo(level));
    }
}
