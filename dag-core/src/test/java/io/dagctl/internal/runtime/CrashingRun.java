package io.dagctl.internal.runtime;

import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.Task;
import io.dagctl.TriggerRule;
import io.dagctl.spec.DagSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * A run executed in a child JVM that the crash test kills. Each task body writes "start" and "done" lines to a
 * side-effect file, forced to disk, with a pause in between: the lines tell which bodies ran and how often.
 */
public final class CrashingRun {
    static final String RUN_ID = "crash";

    private CrashingRun() {
    }

    @Dag(id = "crashing", retries = 2, retryDelay = "PT0.05S")
    static class Pipeline {
        static Path sideEffects;

        @Task
        void extract() {
            body("extract");
        }

        @Task(after = "extract")
        void left() {
            body("left");
        }

        @Task(after = "extract")
        void right() {
            body("right");
        }

        @Task(after = {"left", "right"})
        void merge() {
            body("merge");
        }

        @Task(after = "merge", triggerRule = TriggerRule.ALL_DONE)
        void publish() {
            body("publish");
        }

        private static void body(String taskId) {
            record("start " + taskId);
            SideEffectFile.pause(400);
            record("done " + taskId);
        }

        private static void record(String line) {
            SideEffectFile.append(sideEffects, line);
        }
    }

    static DagSpec spec() {
        return Specs.of(Pipeline.class, "extract", "left", "right", "merge", "publish");
    }

    static DagRuntime runtime(Path home, boolean resumeOnOpen) {
        return DagRuntime.builder()
                .environment(Map.of())
                .home(home)
                .parallelism(4)
                .connections(Connections.of(Map.of()))
                .dags(java.util.List.of(spec()))
                .resumeInterruptedOnOpen(resumeOnOpen)
                .build();
    }

    /**
     * Arguments: the dagctl home, the side-effect file and optionally the run id ({@value #RUN_ID} by default).
     * Triggers the run and executes it; exits with 0 when it succeeded.
     */
    public static void main(String[] args) {
        Pipeline.sideEffects = Path.of(args[1]);
        try (DagRuntime runtime = runtime(Path.of(args[0]), false)) {
            RunResult result = runtime.run(spec(), RunRequest.manual().withRunId(args.length > 2 ? args[2] : RUN_ID));
            System.exit(result.state() == io.dagctl.RunState.SUCCESS ? 0 : 1);
        }
    }
}
