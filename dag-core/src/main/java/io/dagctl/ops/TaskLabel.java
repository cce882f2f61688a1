package io.dagctl.ops;

import io.dagctl.internal.discovery.Names;
import io.dagctl.internal.store.TaskInstance;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A task as users name it: {@code forecast}, or {@code forecast[2]} for one instance of a mapped task. */
public record TaskLabel(String taskId, OptionalInt mapIndex) {
    private static final Pattern INDEXED = Pattern.compile("(.+)\\[(\\d{1,9})]");

    public static TaskLabel parse(String text) {
        Matcher indexed = INDEXED.matcher(text);
        return indexed.matches() ? new TaskLabel(indexed.group(1), OptionalInt.of(Integer.parseInt(indexed.group(2))))
                : new TaskLabel(text, OptionalInt.empty());
    }

    /**
     * The one instance of a run this label names, among the task's instances; {@code expandedOver} is the task whose
     * list the task is mapped over, when the DAG is known here.
     *
     * @throws OperationException when a mapped task is named without an index, or with one it does not have
     */
    TaskInstance select(List<TaskInstance> instances, String runId, Optional<String> expandedOver) {
        List<TaskInstance> mapped = instances.stream().filter(t -> t.mapIndex() >= 0).toList();
        if (mapIndex.isPresent() && mapped.isEmpty() && expandedOver.isPresent()) {
            // Its one instance is the placeholder that becomes one instance per element once the list exists.
            throw OperationException.notFound("task " + taskId + " of run " + runId + " has no instances yet: it"
                    + " waits for the list " + expandedOver.get() + " returns");
        }
        if (mapIndex.isEmpty()) {
            if (mapped.isEmpty()) {
                return instances.get(0);
            }
            throw OperationException.invalid("task " + taskId + " of run " + runId + " is mapped: name one of its "
                    + mapped.size() + " instances, " + taskId + "[0] to " + taskId + "[" + (mapped.size() - 1) + "]");
        }
        return mapped.stream().filter(t -> t.mapIndex() == mapIndex.getAsInt()).findFirst()
                .orElseThrow(() -> OperationException.notFound("task " + taskId + " of run " + runId
                        + " has no instance [" + mapIndex.getAsInt() + "]" + (mapped.isEmpty() ? "; it is not mapped"
                                : "; its instances are " + taskId + "[0] to " + taskId + "[" + (mapped.size() - 1)
                                        + "]")));
    }

    /** A task the run does not have, named with the run's tasks (its DAG may no longer be known here). */
    static OperationException unknownTask(String runId, List<TaskInstance> runTasks, String taskId) {
        List<String> taskIds = runTasks.stream().map(TaskInstance::taskId).distinct().toList();
        return OperationException.notFound("run " + runId + " has no task '" + taskId + "'"
                + Names.closest(taskId, taskIds).map(c -> " (did you mean '" + c + "'?)").orElse("")
                + "; its tasks: " + String.join(", ", taskIds));
    }

    @Override
    public String toString() {
        return TaskInstance.label(taskId, mapIndex.orElse(-1));
    }
}
