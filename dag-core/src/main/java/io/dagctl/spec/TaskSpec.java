package io.dagctl.spec;

import io.dagctl.Notifier;
import io.dagctl.TriggerRule;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One task: the method to invoke, how each of its parameters is resolved, and the ids of its direct upstream
 * tasks (those its arguments come from, plus {@code after}).
 */
public record TaskSpec(
        String id,
        Method method,
        Type returnType,
        List<ArgumentSpec> arguments,
        Set<String> upstream,
        TriggerRule triggerRule,
        TaskKind kind,
        RetryPolicy retry,
        Optional<Duration> executionTimeout,
        List<Class<? extends Notifier>> onFailure,
        List<Class<? extends Notifier>> onSuccess,
        String pool,
        int poolSlots) {

    public static final String DEFAULT_POOL = "default_pool";

    public TaskSpec {
        arguments = List.copyOf(arguments);
        upstream = Set.copyOf(upstream);
        onFailure = List.copyOf(onFailure);
        onSuccess = List.copyOf(onSuccess);
        if (poolSlots < 1) {
            throw new IllegalArgumentException("task '" + id + "' takes " + poolSlots + " pool slots; at least 1");
        }
    }

    /** A task of the default pool, taking one slot. */
    public TaskSpec(String id, Method method, Type returnType, List<ArgumentSpec> arguments, Set<String> upstream,
            TriggerRule triggerRule, TaskKind kind, RetryPolicy retry, Optional<Duration> executionTimeout,
            List<Class<? extends Notifier>> onFailure, List<Class<? extends Notifier>> onSuccess) {
        this(id, method, returnType, arguments, upstream, triggerRule, kind, retry, executionTimeout, onFailure,
                onSuccess, DEFAULT_POOL, 1);
    }

    /** The upstream task whose list this task is expanded over (one mapped instance per element), if any. */
    public Optional<String> expandedOver() {
        return arguments.stream()
                .filter(a -> a instanceof ArgumentSpec.Expanded)
                .map(a -> ((ArgumentSpec.Expanded) a).taskId())
                .findFirst();
    }

    /** {@code Class.method}, the way errors name a task's definition. */
    public String location() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }

    public boolean returnsValue() {
        return returnType != void.class && returnType != Void.class;
    }
}
