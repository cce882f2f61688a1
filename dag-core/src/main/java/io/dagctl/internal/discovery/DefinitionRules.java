package io.dagctl.internal.discovery;

import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.CronType;
import com.cronutils.parser.CronParser;
import io.dagctl.TriggerRule;
import io.dagctl.ops.Ids;
import io.dagctl.internal.discovery.DefinitionModel.Component;
import io.dagctl.internal.discovery.DefinitionModel.Construction;
import io.dagctl.internal.discovery.DefinitionModel.Constructor;
import io.dagctl.internal.discovery.DefinitionModel.Parameter;
import io.dagctl.internal.discovery.DefinitionModel.ParamsRecord;
import io.dagctl.internal.discovery.DefinitionModel.TaskMethod;
import io.dagctl.internal.discovery.DefinitionModel.Timing;
import io.dagctl.internal.discovery.Problem.Location;
import io.dagctl.internal.discovery.Problem.OnClass;
import io.dagctl.internal.discovery.Problem.OnParameter;
import io.dagctl.internal.discovery.Problem.OnParamsComponent;
import io.dagctl.internal.discovery.Problem.OnTask;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * Every rule a DAG definition must follow, with the message for each broken rule, in one place: the reflective loader
 * and the annotation processor both run them on their {@link DefinitionModel}, so a class gets the same errors from
 * javac as from {@code dagctl} loading it without the processor.
 */
public final class DefinitionRules<T> {
    /** Schedule presets and the cron expressions they stand for (Airflow's). */
    public static final Map<String, String> PRESETS = presets();
    private static final Map<String, String> BOXED = Map.of("boolean", "Boolean", "byte", "Byte", "char",
            "Character", "short", "Short", "int", "Integer", "long", "Long", "float", "Float", "double", "Double");

    private static final CronParser CRON_PARSER =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final DefinitionModel<T> dag;
    private final TypeSystem<T> types;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Integer> taskIndexById = new LinkedHashMap<>();

    /** The problems found, and for a clean definition the resolved bindings, edges and a topological order. */
    public record Result<T>(
            List<Problem> problems, List<List<Binding<T>>> arguments, List<Set<String>> upstream, List<Integer> order) {

        public boolean isClean() {
            return problems.isEmpty();
        }

        /** One problem per line, as {@code DagDefinitionException} and the processor print them. */
        public List<String> messages() {
            return problems.stream().map(Problem::message).toList();
        }
    }

    private DefinitionRules(DefinitionModel<T> dag, TypeSystem<T> types) {
        this.dag = dag;
        this.types = types;
    }

    public static <T> Result<T> check(DefinitionModel<T> dag, TypeSystem<T> types) {
        return new DefinitionRules<>(dag, types).check();
    }

    /** The cron expression a schedule stands for: the preset's expansion or the schedule itself. */
    public static String cronExpression(String schedule) {
        return PRESETS.getOrDefault(schedule.strip(), schedule.strip());
    }

    /** For a {@code @Task} method whose class is not a {@code @Dag}; only the processor can see those. */
    public static String taskOutsideDag(String className, String methodName) {
        return className + "." + methodName + ": @Task method in a class without @Dag; annotate " + className
                + " with @Dag(id = \"" + Names.snakeCase(className) + "\") or remove @Task";
    }

