package io.dagctl.internal.discovery;

import io.dagctl.Dag;
import io.dagctl.OnAssetUpdates;
import io.dagctl.OnKafkaRecords;
import io.dagctl.OnNewObjects;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.TriggeredBy;
import io.dagctl.Updates;
import io.dagctl.internal.discovery.DefinitionModel.TaskMethod;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagDefinitionException;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.ParamsSpec;
import io.dagctl.spec.RetryPolicy;
import io.dagctl.spec.TaskKind;
import io.dagctl.spec.TaskSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads DAG classes into {@link DagSpec}s without instantiating them or running their code, and checks every
 * {@link DefinitionRules rule} on the way: the same checks the annotation processor makes at compile time.
 */
public final class DagDiscovery {
    /** The resource the annotation processor writes: one DAG class name per line. */
    public static final String INDEX = "META-INF/dagctl/dags.index";

    private static final ClassValue<DagSpec> CACHE = new ClassValue<>() {
        @Override
        protected DagSpec computeValue(Class<?> dagClass) {
            return read(dagClass);
        }
    };

    private DagDiscovery() {
    }

    /**
     * The spec of a {@code @Dag} class, read once per class.
     *
     * @throws DagDefinitionException listing every problem of the definition
     */
    public static DagSpec load(Class<?> dagClass) {
        return CACHE.get(dagClass);
    }

    /**
     * The DAGs named by every {@value #INDEX} visible to {@code loader}, in index order.
     *
     * @throws DagDefinitionException listing the problems of all of them, and DAG ids used by two classes
     */
    public static List<DagSpec> discover(ClassLoader loader) {
        Discovered discovered = discover(List.of(Bundle.of(loader)));
        if (!discovered.errors().isEmpty()) {
            throw new DagDefinitionException(discovered.errors().stream().map(ImportError::message).toList());
        }
        return discovered.dags();
    }

    /**
     * The DAGs of several bundles, each loaded by its own class loader. A class that cannot be loaded or initialized,
     * breaks a rule, or shares its DAG id with another class becomes an {@link ImportError}; the others load as if
     * it were not there (Airflow's import errors). A DAG id used twice is an error of both classes, so that neither
     * runs in place of the other.
     */
    public static Discovered discover(List<Bundle> bundles) {
        return discover(bundles, dagId -> true);
    }

    /**
     * The DAG with this id, and its import errors, as {@link #discover(List)} finds them, without initializing or
     * reading the classes of other DAGs: each indexed class is loaded to read its {@code @Dag} id, and one that
     * declares another id is left alone (a class that cannot be loaded, or is not annotated, is an import error all
     * the same). Empty when no indexed class declares this id.
     */
    public static Optional<Discovered> discoverOne(List<Bundle> bundles, String dagId) {
        Discovered discovered = discover(bundles, dagId::equals);
        // Only the class declaring this id was read, so a DAG or an error that names a DAG is that class's.
        boolean declared = !discovered.dags().isEmpty()
                || discovered.errors().stream().anyMatch(error -> error.dagId().isPresent());
        return declared ? Optional.of(discovered) : Optional.empty();
    }

