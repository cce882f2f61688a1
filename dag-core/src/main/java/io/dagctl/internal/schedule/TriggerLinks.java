package io.dagctl.internal.schedule;

import io.dagctl.spec.DagDefinitionException;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import io.dagctl.spec.Triggers.CompletionTrigger;
import io.dagctl.spec.XComPath;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The checks of {@code @TriggeredBy} that need the other DAG, made once every DAG is loaded: the watched DAG exists,
 * each path names one of its tasks that returns a value, and each field is a component of the record the task (or
 * the field before it) returns. Fields of non-record values (maps, JSON trees) are taken on trust.
 */
public final class TriggerLinks {
    private TriggerLinks() {
    }

    /**
     * @throws DagDefinitionException listing every broken link
     */
    public static void check(List<DagSpec> dags) {
        Map<String, DagSpec> byId = dags.stream().collect(Collectors.toMap(DagSpec::id, Function.identity()));
        List<String> problems = new ArrayList<>();
        for (DagSpec dag : dags) {
            dag.triggers().triggeredBy().ifPresent(trigger -> check(dag, trigger, byId, problems));
        }
        if (!problems.isEmpty()) {
            throw new DagDefinitionException(problems);
        }
    }

    private static void check(DagSpec dag, CompletionTrigger trigger, Map<String, DagSpec> byId,
            List<String> problems) {
        String where = dag.dagClass().getSimpleName() + ": @TriggeredBy";
        DagSpec source = byId.get(trigger.dagId());
        if (source == null) {
            problems.add(where + "(dag = \"" + trigger.dagId() + "\") names no known DAG; known DAGs are "
                    + byId.keySet().stream().sorted().toList());
            return;
        }
        List<XComPath> paths = new ArrayList<>(trigger.params().values());
        trigger.when().ifPresent(w -> paths.add(0, w.path()));
        for (XComPath path : paths) {
            problem(source, path).ifPresent(p -> problems.add(where + " path '" + path + "': " + p));
        }
    }

    private static Optional<String> problem(DagSpec source, XComPath path) {
        Optional<TaskSpec> task = source.findTask(path.taskId());
        if (task.isEmpty()) {
            return Optional.of("DAG " + source.id() + " has no task " + path.taskId() + "; its tasks are "
                    + source.tasks().stream().map(TaskSpec::id).toList());
        }
        if (!task.get().returnsValue()) {
            return Optional.of("task " + path.taskId() + " of DAG " + source.id() + " returns no value");
        }
        Type type = task.get().returnType();
        for (String field : path.fields()) {
            Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType()
                    : type instanceof Class<?> c ? c : Object.class;
            if (!raw.isRecord()) {
                return Optional.empty();
            }
            Optional<RecordComponent> component = Arrays.stream(raw.getRecordComponents())
                    .filter(c -> c.getName().equals(field)).findFirst();
            if (component.isEmpty()) {
                return Optional.of(raw.getSimpleName() + " has no component " + field + "; its components are "
                        + Arrays.stream(raw.getRecordComponents()).map(RecordComponent::getName).toList());
            }
            type = component.get().getGenericType();
        }
        return Optional.empty();
    }
}
