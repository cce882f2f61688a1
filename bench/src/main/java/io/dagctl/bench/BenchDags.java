package io.dagctl.bench;

import io.dagctl.Dag;
import io.dagctl.TriggerRule;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.ParamsSpec;
import io.dagctl.spec.RetryPolicy;
import io.dagctl.spec.TaskKind;
import io.dagctl.spec.TaskSpec;
import io.dagctl.spec.Triggers;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The DAG shapes the benchmarks run, built as specs so that only the machinery under test is measured. */
final class BenchDags {
    private static final RetryPolicy NO_RETRIES = new RetryPolicy(0, Duration.ZERO, false, Duration.ZERO);

    private BenchDags() {
    }

    /** The task bodies: no-ops that pass a number on. */
    public static final class Tasks {
        public int first() {
            return 0;
        }

        public int next(int previous) {
            return previous + 1;
        }

        public int sum(int left, int right) {
            return left + right;
        }
    }

    /** {@code length} tasks, each taking its predecessor's value. */
    static DagSpec chain(int length) {
        List<TaskSpec> tasks = new ArrayList<>();
        tasks.add(task("t0", first(), List.of(), Set.of()));
        for (int i = 1; i < length; i++) {
            String previous = "t" + (i - 1);
            tasks.add(task("t" + i, next(), List.of(new ArgumentSpec.Upstream(previous, int.class)), Set.of(previous)));
        }
        return dag("chain_" + length, tasks);
    }

    /** One source and {@code width} tasks taking its value. */
    static DagSpec fanOut(int width) {
        List<TaskSpec> tasks = new ArrayList<>();
        tasks.add(task("source", first(), List.of(), Set.of()));
        for (int i = 0; i < width; i++) {
            tasks.add(task("m" + i, next(), List.of(new ArgumentSpec.Upstream("source", int.class)), Set.of("source")));
        }
        return dag("fan_out_" + width, tasks);
    }

    /** {@code width} tasks in all: a source, {@code width - 2} tasks taking its value, and a sink after all of them. */
    static DagSpec fanOutAndIn(int width) {
        List<TaskSpec> tasks = new ArrayList<>(fanOut(width - 2).tasks());
        Set<String> middle = Set.copyOf(tasks.subList(1, tasks.size()).stream().map(TaskSpec::id).toList());
        tasks.add(task("sink", first(), List.of(), middle));
        return dag("fan_" + width, tasks);
    }

    /**
     * {@code taskCount} tasks in layers of {@code width}, as a large ETL DAG is drawn: each task after the first
     * layer takes the values of two tasks of the layer before it.
     */
    static DagSpec layered(String id, int taskCount, int width) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < taskCount; i++) {
            if (i < width) {
                tasks.add(task("t" + i, first(), List.of(), Set.of()));
            } else {
                String left = "t" + (i - width);
                String right = "t" + ((i / width - 1) * width + (i + 1) % width);
                tasks.add(task("t" + i, sum(), List.of(new ArgumentSpec.Upstream(left, int.class),
                        new ArgumentSpec.Upstream(right, int.class)), Set.of(left, right)));
            }
        }
        return dag(id, tasks);
    }

    private static Method first() {
        return method("first");
    }

    private static Method sum() {
        return method("sum", int.class, int.class);
    }

    private static Method next() {
        return method("next", int.class);
    }

    private static Method method(String name, Class<?>... parameters) {
        try {
            return Tasks.class.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TaskSpec task(String id, Method method, List<ArgumentSpec> arguments, Set<String> upstream) {
        return new TaskSpec(id, method, int.class, arguments, upstream, TriggerRule.ALL_SUCCESS, TaskKind.PLAIN,
                NO_RETRIES, Optional.empty(), List.of(), List.of());
    }

    /** No limit on active tasks: the benchmarks measure the machinery, not a configured cap. */
    private static DagSpec dag(String id, List<TaskSpec> tasks) {
        return new DagSpec(id, Tasks.class, "", "", ZoneId.of("UTC"), Optional.empty(), false, List.of(),
                new ParamsSpec(Dag.NoParams.class, List.of()), 1, NO_RETRIES, Optional.empty(), List.of(), List.of(),
                tasks, Optional.empty(), Triggers.NONE, Integer.MAX_VALUE);
    }
}
