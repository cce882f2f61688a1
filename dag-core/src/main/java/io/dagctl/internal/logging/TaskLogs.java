package io.dagctl.internal.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The log files of task tries, in Airflow's layout:
 * {@code <logs>/dag_id=<d>/run_id=<r>/task_id=<t>/attempt=<n>.log}. Every line logged on the thread of a try, by
 * the task or by the libraries it calls, goes to that try's file with secrets masked.
 */
public final class TaskLogs {
    /** The MDC entry that names the log file of the try running on a thread. */
    public static final String MDC_KEY = "dagctl.log";
    /**
     * The prefix of the loggers {@link io.dagctl.TaskContext#log()} returns, and of the runtime's own lines about a
     * try: their lines go only to the try's file.
     */
    public static final String TASK_LOGGER_PREFIX = "dagctl.task.";

    private static TaskLogAppender appender;

    private final Path root;

    /** The task logs kept under a dagctl home, in its {@code logs} directory. */
    public static TaskLogs under(Path home) {
        return new TaskLogs(home.resolve("logs"));
    }

    public TaskLogs(Path root) {
        this.root = root;
        install();
    }

    /** Attaches the appender to the root logger, once per process. */
    private static synchronized TaskLogAppender install() {
        if (appender == null) {
            if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
                throw new IllegalStateException("task logs need Logback as the SLF4J provider, found "
                        + LoggerFactory.getILoggerFactory().getClass().getName());
            }
            TaskLogAppender created = new TaskLogAppender();
            created.setContext(context);
            created.start();
            context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(created);
            // What a task says about itself goes to its log whatever the console's level, and only there.
            Logger taskLoggers = context.getLogger(TASK_LOGGER_PREFIX.substring(0, TASK_LOGGER_PREFIX.length() - 1));
            if (taskLoggers.getLevel() == null) {
                taskLoggers.setLevel(Level.INFO);
            }
            taskLoggers.addAppender(created);
            taskLoggers.setAdditive(false);
            appender = created;
        }
        return appender;
    }

    public Path root() {
        return root;
    }

    public Path pathOf(String dagId, String runId, String taskId, int attempt) {
        return root.resolve("dag_id=" + dagId).resolve("run_id=" + runId).resolve("task_id=" + taskId)
                .resolve("attempt=" + attempt + ".log");
    }

    /**
     * Opens (appending) the log file of a try; lines reach it on threads where {@link TryLog#bind()} was called.
     * The file and its directories are created at the first line, and lines are buffered until
     * {@link TryLog#flush()} or {@link TryLog#close()}.
     */
    public TryLog open(String dagId, String runId, String taskId, int attempt) {
        Path path = pathOf(dagId, runId, taskId, attempt);
        String key = path.toString();
        appender.register(key, new FileOnFirstWrite(path));
        return new TryLog(key, path);
    }

    /** A buffered writer to a file created, with its directories, when the first characters are written. */
    private static final class FileOnFirstWrite extends Writer {
        private final Path path;
        private Writer file;

        FileOnFirstWrite(Path path) {
            this.path = path;
        }

        @Override
        public void write(char[] characters, int offset, int length) throws IOException {
            if (file == null) {
                Files.createDirectories(path.getParent());
                file = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
            file.write(characters, offset, length);
        }

        @Override
        public void flush() throws IOException {
            if (file != null) {
                file.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (file != null) {
                file.close();
            }
        }
    }

    /** The log file of one try. */
    public static final class TryLog implements AutoCloseable {
        private final String key;
        private final Path path;

        private TryLog(String key, Path path) {
            this.key = key;
            this.path = path;
        }

        public Path path() {
            return path;
        }

        /** Sends the lines logged on the current thread to this file until {@link #unbind()}. */
        public void bind() {
            MDC.put(MDC_KEY, key);
        }

        public void unbind() {
            MDC.remove(MDC_KEY);
        }

        /** Runs {@code action} with its log lines going to this file, on the current thread. */
        public void during(Runnable action) {
            String previous = MDC.get(MDC_KEY);
            MDC.put(MDC_KEY, key);
            try {
                action.run();
            } finally {
                if (previous == null) {
                    MDC.remove(MDC_KEY);
                } else {
                    MDC.put(MDC_KEY, previous);
                }
            }
        }

        /**
         * Writes the lines buffered so far to the file: before a try's end is reported, so that a crash after it
         * is recorded cannot lose what the try logged. A failure to write is reported as a line that cannot be
         * written is: to Logback's status, never to the try, whose outcome must still be reported.
         */
        public void flush() {
            appender.flush(key);
        }

        @Override
        public void close() {
            Writer writer = appender.unregister(key);
            if (writer != null) {
                synchronized (writer) {
                    try {
                        writer.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException("could not close the task log " + path, e);
                    }
                }
            }
        }
    }
}