    /** The indexed classes whose {@code @Dag} id {@code wanted} accepts, and those that cannot be loaded. */
    private static Discovered discover(List<Bundle> bundles, Predicate<String> wanted) {
        List<ImportError> errors = new ArrayList<>();
        Map<String, List<DagSpec>> byId = new LinkedHashMap<>();
        for (Bundle bundle : bundles) {
            for (String className : indexedClassNames(bundle.indexes())) {
                Class<?> dagClass;
                try {
                    dagClass = Class.forName(className, false, bundle.loader());
                } catch (ClassNotFoundException | LinkageError e) {
                    errors.add(cannotBeLoaded(className, e));
                    continue;
                }
                Optional<String> declaredId = Optional.ofNullable(dagClass.getAnnotation(Dag.class)).map(Dag::id);
                if (declaredId.isPresent() && !wanted.test(declaredId.get())) {
                    continue;
                }
                try {
                    // Initialized here, as Airflow imports a DAG file, so a failing static initializer is reported now.
                    Class.forName(className, true, bundle.loader());
                } catch (ExceptionInInitializerError e) {
                    errors.add(new ImportError(className, declaredId, className
                            + ": its static initializer failed (" + e.getCause() + "); fix it and rebuild"));
                    continue;
                } catch (ClassNotFoundException | LinkageError e) {
                    errors.add(cannotBeLoaded(className, e));
                    continue;
                }
                try {
                    DagSpec spec = load(dagClass);
                    byId.computeIfAbsent(spec.id(), id -> new ArrayList<>()).add(spec);
                } catch (DagDefinitionException e) {
                    errors.add(new ImportError(className, declaredId, e.getMessage()));
                }
            }
        }
        List<DagSpec> dags = new ArrayList<>();
        byId.forEach((id, specs) -> {
            if (specs.size() == 1) {
                dags.add(specs.get(0));
                return;
            }
            for (DagSpec other : specs.subList(1, specs.size())) {
                Class<?> first = specs.get(0).dagClass();
                errors.add(new ImportError(other.dagClass().getName(), Optional.of(id), other.dagClass().getSimpleName()
                        + ": DAG id '" + id + "' is also the id of " + first.getName() + " (this class is "
                        + other.dagClass().getName() + "); give one of them another @Dag(id)"));
            }
        });
        return new Discovered(List.copyOf(dags), List.copyOf(errors));
    }

    private static ImportError cannotBeLoaded(String className, Throwable failure) {
        return new ImportError(className, Optional.empty(), className + ": listed in " + INDEX
                + " but cannot be loaded (" + failure + "); rebuild the project that declares it");
    }

    /** DAG classes to load: the {@value #INDEX} files that name them and the class loader that loads them. */
    public record Bundle(ClassLoader loader, List<URL> indexes) {
        public Bundle {
            indexes = List.copyOf(indexes);
        }

        /** Every index {@code loader} and its parents see. */
        public static Bundle of(ClassLoader loader) {
            try {
                return new Bundle(loader, Collections.list(loader.getResources(INDEX)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + INDEX + " from the class path", e);
            }
        }
    }

    /** What loaded, and what did not. */
    public record Discovered(List<DagSpec> dags, List<ImportError> errors) {
    }

    /**
     * A DAG class, or a place that should hold some, that did not load.
     *
     * @param source the class name, or the DAGs path entry
     * @param dagId the DAG id, when the class could be read far enough to know it
     * @param message what is wrong and how to fix it
     */
    public record ImportError(String source, Optional<String> dagId, String message) {
    }

