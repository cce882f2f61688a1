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
        List<Class<? extends Notifier>> onSuccess) {

    public TaskSpec {
        arguments = List.copyOf(arguments);
        upstream = Set.copyOf(upstream);
        onFailure = List.copyOf(onFailure);
        onSuccess = List.copyOf(onSuccess);
    }

    /** {@code Class.method}, the way errors name a task's definition. */
    public String location() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }

    public boolean returnsValue() {
        return returnType != void.class && returnType != Void.class;
    }
}
