package io.dagctl.internal.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.Writer;
import org.slf4j.LoggerFactory;

/**
 * Writes each event logged on a task thread to the log file of the try running there, which the runtime names in
 * the MDC ({@link TaskLogs#MDC_KEY}). Events of other threads are left to the other appenders.
 */
final class TaskLogAppender extends AppenderBase<ILoggingEvent> {
    private final MaskingPatternLayout layout = new MaskingPatternLayout();

    private TaskLogAppender() {
        setName("dagctl-task-log");
    }

    /** Attaches an appender to the root logger; Logback must be the SLF4J provider. */
    static void attach() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        TaskLogAppender created = new TaskLogAppender();
        created.setContext(context);
        created.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(created);
        // What a task says about itself goes to its log whatever the console's level, and only there.
        String prefix = TaskLogs.TASK_LOGGER_PREFIX;
        Logger taskLoggers = context.getLogger(prefix.substring(0, prefix.length() - 1));
        if (taskLoggers.getLevel() == null) {
            taskLoggers.setLevel(Level.INFO);
        }
        taskLoggers.addAppender(created);
        taskLoggers.setAdditive(false);
        TaskOutputCapture.install(context);
    }

    @Override
    public void start() {
        layout.setContext(getContext());
        layout.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level [%thread] %logger{36} - %msg%n");
        layout.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String path = event.getMDCPropertyMap().get(TaskLogs.MDC_KEY);
        if (path == null) {
            return;
        }
        Writer writer = TaskLogs.writer(path);
        if (writer == null) {
            return;
        }
        String line = layout.doLayout(event);
        synchronized (writer) {
            try {
                // Flushed when the try ends (TryLog.flush), not per line.
                writer.write(line);
            } catch (IOException e) {
                addError("could not write to task log " + path, e);
            }
        }
    }
}
