package io.dagctl.web;

import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.TriggerRule;
import java.time.LocalDate;

/** A small DAG whose params cover each kind of form field, and whose mode makes a task slow or failing. */
@Dag(id = "web_fixture", description = "Counts the words of a <b>note</b>", tags = {"web", "fixture"},
        params = WebFixtureDag.Window.class)
public final class WebFixtureDag {
    public enum Mode { FAST, SLOW, FAIL }

    public record Window(
            @Param(defaultValue = "2011-02-01", description = "First day of the window") LocalDate startDate,
            @Param(defaultValue = "3", description = "How many words to keep") int count,
            @Param(defaultValue = "FAST", description = "FAST, SLOW (a few seconds) or FAIL (transform fails)") Mode mode,
            @Param(defaultValue = "hello world", description = "Any text, logged and returned") String note) {
        public Window {
            if (count < 0) {
                throw new IllegalArgumentException("count must be at least 0, not " + count);
            }
        }
    }

    @Task
    public String extract(TaskContext context, Window window) throws InterruptedException {
        context.log().info("note: {}", window.note());
        if (window.mode() == Mode.SLOW) {
            for (int i = 1; i <= 6; i++) {
                context.log().info("working, step {}", i);
                Thread.sleep(500);
            }
        }
        return window.note();
    }

    @Task
    public int transform(@From("extract") String note, Window window) {
        if (window.mode() == Mode.FAIL && FailOnce.shouldFail()) {
            throw new IllegalStateException("transform was told to fail");
        }
        return note.split(" ").length;
    }

    @Task
    public String load(@From("transform") int words) {
        return "{\"words\": " + words + "}";
    }

    @Task(after = "load", triggerRule = TriggerRule.ALL_FAILED)
    public void notifyFailure() {
        // runs only when load failed; skipped otherwise
    }

    /** Fails the first try after {@link #arm()}, so that a clear runs the task again and it succeeds. */
    public static final class FailOnce {
        private static volatile boolean armed = true;

        static void arm() {
            armed = true;
        }

        static synchronized boolean shouldFail() {
            boolean fail = armed;
            armed = false;
            return fail;
        }
    }
}
