package io.dagctl.spec;

import java.util.List;

/**
 * A DAG class breaks the rules of a definition. The message lists every problem, one per line, each starting with
 * where it is ({@code Class.method: } or {@code Class: }) and ending with how to fix it.
 */
public final class DagDefinitionException extends RuntimeException {
    private final List<String> problems;

    public DagDefinitionException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
