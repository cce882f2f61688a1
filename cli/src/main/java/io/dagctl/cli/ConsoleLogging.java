package io.dagctl.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.dagctl.internal.logging.MaskingPatternLayout;
import java.util.Map;

/**
 * dagctl's Logback configuration, found by Logback as a {@link Configurator} service. The console shows warnings
 * only: the CLI prints progress itself, and each task try's full log (INFO and up, secrets masked) goes to its own
 * file, attached by the runtime. Made in code, it costs a command no XML parsing (Joran loads some 500 classes);
 * {@code -Dlogback.configurationFile=FILE} still replaces it, as it would replace a {@code logback.xml}.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n";

    /** Libraries quieter than the root's INFO, which would otherwise fill every task's log. */
    private static final Map<String, Level> QUIETER = Map.of(
            "org.flywaydb", Level.WARN,
            // A lost database is told once by dagctl itself; the pool would warn for each broken connection.
            "com.zaxxer.hikari", Level.ERROR,
            "org.eclipse.jetty", Level.WARN,
            "org.gaul", Level.WARN,
            "org.jclouds", Level.WARN,
            "io.zonky", Level.WARN,
            "software.amazon", Level.WARN,
            "kafka", Level.ERROR,
            "org.apache.kafka", Level.ERROR,
            "state.change.logger", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        MaskingPatternLayout layout = new MaskingPatternLayout();
        layout.setContext(context);
        layout.setPattern(PATTERN);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ThresholdFilter warnings = new ThresholdFilter();
        warnings.setContext(context);
        warnings.setLevel(Level.WARN.levelStr);
        warnings.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.addFilter(warnings);
        console.setEncoder(encoder);
        console.start();

        QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
