package io.dagctl.internal.runtime;

import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What decisions ask of a DAG's graph, computed once per spec: {@link DagSpec#downstream} scans every task, which
 * a DAG of thousands of tasks cannot afford per decision.
 */
final class DagShape {
    private final DagSpec dag;
    private final Map<String, TaskSpec> specs = new HashMap<>();
    private final Map<String, Integer> order = new HashMap<>();
    private final Map<String, Set<String>> downstream = new HashMap<>();
    /** For each mapped task, the task whose list it is expanded over. */
    private final Map<String, String> expandedOver = new HashMap<>();
    private final List<String> leaves = new ArrayList<>();

    DagShape(DagSpec dag) {
        this.dag = dag;
        for (int i = 0; i < dag.tasks().size(); i++) {
            TaskSpec task = dag.tasks().get(i);
            specs.put(task.id(), task);
            order.put(task.id(), i);
            task.expandedOver().ifPresent(over -> expandedOver.put(task.id(), over));
            downstream.putIfAbsent(task.id(), new LinkedHashSet<>());
            for (String upstream : task.upstream()) {
                downstream.computeIfAbsent(upstream, id -> new LinkedHashSet<>()).add(task.id());
            }
        }
        for (TaskSpec task : dag.tasks()) {
            if (downstream.get(task.id()).isEmpty()) {
                leaves.add(task.id());
            }
        }
    }

    DagSpec dag() {
        return dag;
    }

    TaskSpec task(String taskId) {
        return specs.get(taskId);
    }

    Set<String> taskIds() {
        return specs.keySet();
    }

    /** The position of the task in the DAG's topological order. */
    int order(String taskId) {
        return order.get(taskId);
    }

    /** The task whose list {@code taskId} is expanded over, or null if it is not mapped. */
    String expandedOver(String taskId) {
        return expandedOver.get(taskId);
    }

    Set<String> downstream(String taskId) {
        return downstream.get(taskId);
    }

    List<String> leaves() {
        return leaves;
    }
}
