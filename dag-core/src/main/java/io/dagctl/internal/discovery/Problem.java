package io.dagctl.internal.discovery;

/**
 * One thing wrong with a DAG definition: where it is, for the processor to point its error at, and the full message,
 * {@code Class.method: problem; fix} (or {@code Class: ...} for class-level problems).
 */
public record Problem(Location location, String message) {

    /** The element a problem belongs to. Indexes count {@code @Task} methods and parameters from 0. */
    public sealed interface Location {
    }

    public record OnClass() implements Location {
    }

    public record OnTask(int task) implements Location {
    }

    public record OnParameter(int task, int parameter) implements Location {
    }

    public record OnParamsComponent(int component) implements Location {
    }
}
