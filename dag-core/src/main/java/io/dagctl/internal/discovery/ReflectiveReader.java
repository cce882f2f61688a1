package io.dagctl.internal.discovery;

import io.dagctl.Dag;
import io.dagctl.Expand;
import io.dagctl.From;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.internal.discovery.DefinitionModel.Component;
import io.dagctl.internal.discovery.DefinitionModel.Construction;
import io.dagctl.internal.discovery.DefinitionModel.Constructor;
import io.dagctl.internal.discovery.DefinitionModel.Parameter;
import io.dagctl.internal.discovery.DefinitionModel.ParamsRecord;
import io.dagctl.internal.discovery.DefinitionModel.TaskMethod;
import io.dagctl.internal.discovery.DefinitionModel.Timing;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads a {@code @Dag} class into the {@link DefinitionModel} by reflection, without initialising the class. */
final class ReflectiveReader {
    private ReflectiveReader() {
    }

    /** The {@code @Task} methods of the class, in declaration order. */
    static List<Method> taskMethods(Class<?> dagClass) {
        List<Method> methods = Arrays.stream(dagClass.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Task.class) && !m.isSynthetic() && !m.isBridge())
                .toList();
        return DeclarationOrder.sort(dagClass, methods);
    }

    static DefinitionModel<Type> read(Class<?> dagClass, Dag dag, List<Method> taskMethods) {
        List<TaskMethod<Type>> tasks = new ArrayList<>();
        for (Method method : taskMethods) {
            tasks.add(task(method));
        }
        return new DefinitionModel<>(dagClass.getSimpleName(), dag.id(), dag.schedule(), dag.timezone(),
                dag.startDate(), dag.maxActiveRuns(),
                new Timing(dag.retries(), dag.retryDelay(), dag.maxRetryDelay(), dag.executionTimeout()),
                params(dag), tasks, construction(dagClass));
    }

    private static Construction construction(Class<?> dagClass) {
        int modifiers = dagClass.getModifiers();
        List<Constructor> constructors = Arrays.stream(dagClass.getDeclaredConstructors())
                .filter(c -> !c.isSynthetic())
                .map(c -> new Constructor(c.isAnnotationPresent(jakarta.inject.Inject.class)
                        || c.isAnnotationPresent(com.google.inject.Inject.class), c.getParameterCount(),
                        Modifier.isPrivate(c.getModifiers())))
                .toList();
        return new Construction(Modifier.isAbstract(modifiers), dagClass.isMemberClass() && !Modifier.isStatic(modifiers),
                Modifier.isPrivate(modifiers), constructors);
    }

    private static Optional<ParamsRecord<Type>> params(Dag dag) {
        Class<? extends Record> type = dag.params();
        if (type == Dag.NoParams.class) {
            return Optional.empty();
        }
        List<Component<Type>> components = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            components.add(new Component<>(component.getName(), component.getGenericType(),
                    defaultValue(component.getAnnotation(Param.class))));
        }
        return Optional.of(new ParamsRecord<>(type, type.getSimpleName(), components));
    }

    static Optional<String> defaultValue(Param param) {
        return param == null || param.defaultValue().equals(Param.NONE)
                ? Optional.empty() : Optional.of(param.defaultValue());
    }

    private static TaskMethod<Type> task(Method method) {
        Task task = method.getAnnotation(Task.class);
        Type[] types = method.getGenericParameterTypes();
        Annotation[][] annotations = method.getParameterAnnotations();
        List<Parameter<Type>> parameters = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            Optional<String> from = Arrays.stream(annotations[i]).filter(From.class::isInstance)
                    .map(a -> ((From) a).value()).findFirst();
            Optional<String> expand = Arrays.stream(annotations[i]).filter(Expand.class::isInstance)
                    .map(a -> ((Expand) a).value()).findFirst();
            parameters.add(new Parameter<>(types[i], from, expand));
        }
        int modifiers = method.getModifiers();
        return new TaskMethod<>(method.getName(), task.id(), Modifier.isPrivate(modifiers),
                Modifier.isStatic(modifiers), method.getGenericReturnType(), parameters, List.of(task.after()),
                new Timing(task.retries(), task.retryDelay(), task.maxRetryDelay(), task.executionTimeout()),
                task.shortCircuit(), task.branch(), task.pool(), task.poolSlots(), task.triggerRule());
    }
}
