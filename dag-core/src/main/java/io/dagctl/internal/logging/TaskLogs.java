package io.dagctl.internal.logging;

import io.dagctl.ops.IdPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The log files of task tries, in Airflow's layout:
 * {@code <logs>/dag_id=<d>/run_id=<r>/task_id=<t>/attempt=<n>.log}. Every line logged on the thread of a try, by
 * the task or by the libraries it calls, and what it prints to {@code System.out} and {@code System.err}, goes to
 * that try's file with secrets masked.
 */
public final class TaskLogs {
    /** The MDC entry that names the log file of the try running on a thread. */
    public static final String MDC_KEY = "dagctl.log";
    /**
     * The prefix of the loggers {@link io.dagctl.TaskContext#log()} returns, and of the runtime's own lines about a
     * try: their lines go only to the try's file.
     */
    public static final String TASK_LOGGER_PREFIX = "dagctl.task.";
    private static final String LOGBACK = "ch.qos.logback.classic.LoggerContext";

    /** The open try logs, by the key their thread carries in the MDC. */
    private static final Map<String, Writer> WRITERS = new ConcurrentHashMap<>();
    private static Boolean capturing;

    private final Path root;

    /** The task logs kept under a dagctl home, in its {@code logs} directory. */
    public static TaskLogs under(Path home) {
        return new TaskLogs(home.resolve("logs"));
    }

    public TaskLogs(Path root) {
        this.root = root;
    }

    /**
     * Routes the lines of try threads to their files, once per process, when Logback is the SLF4J provider: the
     * logging backend is the application's choice, so without Logback the files only say that nothing was captured.
     * Done as a runtime is built (and at the latest as a try's log opens): a process that runs no task (a command that
     * reads runs or logs) starts no logging at all.
     */
    public static synchronized boolean install() {
        if (capturing == null) {
            capturing = LOGBACK.equals(LoggerFactory.getILoggerFactory().getClass().getName());
            if (capturing) {
                TaskLogAppender.attach();
            }
        }
        return capturing;
    }

    /** The writer of the try log that {@code key} names, while it is open. */
    static Writer writer(String key) {
        return WRITERS.get(key);
    }

    public Path root() {
        return root;
    }

    public Path pathOf(String dagId, String runId, String taskId, int attempt) {
        return runDirectory(dagId, runId).resolve(tryFile(taskId, attempt));
    }

    private Path runDirectory(String dagId, String runId) {
        return IdPaths.under(root, "dag_id=" + dagId, "run_id=" + runId);
    }

    /** Under the run's directory: its segments are single names, so the file cannot lie outside it. */
    private static String tryFile(String taskId, int attempt) {
        return IdPaths.relative("task_id=" + taskId, "attempt=" + attempt + ".log");
    }

    /** The log files of one run's tries, which a run's executor opens one after another: see {@link RunLogs}. */
    public RunLogs ofRun(String dagId, String runId) {
        return new RunLogs(runDirectory(dagId, runId));
    }

    /**
     * Opens (appending) the log file of a try; lines reach it on threads where {@link TryLog#bind()} was called.
     * The file and its directories are created now, and lines are buffered until {@link TryLog#flush()} or
     * {@link TryLog#close()}.
     */
    public TryLog open(String dagId, String runId, String taskId, int attempt) {
        return ofRun(dagId, runId).open(taskId, attempt);
    }

    /**
     * The log files of one run's tries: the run's directory is checked to lie under the logs' root once, and each
     * task's directory is created at its first try, not at every try.
     */
    public static final class RunLogs {
        private final Path directory;
        private final Set<String> tasksWithDirectory = ConcurrentHashMap.newKeySet();

        private RunLogs(Path directory) {
            this.directory = directory;
        }

        /** As {@link TaskLogs#open}, for a task of this run. */
        public TryLog open(String taskId, int attempt) {
            Path path = directory.resolve(tryFile(taskId, attempt));
            try {
                if (!tasksWithDirectory.contains(taskId)) {
                    Files.createDirectories(path.getParent());
                    tasksWithDirectory.add(taskId);
                }
                TryLog log;
                try {
                    log = openFile(path);
                } catch (NoSuchFileException removed) {
                    // The task's directory went since its first try (logs cleaned up while the run went on).
                    Files.createDirectories(path.getParent());
                    log = openFile(path);
                }
                if (!install()) {
                    log.writer.write("the lines of this try are not captured: task logs need Logback"
                            + " (ch.qos.logback:logback-classic) as the SLF4J provider, found "
                            + LoggerFactory.getILoggerFactory().getClass().getName() + "\n");
                    log.writer.flush();
                }
                WRITERS.put(log.key, log.writer);
                return log;
            } catch (IOException e) {
                throw new UncheckedIOException("could not open the task log " + path, e);
            }
        }

        /** Opens the file for appending, knowing whether this open made it: only then may {@link TryLog#discard()}. */
        private static TryLog openFile(Path path) throws IOException {
            try {
                return new TryLog(path, true, Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException exists) {
                return new TryLog(path, false, Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE));
            }
        }
    }

    /** The log file of one try. */
    public static final class TryLog implements AutoCloseable {
        private final String key;
        private final Path path;
        /** Whether opening it made the file, which {@link #discard()} then removes. */
        private final boolean created;
        private final Writer writer;

        private TryLog(Path path, boolean created, Writer writer) {
            this.key = path.toString();
            this.path = path;
            this.created = created;
            this.writer = writer;
        }

        public Path path() {
            return path;
        }

        /** Sends the lines logged on the current thread to this file until {@link #unbind()}. */
        public void bind() {
            MDC.put(MDC_KEY, key);
        }

        public void unbind() {
            // What the task printed without ending the line belongs to this try, not to the thread's next one.
            System.out.flush();
            System.err.flush();
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
            Writer writer = WRITERS.get(key);
            if (writer == null) {
                return;
            }
            synchronized (writer) {
                try {
                    writer.flush();
                } catch (IOException e) {
                    LoggerFactory.getLogger(TaskLogs.class).warn("could not write the task log {}: {}", path,
                            e.getMessage());
                }
            }
        }

        @Override
        public void close() {
            Writer writer = WRITERS.remove(key);
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

        /**
         * Closes the file and removes it if opening it made it: for a try opened ahead of its claim's commit that
         * failed, so that no file names a try the database does not have.
         */
        public void discard() {
            close();
            if (created) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not remove the task log " + path, e);
                }
            }
        }
    }
}
