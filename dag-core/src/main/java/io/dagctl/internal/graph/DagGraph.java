package io.dagctl.internal.graph;

import io.dagctl.TriggerRule;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskKind;
import io.dagctl.spec.TaskSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders a DAG's tasks and edges: as an indented tree for the terminal, or as Mermaid or Graphviz DOT source. Edges
 * that carry a value are solid; ordering-only edges ({@code @Task(after)}) are dashed. Tasks appear in the spec's
 * topological order.
 */
public final class DagGraph {
    private DagGraph() {
    }

    /**
     * A tree from each task without upstream tasks down to the leaves, marked with a task's kind and a trigger rule
     * other than all_success. A task reached again by another path is named with {@code (see above)} rather than
     * expanded twice.
     */
    public static String text(DagSpec dag) {
        StringBuilder out = new StringBuilder();
        Set<String> shown = new HashSet<>();
        for (TaskSpec task : dag.tasks()) {
            if (task.upstream().isEmpty()) {
                out.append(label(task)).append('\n');
                shown.add(task.id());
                children(dag, task, "", shown, out);
            }
        }
        return out.toString();
    }

    private static void children(DagSpec dag, TaskSpec parent, String indent, Set<String> shown, StringBuilder out) {
        List<String> downstream = new ArrayList<>(dag.downstream(parent.id()));
        for (int i = 0; i < downstream.size(); i++) {
            boolean last = i == downstream.size() - 1;
            TaskSpec child = dag.task(downstream.get(i));
            out.append(indent).append(last ? "└── " : "├── ").append(label(child));
            if (!shown.add(child.id())) {
                out.append(" (see above)\n");
                continue;
            }
            out.append('\n');
            children(dag, child, indent + (last ? "    " : "│   "), shown, out);
        }
    }

    private static String label(TaskSpec task) {
        List<String> marks = new ArrayList<>();
        if (task.kind() != TaskKind.PLAIN) {
            marks.add(task.kind().name().toLowerCase(Locale.ROOT));
        }
        if (task.triggerRule() != TriggerRule.ALL_SUCCESS) {
            marks.add(task.triggerRule().name().toLowerCase(Locale.ROOT));
        }
        return marks.isEmpty() ? task.id() : task.id() + " [" + String.join(", ", marks) + "]";
    }

    /** A Mermaid {@code flowchart LR}: branch tasks as rhombi, short-circuit tasks as hexagons. */
    public static String mermaid(DagSpec dag) {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        for (TaskSpec task : dag.tasks()) {
            String id = task.id();
            out.append("    ").append(switch (task.kind()) {
                case BRANCH -> id + "{" + id + "}";
                case SHORT_CIRCUIT -> id + "{{" + id + "}}";
                case PLAIN -> id;
            }).append('\n');
        }
        for (TaskSpec task : dag.tasks()) {
            for (String downstream : dag.downstream(task.id())) {
                String arrow = carriesValue(dag.task(downstream), task.id()) ? " --> " : " -.-> ";
                out.append("    ").append(task.id()).append(arrow).append(downstream).append('\n');
            }
        }
        return out.toString();
    }

    /** A Graphviz {@code digraph} laid out left to right. */
    public static String dot(DagSpec dag) {
        StringBuilder out = new StringBuilder("digraph ").append(quoted(dag.id())).append(" {\n")
                .append("    rankdir=LR;\n")
                .append("    node [shape=box];\n");
        for (TaskSpec task : dag.tasks()) {
            out.append("    ").append(quoted(task.id())).append(switch (task.kind()) {
                case BRANCH -> " [shape=diamond]";
                case SHORT_CIRCUIT -> " [shape=hexagon]";
                case PLAIN -> "";
            }).append(";\n");
        }
        for (TaskSpec task : dag.tasks()) {
            for (String downstream : dag.downstream(task.id())) {
                out.append("    ").append(quoted(task.id())).append(" -> ").append(quoted(downstream))
                        .append(carriesValue(dag.task(downstream), task.id()) ? "" : " [style=dashed]").append(";\n");
            }
        }
        return out.append("}\n").toString();
    }

    private static boolean carriesValue(TaskSpec downstream, String upstreamId) {
        return downstream.arguments().stream()
                .anyMatch(a -> a instanceof ArgumentSpec.Upstream value && value.taskId().equals(upstreamId));
    }

    private static String quoted(String id) {
        return '"' + id.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
