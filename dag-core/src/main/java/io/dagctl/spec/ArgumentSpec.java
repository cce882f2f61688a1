package io.dagctl.spec;

import java.lang.reflect.Type;

/** Where the runtime finds the value of one task method parameter. */
public sealed interface ArgumentSpec {
    /** The {@link io.dagctl.TaskContext} of the try. */
    record Context() implements ArgumentSpec {
    }

    /** The run's params record. */
    record Params(Class<? extends Record> type) implements ArgumentSpec {
    }

    /** The XCom value returned by {@code taskId}, read as {@code type} (generics included). */
    record Upstream(String taskId, Type type) implements ArgumentSpec {
    }

    /**
     * One element of the list returned by {@code taskId}, read as {@code elementType}: the task is mapped, one
     * instance per element (Airflow's {@code expand}).
     */
    record Expanded(String taskId, Type elementType) implements ArgumentSpec {
    }
}
