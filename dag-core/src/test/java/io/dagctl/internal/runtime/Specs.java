package io.dagctl.internal.runtime;

import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.Notifier;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.ParamsSpec;
import io.dagctl.spec.RetryPolicy;
import io.dagctl.spec.TaskKind;
import io.dagctl.spec.TaskSpec;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the spec of a fixture DAG class by reading its {@code @Task} methods in the order given: enough of
 * discovery for the runtime's tests, which must not depend on discovery's own checks.
 */
final class Specs {
    private Specs() {
    }

    static DagSpec of(Class<?> dagClass, String... methodsInOrder) {
        Dag dag = dagClass.getAnnotation(Dag.class);
        RetryPolicy defaultRetry = new RetryPolicy(dag.retries(), Duration.parse(dag.retryDelay()),
                dag.retryExponentialBackoff(), Duration.parse(dag.maxRetryDelay()));
        List<TaskSpec> tasks = new ArrayList<>();
        for (String name : methodsInOrder) {
            Method method = Arrays.stream(dagClass.getDeclaredMethods()).filter(m -> m.getName().equals(name))
                    .findFirst().orElseThrow();
            tasks.add(task(method, dag, defaultRetry));
        }
        return new DagSpec(dag.id(), dagClass, dag.description(), dag.schedule(), ZoneId.of(dag.timezone()),
                Optional.empty(), dag.catchup(), List.of(dag.tags()), new ParamsSpec(dag.params(), List.of()),
                dag.maxActiveRuns(), defaultRetry, duration(dag.executionTimeout()), List.of(dag.onFailure()),
                List.of(dag.onSuccess()), tasks);
    }

    private static TaskSpec task(Method method, Dag dag, RetryPolicy dagRetry) {
        Task task = method.getAnnotation(Task.class);
        List<ArgumentSpec> arguments = new ArrayList<>();
        Set<String> upstream = new LinkedHashSet<>();
        for (Parameter parameter : method.getParameters()) {
            From from = parameter.getAnnotation(From.class);
            if (parameter.getType() == TaskContext.class) {
                arguments.add(new ArgumentSpec.Context());
            } else if (from != null) {
                arguments.add(new ArgumentSpec.Upstream(from.value(), parameter.getParameterizedType()));
                upstream.add(from.value());
            } else {
                arguments.add(new ArgumentSpec.Params(dag.params()));
            }
        }
        upstream.addAll(List.of(task.after()));
        RetryPolicy retry = new RetryPolicy(task.retries() >= 0 ? task.retries() : dagRetry.retries(),
                task.retryDelay().isEmpty() ? dagRetry.delay() : Duration.parse(task.retryDelay()),
                task.retryExponentialBackoff() || dagRetry.exponentialBackoff(),
                task.maxRetryDelay().isEmpty() ? dagRetry.maxDelay() : Duration.parse(task.maxRetryDelay()));
        TaskKind kind = task.shortCircuit() ? TaskKind.SHORT_CIRCUIT : task.branch() ? TaskKind.BRANCH : TaskKind.PLAIN;
        String id = task.id().isEmpty() ? method.getName() : task.id();
        List<Class<? extends Notifier>> onFailure = List.of(task.onFailure());
        List<Class<? extends Notifier>> onSuccess = List.of(task.onSuccess());
        return new TaskSpec(id, method, method.getGenericReturnType(), arguments, upstream, task.triggerRule(), kind,
                retry, duration(task.executionTimeout()), onFailure, onSuccess);
    }

    private static Optional<Duration> duration(String iso) {
        return iso.isEmpty() ? Optional.empty() : Optional.of(Duration.parse(iso));
    }
}