    private Result<T> check() {
        checkDag();
        List<TaskMethod<T>> tasks = dag.tasks();
        for (int i = 0; i < tasks.size(); i++) {
            taskIndexById.putIfAbsent(tasks.get(i).id(), i);
        }
        List<List<Binding<T>>> arguments = new ArrayList<>();
        List<Set<String>> upstream = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            checkTask(i);
            Set<String> edges = new LinkedHashSet<>();
            arguments.add(bindParameters(i, edges));
            checkAfter(i, edges);
            upstream.add(Collections.unmodifiableSet(edges));
        }
        List<Integer> order = List.of();
        Optional<List<Integer>> cycle = findCycle(upstream);
        if (cycle.isPresent()) {
            List<Integer> path = cycle.get();
            StringBuilder names = new StringBuilder();
            for (int index : path) {
                names.append(tasks.get(index).id()).append(" -> ");
            }
            names.append(tasks.get(path.get(0)).id());
            add(new OnTask(path.get(0)), "tasks form a cycle " + names + "; remove one of these dependencies");
        } else {
            order = topologicalOrder(upstream);
        }
        return new Result<>(List.copyOf(problems), List.copyOf(arguments), List.copyOf(upstream), order);
    }

    private void checkDag() {
        OnClass onClass = new OnClass();
        if (!Names.isLowerSnakeCase(dag.id())) {
            add(onClass, "DAG id '" + dag.id() + "' is not lower snake case; use lower-case letters, digits and "
                    + "underscores, e.g. @Dag(id = \"" + Names.suggestedId("dag", dag.id()) + "\")");
        }
        checkSchedule(dag.schedule());
        try {
            ZoneId.of(dag.timezone());
        } catch (DateTimeException e) {
            add(onClass, "timezone '" + dag.timezone() + "' is not a time zone id; use a region such as "
                    + "\"Europe/Berlin\" or \"UTC\"");
        }
        if (!dag.startDate().isEmpty()) {
            try {
                LocalDate.parse(dag.startDate());
            } catch (DateTimeParseException e) {
                add(onClass, "startDate '" + dag.startDate() + "' is not an ISO date; write yyyy-MM-dd, e.g. "
                        + "\"2011-01-01\"");
            }
        }
        if (dag.maxActiveRuns() < 1) {
            add(onClass, "maxActiveRuns is " + dag.maxActiveRuns() + "; allow at least 1 active run");
        }
        Timing timing = dag.timing();
        if (timing.retries() < 0) {
            add(onClass, "retries is " + timing.retries() + "; use 0 or more");
        }
        checkDurations(onClass, timing);
        dag.params().ifPresent(this::checkParams);
        if (dag.tasks().isEmpty()) {
            add(onClass, "DAG has no tasks; annotate at least one method with @Task");
        }
        checkConstruction(onClass, dag.construction());
    }

    /** Guice's rules for a class it constructs, so that a DAG it cannot make fails here and not in every try. */
    private void checkConstruction(OnClass onClass, Construction construction) {
        if (construction.isAbstract()) {
            add(onClass, "class is abstract, so dagctl cannot construct it; make it a concrete class");
            return;
        }
        if (construction.isInnerClass()) {
            add(onClass, "class is an inner class, so dagctl cannot construct it; make it static");
            return;
        }
        List<Constructor> injected = construction.constructors().stream().filter(Constructor::injected).toList();
        if (injected.size() > 1) {
            add(onClass, injected.size() + " constructors are annotated @Inject; annotate only the one dagctl "
                    + "should call");
        } else if (injected.isEmpty()) {
            Optional<Constructor> noArguments = construction.constructors().stream()
                    .filter(c -> c.parameterCount() == 0).findFirst();
            if (noArguments.isEmpty()) {
                add(onClass, "class has neither an @Inject constructor nor one without parameters, so dagctl cannot "
                        + "construct it; annotate the constructor dagctl should call with @Inject");
            } else if (noArguments.get().isPrivate() && !construction.isPrivate()) {
                add(onClass, "its constructor without parameters is private, so dagctl cannot construct it; make it "
                        + "package-private or public, or annotate a constructor with @Inject");
            }
        }
    }

    private void checkSchedule(String schedule) {
        if (schedule.isBlank() || PRESETS.containsKey(schedule.strip())) {
            return;
        }
        if (schedule.strip().startsWith("@")) {
            // A preset, mistyped: the cron library's message would only say that '@' is not a field.
            add(new OnClass(), "schedule '" + schedule + "' is not a preset"
                    + Names.closest(schedule.strip(), PRESETS.keySet()).map(p -> " (did you mean '" + p + "'?)")
                            .orElse("") + "; the presets are " + String.join(", ", PRESETS.keySet()));
            return;
        }
        try {
            CRON_PARSER.parse(schedule.strip()).validate();
        } catch (IllegalArgumentException e) {
            add(new OnClass(), "schedule '" + schedule + "' is not a cron expression (" + e.getMessage()
                    + "); use five fields (minute hour day-of-month month day-of-week), one of "
                    + String.join(", ", PRESETS.keySet()) + ", or \"\" for manual runs only");
        }
    }

    private void checkDurations(Location location, Timing timing) {
        checkDuration(location, "retryDelay", timing.retryDelay());
        checkDuration(location, "maxRetryDelay", timing.maxRetryDelay());
        checkDuration(location, "executionTimeout", timing.executionTimeout());
    }

    private void checkDuration(Location location, String attribute, String text) {
        if (text.isEmpty()) {
            return;
        }
        try {
            if (Duration.parse(text).isNegative()) {
                add(location, attribute + " '" + text + "' is negative; use a positive duration");
            }
        } catch (DateTimeParseException e) {
            add(location, attribute + " '" + text + "' is not an ISO-8601 duration; write e.g. \"PT30S\", \"PT5M\" "
                    + "or \"PT1H\"");
        }
    }

    private void checkParams(ParamsRecord<T> params) {
        List<Component<T>> components = params.components();
        for (int i = 0; i < components.size(); i++) {
            Component<T> component = components.get(i);
            String name = "params " + params.simpleName() + "." + component.name();
            Optional<ParamType> type = types.paramType(component.type());
            if (type.isEmpty()) {
                add(new OnParamsComponent(i), name + " has unsupported type " + types.display(component.type())
                        + "; use " + ParamType.SUPPORTED);
                continue;
            }
            if (component.defaultValue().isPresent()) {
                try {
                    List<String> constants = type.get() == ParamType.ENUM
                            ? types.enumConstants(component.type()) : List.of();
                    type.get().parse(component.defaultValue().get(), enumConstant(constants, constant -> constant));
                } catch (IllegalArgumentException e) {
                    add(new OnParamsComponent(i), name + " default " + e.getMessage() + "; fix @Param(defaultValue)");
                }
            }
        }
    }

    /** Looks a name up among an enum's constants, or says which names there are. */
    public static Function<String, Object> enumConstant(List<String> names, Function<String, Object> valueOf) {
        return name -> {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is not one of " + String.join(", ", names));
            }
            return valueOf.apply(name);
        };
    }

    private void checkTask(int index) {
        TaskMethod<T> task = dag.tasks().get(index);
        OnTask onTask = new OnTask(index);
        if (task.isPrivate()) {
            add(onTask, "@Task method is private; make it package-private or public");
        }
        if (task.isStatic()) {
            add(onTask, "@Task method is static; make it an instance method");
        }
        if (!task.explicitId().isEmpty() && !Names.isLowerSnakeCase(task.explicitId())) {
            add(onTask, "task id '" + task.explicitId() + "' is not lower snake case; use lower-case letters, "
                    + "digits and underscores, e.g. @Task(id = \"" + Names.suggestedId("task", task.explicitId()) + "\")");
        }
        if (task.poolSlots() < 1) {
            add(onTask, "poolSlots is " + task.poolSlots() + "; a try takes at least 1 pool slot");
        }
        int first = taskIndexById.get(task.id());
        if (first != index) {
            add(onTask, "task id '" + task.id() + "' is already used by " + dag.className() + "."
                    + dag.tasks().get(first).methodName() + "; give one of them another @Task(id)");
        }
        String returns = types.display(task.returnType());
        if (task.shortCircuit() && task.branch()) {
            add(onTask, "a task is either shortCircuit or branch, not both; keep one");
        } else if (task.shortCircuit() && !types.isBoolean(task.returnType())) {
            add(onTask, "shortCircuit task returns " + returns + "; return boolean (false skips everything "
                    + "downstream)");
        } else if (task.branch() && !types.isTaskIdOrIds(task.returnType())) {
            add(onTask, "branch task returns " + returns + "; return the String id or a Collection<String> of ids "
                    + "of the downstream tasks to follow");
        }
        if (!Ids.isPoolName(task.pool())) {
            add(onTask, "pool " + Ids.shown(task.pool()) + " is not valid: " + Ids.POOL_NAME_RULE);
        }
        if (task.timing().retries() < -1) {
            add(onTask, "retries is " + task.timing().retries() + "; use 0 or more, or -1 to take the DAG's");
        }
        checkDurations(onTask, task.timing());
    }

    private List<Binding<T>> bindParameters(int taskIndex, Set<String> edges) {
        TaskMethod<T> task = dag.tasks().get(taskIndex);
        List<Binding<T>> bindings = new ArrayList<>();
        for (int j = 0; j < task.parameters().size(); j++) {
            Parameter<T> parameter = task.parameters().get(j);
            OnParameter location = new OnParameter(taskIndex, j);
            String label = "parameter " + (j + 1) + " (" + types.display(parameter.type()) + ")";
            Optional<Binding<T>> binding = Optional.empty();
            if (types.hasTypeVariable(parameter.type())) {
                add(location, label + " has a type variable, which no task value can be read as; declare a "
                        + "concrete type");
            } else if (parameter.expand().isPresent()) {
                binding = bindExpand(location, label, parameter, bindings);
            } else if (parameter.from().isPresent()) {
                binding = bindFrom(location, label, parameter);
            } else if (types.isTaskContext(parameter.type())) {
                binding = Optional.of(new Binding.Context<>());
            } else if (dag.params().isPresent() && types.isSame(parameter.type(), dag.params().get().type())) {
                binding = Optional.of(new Binding.Params<>());
            } else {
                binding = bindByType(taskIndex, location, label, parameter);
            }
            binding.ifPresent(b -> {
                if (b instanceof Binding.Upstream<T> upstream) {
                    checkNullable(task, location, label, parameter, upstream.taskId());
                    edges.add(upstream.taskId());
                } else if (b instanceof Binding.Expanded<T> expanded) {
                    edges.add(expanded.taskId());
                }
                bindings.add(b);
            });
        }
        return bindings;
    }

    /**
     * Under any trigger rule but all_success a task may run although {@code upstreamId} did not succeed, and then
     * receives {@code null} for its value, which a primitive cannot hold.
     */
    private void checkNullable(TaskMethod<T> task, Location location, String label, Parameter<T> parameter,
            String upstreamId) {
        if (task.triggerRule() != TriggerRule.ALL_SUCCESS && types.isPrimitive(parameter.type())) {
            add(location, label + " takes the value of task '" + upstreamId + "' under trigger rule "
                    + task.triggerRule().name() + ", which runs this task with null when '" + upstreamId
                    + "' did not succeed; declare the parameter as " + BOXED.get(types.display(parameter.type())));
        }
    }

    private Optional<Binding<T>> bindFrom(Location location, String label, Parameter<T> parameter) {
        String upstreamId = parameter.from().orElseThrow();
        Integer upstreamIndex = taskIndexById.get(upstreamId);
        if (upstreamIndex == null) {
            add(location, "@From(\"" + upstreamId + "\") names no task of DAG " + dag.id() + unknownIdHint(upstreamId));
            return Optional.empty();
        }
        T returned = dag.tasks().get(upstreamIndex).returnType();
        if (types.isVoid(returned)) {
            add(location, label + " is bound to task '" + upstreamId + "', which returns nothing; return a value "
                    + "from it, or use @Task(after = \"" + upstreamId + "\") to only run after it");
            return Optional.empty();
        }
        if (isMapped(upstreamIndex)) {
            Optional<T> element = types.collectionElement(parameter.type());
            if (element.isEmpty() || !types.isAssignable(returned, element.get())) {
                add(location, label + " cannot take the values of mapped task '" + upstreamId + "', which returns "
                        + types.display(returned) + " per instance; declare the parameter as a List of "
                        + types.display(returned));
                return Optional.empty();
            }
            return Optional.of(new Binding.Upstream<>(upstreamId, parameter.type()));
        }
        if (!types.isAssignable(returned, parameter.type())) {
            add(location, label + " cannot take the value of task '" + upstreamId + "', which returns "
                    + types.display(returned) + "; declare the parameter as " + types.display(returned)
                    + " or bind it to another task");
            return Optional.empty();
        }
        return Optional.of(new Binding.Upstream<>(upstreamId, parameter.type()));
    }

    private boolean isMapped(int taskIndex) {
        return dag.tasks().get(taskIndex).parameters().stream().anyMatch(p -> p.expand().isPresent());
    }

    private Optional<Binding<T>> bindExpand(Location location, String label, Parameter<T> parameter,
            List<Binding<T>> earlier) {
        String upstreamId = parameter.expand().orElseThrow();
        if (parameter.from().isPresent()) {
            add(location, label + " has both @From and @Expand; keep @Expand(\"" + upstreamId + "\") to map the task"
                    + " over the list, or @From to take the list whole");
            return Optional.empty();
        }
        if (earlier.stream().anyMatch(b -> b instanceof Binding.Expanded<T>)) {
            add(location, label + " is a second @Expand parameter; a task is mapped over one list");
            return Optional.empty();
        }
        Integer upstreamIndex = taskIndexById.get(upstreamId);
        if (upstreamIndex == null) {
            add(location, "@Expand(\"" + upstreamId + "\") names no task of DAG " + dag.id()
                    + unknownIdHint(upstreamId));
            return Optional.empty();
        }
        T returned = dag.tasks().get(upstreamIndex).returnType();
        Optional<T> element = isMapped(upstreamIndex) ? Optional.of(returned) : types.collectionElement(returned);
        if (element.isEmpty()) {
            add(location, label + " is expanded over task '" + upstreamId + "', which returns "
                    + types.display(returned) + "; return a List of " + types.display(parameter.type())
                    + " from it");
            return Optional.empty();
        }
        if (!types.isAssignable(element.get(), parameter.type())) {
            add(location, label + " cannot take the elements of task '" + upstreamId + "', which returns "
                    + types.display(returned) + "; declare the parameter as " + types.display(element.get()));
            return Optional.empty();
        }
        return Optional.of(new Binding.Expanded<>(upstreamId, parameter.type()));
    }

    private Optional<Binding<T>> bindByType(int taskIndex, Location location, String label, Parameter<T> parameter) {
        List<String> candidates = new ArrayList<>();
        List<TaskMethod<T>> tasks = dag.tasks();
        for (int i = 0; i < tasks.size(); i++) {
            TaskMethod<T> other = tasks.get(i);
            // a task never takes its own value; the first method of a duplicated id stands for it
            if (i != taskIndex && taskIndexById.get(other.id()) == i && !types.isVoid(other.returnType())
                    && !isMapped(i)
                    && types.isSame(other.returnType(), parameter.type())) {
                candidates.add(other.id());
            }
        }
        if (candidates.isEmpty()) {
            add(location, label + " is returned by no other task of DAG " + dag.id() + "; take it from a task with "
                    + "@From(\"task_id\"), or declare TaskContext or the DAG's params record");
            return Optional.empty();
        }
        if (candidates.size() > 1) {
            add(location, label + " is returned by tasks " + Names.quotedList(candidates) + "; choose one with "
                    + "@From(\"" + candidates.get(0) + "\")");
            return Optional.empty();
        }
        return Optional.of(new Binding.Upstream<>(candidates.get(0), parameter.type()));
    }

    private void checkAfter(int taskIndex, Set<String> edges) {
        for (String upstreamId : dag.tasks().get(taskIndex).after()) {
            if (taskIndexById.containsKey(upstreamId)) {
                edges.add(upstreamId);
            } else {
                add(new OnTask(taskIndex), "after \"" + upstreamId + "\" names no task of DAG " + dag.id()
                        + unknownIdHint(upstreamId));
            }
        }
    }

    private String unknownIdHint(String unknownId) {
        Set<String> ids = taskIndexById.keySet();
        return Names.closest(unknownId, ids)
                .map(id -> "; did you mean '" + id + "'?")
                .orElseGet(() -> "; its tasks are " + Names.quotedList(List.copyOf(ids)));
    }

    /** The first cycle met walking downstream from each task in declaration order, from its earliest task. */
    private Optional<List<Integer>> findCycle(List<Set<String>> upstream) {
        List<List<Integer>> downstream = downstreamIndexes(upstream);
        int[] state = new int[downstream.size()];
        for (int start = 0; start < downstream.size(); start++) {
            if (state[start] == 0) {
                List<Integer> path = new ArrayList<>();
                Optional<List<Integer>> cycle = walk(start, downstream, state, path);
                if (cycle.isPresent()) {
                    List<Integer> found = cycle.get();
                    int earliest = found.indexOf(Collections.min(found));
                    List<Integer> rotated = new ArrayList<>(found.subList(earliest, found.size()));
                    rotated.addAll(found.subList(0, earliest));
                    return Optional.of(rotated);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<List<Integer>> walk(int node, List<List<Integer>> downstream, int[] state,
            List<Integer> path) {
        final int onPath = 1;
        final int done = 2;
        state[node] = onPath;
        path.add(node);
        for (int next : downstream.get(node)) {
            if (state[next] == onPath) {
                return Optional.of(List.copyOf(path.subList(path.indexOf(next), path.size())));
            }
            if (state[next] == 0) {
                Optional<List<Integer>> cycle = walk(next, downstream, state, path);
                if (cycle.isPresent()) {
                    return cycle;
                }
            }
        }
        path.remove(path.size() - 1);
        state[node] = done;
        return Optional.empty();
    }

    private List<List<Integer>> downstreamIndexes(List<Set<String>> upstream) {
        List<List<Integer>> downstream = new ArrayList<>();
        for (int i = 0; i < upstream.size(); i++) {
            downstream.add(new ArrayList<>());
        }
        for (int i = 0; i < upstream.size(); i++) {
            for (String id : upstream.get(i)) {
                downstream.get(taskIndexById.get(id)).add(i);
            }
        }
        downstream.forEach(Collections::sort);
        return downstream;
    }

    /** Kahn's algorithm taking the earliest declared ready task each time. */
    private List<Integer> topologicalOrder(List<Set<String>> upstream) {
        List<List<Integer>> downstream = downstreamIndexes(upstream);
        Map<Integer, Integer> waitingFor = new HashMap<>();
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < upstream.size(); i++) {
            waitingFor.put(i, upstream.get(i).size());
            if (upstream.get(i).isEmpty()) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int next = ready.poll();
            order.add(next);
            for (int child : downstream.get(next)) {
                if (waitingFor.merge(child, -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        return List.copyOf(order);
    }

    private void add(Location location, String problem) {
        String where = dag.className();
        if (location instanceof OnTask onTask) {
            where += "." + dag.tasks().get(onTask.task()).methodName();
        } else if (location instanceof OnParameter onParameter) {
            where += "." + dag.tasks().get(onParameter.task()).methodName();
        }
        problems.add(new Problem(location, where + ": " + problem));
    }

    private static Map<String, String> presets() {
        Map<String, String> presets = new LinkedHashMap<>();
        presets.put("@hourly", "0 * * * *");
        presets.put("@daily", "0 0 * * *");
        presets.put("@weekly", "0 0 * * 0");
        presets.put("@monthly", "0 0 1 * *");
        presets.put("@yearly", "0 0 1 1 *");
        return Collections.unmodifiableMap(presets);
    }
}
