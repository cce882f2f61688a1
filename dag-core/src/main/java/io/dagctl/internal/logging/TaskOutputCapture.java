package io.dagctl.internal.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.dagctl.Secrets;
import io.dagctl.internal.text.ControlCharacters;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What a task prints to {@code System.out} and {@code System.err}, line by line, goes to the log of the try
 * running on that thread (as INFO and WARN lines of {@code dagctl.task.stdout} and {@code dagctl.task.stderr}, as
 * Airflow redirects a task's streams), through the masker; other threads' lines reach the console masked. Installed
 * once per process, by {@link TaskLogs}.
 */
final class TaskOutputCapture extends OutputStream {
    private static final org.slf4j.Logger STDOUT = LoggerFactory.getLogger(TaskLogs.TASK_LOGGER_PREFIX + "stdout");
    private static final org.slf4j.Logger STDERR = LoggerFactory.getLogger(TaskLogs.TASK_LOGGER_PREFIX + "stderr");

    private final PrintStream console;
    private final boolean error;
    private final ThreadLocal<ByteArrayOutputStream> line = ThreadLocal.withInitial(ByteArrayOutputStream::new);

    private TaskOutputCapture(PrintStream console, boolean error) {
        this.console = console;
        this.error = error;
    }

    /**
     * Replaces {@code System.out} and {@code System.err}. Logback's console appenders look the streams up on each
     * write; they are given streams that still do, but pass by the capture: their lines are in the try's log
     * already, and belong on the console.
     */
    static synchronized void install(LoggerContext context) {
        if (System.out instanceof Captured || System.err instanceof Captured) {
            return;
        }
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                    console.setOutputStream(new Uncaptured("System.err".equals(console.getTarget())));
                }
            }
        }
        System.setOut(new Captured(new TaskOutputCapture(System.out, false)));
        System.setErr(new Captured(new TaskOutputCapture(System.err, true)));
    }

    @Override
    public void write(int b) {
        ByteArrayOutputStream buffer = line.get();
        if (b == '\n') {
            emit(buffer, true);
        } else {
            buffer.write(b);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ByteArrayOutputStream buffer = line.get();
        int start = offset;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                buffer.write(bytes, start, i - start);
                emit(buffer, true);
                start = i + 1;
            }
        }
        buffer.write(bytes, start, offset + length - start);
    }

    /** A partial line is emitted when flushed: at the latest when its try's log is unbound from the thread. */
    @Override
    public void flush() {
        ByteArrayOutputStream buffer = line.get();
        if (buffer.size() > 0) {
            emit(buffer, false);
        }
        console.flush();
    }

    private void emit(ByteArrayOutputStream buffer, boolean endOfLine) {
        String text = buffer.toString(StandardCharsets.UTF_8);
        buffer.reset();
        if (MDC.get(TaskLogs.MDC_KEY) != null) {
            String withoutReturn = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            if (error) {
                STDERR.warn("{}", withoutReturn);
            } else {
                STDOUT.info("{}", withoutReturn);
            }
        } else {
            console.print(ControlCharacters.escape(Secrets.mask(text)) + (endOfLine ? "\n" : ""));
        }
    }

    /** Marks the installed streams, so that a second install does not wrap them again. */
    private static final class Captured extends PrintStream {
        private final PrintStream console;

        Captured(TaskOutputCapture capture) {
            super(capture, true, StandardCharsets.UTF_8);
            this.console = capture.console;
        }
    }

    /** The current {@code System.out} or {@code System.err}, or the console behind it when it is captured. */
    private static final class Uncaptured extends OutputStream {
        private final boolean error;

        Uncaptured(boolean error) {
            this.error = error;
        }

        private PrintStream target() {
            PrintStream current = error ? System.err : System.out;
            return current instanceof Captured captured ? captured.console : current;
        }

        @Override
        public void write(int b) {
            target().write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            target().write(bytes, offset, length);
        }

        @Override
        public void flush() {
            target().flush();
        }
    }
}
