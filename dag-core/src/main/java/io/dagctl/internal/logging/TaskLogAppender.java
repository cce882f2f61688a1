package io.dagctl.internal.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes each event logged on a task thread to the log file of the try running there, which the runtime names in
 * the MDC ({@link TaskLogs#MDC_KEY}). Events of other threads are left to the other appenders.
 */
final class TaskLogAppender extends AppenderBase<ILoggingEvent> {
    private final Map<String, Writer> writers = new ConcurrentHashMap<>();
    private final MaskingPatternLayout layout = new MaskingPatternLayout();

    TaskLogAppender() {
        setName("dagctl-task-log");
    }

    @Override
    public void start() {
        layout.setContext(getContext());
        layout.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level [%thread] %logger{36} - %msg%n");
        layout.start();
        super.start();
    }

    void register(String path, Writer writer) {
        writers.put(path, writer);
    }

    void flush(String path) {
        Writer writer = writers.get(path);
        if (writer == null) {
            return;
        }
        synchronized (writer) {
            try {
                writer.flush();
            } catch (IOException e) {
                addError("could not write to task log " + path, e);
            }
        }
    }

    Writer unregister(String path) {
        return writers.remove(path);
    }

    @Override
    protected void append(ILoggingEvent event) {
        String path = event.getMDCPropertyMap().get(TaskLogs.MDC_KEY);
        if (path == null) {
            return;
        }
        Writer writer = writers.get(path);
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