    private static Set<String> indexedClassNames(List<URL> indexes) {
        Set<String> names = new LinkedHashSet<>();
        for (URL index : indexes) {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(index.openStream(), StandardCharsets.UTF_8))) {
                in.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .forEach(names::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + index, e);
            }
        }
        return names;
    }

    private static DagSpec read(Class<?> dagClass) {
        Dag dag = dagClass.getAnnotation(Dag.class);
        if (dag == null) {
            throw new DagDefinitionException(List.of(dagClass.getSimpleName() + ": class is not annotated @Dag; "
                    + "annotate it with @Dag(id = \"" + Names.snakeCase(dagClass.getSimpleName()) + "\")"));
        }
        List<Method> methods = ReflectiveReader.taskMethods(dagClass);
        DefinitionModel<Type> model = ReflectiveReader.read(dagClass, dag, methods);
        DefinitionRules.Result<Type> result = DefinitionRules.check(model, new ReflectiveTypes());
        ScheduleRules.Model scheduling = schedulingModel(dagClass, dag, model, methods);
        List<String> problems = new ArrayList<>(result.messages());
        ScheduleRules.check(scheduling).forEach(p -> problems.add(p.message()));
        if (!problems.isEmpty()) {
            throw new DagDefinitionException(problems);
        }
        RetryPolicy defaultRetry = new RetryPolicy(dag.retries(), duration(dag.retryDelay(), "PT5M"),
                dag.retryExponentialBackoff(), duration(dag.maxRetryDelay(), "PT24H"));
        List<TaskSpec> tasks = new ArrayList<>();
        for (int index : result.order()) {
            tasks.add(taskSpec(dag, methods.get(index), model.tasks().get(index), result.arguments().get(index),
                    result.upstream().get(index), defaultRetry));
        }
        return new DagSpec(dag.id(), dagClass, dag.description(), dag.schedule().strip(), ZoneId.of(dag.timezone()),
                dag.startDate().isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(dag.startDate())),
                dag.catchup(), List.of(dag.tags()), paramsSpec(dag), dag.maxActiveRuns(), defaultRetry,
                optionalDuration(dag.executionTimeout()), List.of(dag.onFailure()), List.of(dag.onSuccess()), tasks,
                dag.endDate().isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(dag.endDate())),
                ScheduleRules.triggers(scheduling), dag.maxActiveTasks());
    }

    private static ScheduleRules.Model schedulingModel(Class<?> dagClass, Dag dag, DefinitionModel<Type> model,
            List<Method> methods) {
        return new ScheduleRules.Model(dagClass.getSimpleName(), dag.schedule(), dag.startDate(), dag.endDate(),
                Optional.ofNullable(dagClass.getAnnotation(TriggeredBy.class)),
                Optional.ofNullable(dagClass.getAnnotation(OnAssetUpdates.class)),
                Optional.ofNullable(dagClass.getAnnotation(OnNewObjects.class)),
                Optional.ofNullable(dagClass.getAnnotation(OnKafkaRecords.class)),
                model.params().map(p -> p.components().stream().map(DefinitionModel.Component::name).toList())
                        .orElse(List.of()),
                methods.stream().map(Method::getName).toList(),
                model.tasks().stream().map(TaskMethod::id).toList(),
                methods.stream().map(m -> Optional.ofNullable(m.getAnnotation(Updates.class))).toList());
    }

    private static TaskSpec taskSpec(Dag dag, Method method, TaskMethod<Type> model, List<Binding<Type>> bindings,
            Set<String> upstream, RetryPolicy dagRetry) {
        Task task = method.getAnnotation(Task.class);
        List<ArgumentSpec> arguments = new ArrayList<>();
        for (Binding<Type> binding : bindings) {
            if (binding instanceof Binding.Upstream<Type> value) {
                arguments.add(new ArgumentSpec.Upstream(value.taskId(), value.type()));
            } else if (binding instanceof Binding.Expanded<Type> expanded) {
                arguments.add(new ArgumentSpec.Expanded(expanded.taskId(), expanded.elementType()));
            } else if (binding instanceof Binding.Params<Type>) {
                arguments.add(new ArgumentSpec.Params(dag.params()));
            } else {
                arguments.add(new ArgumentSpec.Context());
            }
        }
        RetryPolicy retry = new RetryPolicy(
                task.retries() == -1 ? dagRetry.retries() : task.retries(),
                task.retryDelay().isEmpty() ? dagRetry.delay() : Duration.parse(task.retryDelay()),
                task.retryExponentialBackoff() || dagRetry.exponentialBackoff(),
                task.maxRetryDelay().isEmpty() ? dagRetry.maxDelay() : Duration.parse(task.maxRetryDelay()));
        Optional<Duration> timeout = task.executionTimeout().isEmpty()
                ? optionalDuration(dag.executionTimeout()) : Optional.of(Duration.parse(task.executionTimeout()));
        TaskKind kind = task.shortCircuit() ? TaskKind.SHORT_CIRCUIT : task.branch() ? TaskKind.BRANCH : TaskKind.PLAIN;
        method.setAccessible(true);
        return new TaskSpec(model.id(), method, method.getGenericReturnType(), arguments, upstream,
                task.triggerRule(), kind, retry, timeout, List.of(task.onFailure()), List.of(task.onSuccess()),
                task.pool(), task.poolSlots());
    }

    private static ParamsSpec paramsSpec(Dag dag) {
        List<ParamsSpec.ParamSpec> params = new ArrayList<>();
        for (RecordComponent component : dag.params().getRecordComponents()) {
            Param param = component.getAnnotation(Param.class);
            params.add(new ParamsSpec.ParamSpec(component.getName(), component.getType(),
                    ReflectiveReader.defaultValue(param), param == null ? "" : param.description()));
        }
        return new ParamsSpec(dag.id(), dag.params(), params);
    }

    private static Duration duration(String text, String fallback) {
        return Duration.parse(text.isEmpty() ? fallback : text);
    }

    private static Optional<Duration> optionalDuration(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(Duration.parse(text));
    }
}
