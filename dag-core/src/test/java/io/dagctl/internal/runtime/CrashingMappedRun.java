package io.dagctl.internal.runtime;

import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.Expand;
import io.dagctl.From;
import io.dagctl.Task;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.spec.DagSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A mapped run executed two tries at a time in a child JVM that the crash test kills. Each instance's body writes
 * "start work[i]" and "done work[i]" lines to a side-effect file, forced to disk, with a pause in between.
 */
public final class CrashingMappedRun {
    static final String RUN_ID = "crash";
    static final int ITEMS = 6;

    private CrashingMappedRun() {
    }

    @Dag(id = "crashing_mapped", retries = 2, retryDelay = "PT0.05S")
    static class Pipeline {
        static Path sideEffects;

        @Task
        List<Integer> items() {
            return IntStream.range(0, ITEMS).boxed().toList();
        }

        @Task
        int work(@Expand("items") int item) {
            record("start work[" + item + "]");
            SideEffectFile.pause(300);
            record("done work[" + item + "]");
            return item * 10;
        }

        @Task
        void total(@From("work") List<Integer> values) {
            record("total " + values);
        }

        private static void record(String line) {
            SideEffectFile.append(sideEffects, line);
        }
    }

    static DagSpec spec() {
        return DagDiscovery.load(Pipeline.class);
    }

    static DagRuntime runtime(Path home) {
        return DagRuntime.builder()
                .environment(Map.of())
                .home(home)
                .parallelism(2)
                .connections(Connections.of(Map.of()))
                .dags(List.of(spec()))
                .resumeInterruptedOnOpen(false)
                .build();
    }

    /** Arguments: the dagctl home and the side-effect file. Triggers the run and executes it. */
    public static void main(String[] args) {
        Pipeline.sideEffects = Path.of(args[1]);
        try (DagRuntime runtime = runtime(Path.of(args[0]))) {
            runtime.run(spec(), RunRequest.manual().withRunId(RUN_ID));
        }
    }
}
