package io.dagctl.internal.discovery;

/** Where a task parameter's value comes from, as resolved by {@link DefinitionRules}. */
public sealed interface Binding<T> {
    record Context<T>() implements Binding<T> {
    }

    record Params<T>() implements Binding<T> {
    }

    /** The value returned by task {@code taskId}, read as the parameter's declared type. */
    record Upstream<T>(String taskId, T type) implements Binding<T> {
    }

    /** One element of the list returned by task {@code taskId}: the task is mapped over that list. */
    record Expanded<T>(String taskId, T elementType) implements Binding<T> {
    }
}
