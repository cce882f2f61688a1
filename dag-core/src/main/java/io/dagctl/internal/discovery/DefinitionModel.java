package io.dagctl.internal.discovery;

import io.dagctl.TriggerRule;
import java.util.List;
import java.util.Optional;

/**
 * A DAG class as both readers see it, reflection at run time and {@code javax.lang.model} at compile time, so that
 * {@link DefinitionRules} checks it in one place. {@code T} is the reader's type representation.
 */
public record DefinitionModel<T>(
        String className,
        String id,
        String schedule,
        String timezone,
        String startDate,
        int maxActiveRuns,
        Timing timing,
        Optional<ParamsRecord<T>> params,
        List<TaskMethod<T>> tasks,
        Construction construction) {

    public DefinitionModel {
        tasks = List.copyOf(tasks);
    }

    /**
     * What decides whether Guice can make an instance of the class: its kind and its constructors.
     *
     * @param isInnerClass a member class that is not static, which needs an instance of its enclosing class
     */
    public record Construction(boolean isAbstract, boolean isInnerClass, boolean isPrivate,
            List<Constructor> constructors) {
        public Construction {
            constructors = List.copyOf(constructors);
        }
    }

    /** A constructor; {@code injected} when annotated with jakarta's or Guice's {@code @Inject}. */
    public record Constructor(boolean injected, int parameterCount, boolean isPrivate) {
    }

    /** The retry and timeout attributes as written on {@code @Dag} or {@code @Task}; -1 and "" mean "inherit". */
    public record Timing(int retries, String retryDelay, String maxRetryDelay, String executionTimeout) {
    }

    /** The DAG's params record: its type and components. */
    public record ParamsRecord<T>(T type, String simpleName, List<Component<T>> components) {
        public ParamsRecord {
            components = List.copyOf(components);
        }
    }

    /** A params record component; {@code defaultValue} is empty when the parameter is required. */
    public record Component<T>(String name, T type, Optional<String> defaultValue) {
    }

    /** A {@code @Task} method, in declaration order. */
    public record TaskMethod<T>(
            String methodName,
            String explicitId,
            boolean isPrivate,
            boolean isStatic,
            T returnType,
            List<Parameter<T>> parameters,
            List<String> after,
            Timing timing,
            boolean shortCircuit,
            boolean branch,
            String pool,
            int poolSlots,
            TriggerRule triggerRule) {

        public TaskMethod {
            parameters = List.copyOf(parameters);
            after = List.copyOf(after);
        }

        /** The task id: the explicit one, or the method name in snake case. */
        public String id() {
            return explicitId.isEmpty() ? Names.snakeCase(methodName) : explicitId;
        }
    }

    /** A task method parameter; {@code from} and {@code expand} are the values of its annotations, if any. */
    public record Parameter<T>(T type, Optional<String> from, Optional<String> expand) {
        public Parameter(T type, Optional<String> from) {
            this(type, from, Optional.empty());
        }
    }
}
