package io.dagctl.internal.processor;

import io.dagctl.Dag;
import io.dagctl.Expand;
import io.dagctl.From;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.internal.discovery.DefinitionModel;
import io.dagctl.internal.discovery.DefinitionModel.Component;
import io.dagctl.internal.discovery.DefinitionModel.Construction;
import io.dagctl.internal.discovery.DefinitionModel.Constructor;
import io.dagctl.internal.discovery.DefinitionModel.Parameter;
import io.dagctl.internal.discovery.DefinitionModel.ParamsRecord;
import io.dagctl.internal.discovery.DefinitionModel.TaskMethod;
import io.dagctl.internal.discovery.DefinitionModel.Timing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/** Reads a {@code @Dag} type element into the {@link DefinitionModel}, as the reflective reader reads the class. */
final class ElementReader {
    private ElementReader() {
    }

    /** The {@code @Task} methods in source order, which the index of model tasks refers to. */
    static List<ExecutableElement> taskMethods(TypeElement dagType) {
        return ElementFilter.methodsIn(dagType.getEnclosedElements()).stream()
                .filter(m -> m.getAnnotation(Task.class) != null).toList();
    }

    /** The components of the DAG's params record, if it declares one; the index of model components refers to them. */
    static Optional<TypeElement> paramsRecord(TypeElement dagType) {
        for (AnnotationMirror annotation : dagType.getAnnotationMirrors()) {
            if (!((TypeElement) annotation.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(Dag.class.getCanonicalName())) {
                continue;
            }
            for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                    : annotation.getElementValues().entrySet()) {
                if (entry.getKey().getSimpleName().contentEquals("params")
                        && entry.getValue().getValue() instanceof TypeMirror type
                        && type.getKind() == TypeKind.DECLARED) {
                    TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
                    return element.getQualifiedName().contentEquals(Dag.NoParams.class.getCanonicalName())
                            ? Optional.empty() : Optional.of(element);
                }
            }
        }
        return Optional.empty();
    }

    static DefinitionModel<TypeMirror> read(TypeElement dagType) {
        Dag dag = dagType.getAnnotation(Dag.class);
        List<TaskMethod<TypeMirror>> tasks = new ArrayList<>();
        for (ExecutableElement method : taskMethods(dagType)) {
            tasks.add(task(method));
        }
        return new DefinitionModel<>(dagType.getSimpleName().toString(), dag.id(), dag.schedule(), dag.timezone(),
                dag.startDate(), dag.maxActiveRuns(),
                new Timing(dag.retries(), dag.retryDelay(), dag.maxRetryDelay(), dag.executionTimeout()),
                paramsRecord(dagType).map(ElementReader::params), tasks, construction(dagType));
    }

    private static Construction construction(TypeElement dagType) {
        Set<Modifier> modifiers = dagType.getModifiers();
        List<Constructor> constructors = ElementFilter.constructorsIn(dagType.getEnclosedElements()).stream()
                .map(c -> new Constructor(c.getAnnotationMirrors().stream().anyMatch(ElementReader::isInject),
                        c.getParameters().size(), c.getModifiers().contains(Modifier.PRIVATE)))
                .toList();
        return new Construction(modifiers.contains(Modifier.ABSTRACT),
                dagType.getNestingKind() == NestingKind.MEMBER && !modifiers.contains(Modifier.STATIC),
                modifiers.contains(Modifier.PRIVATE), constructors);
    }

    private static boolean isInject(AnnotationMirror annotation) {
        String name = ((TypeElement) annotation.getAnnotationType().asElement()).getQualifiedName().toString();
        return name.equals("jakarta.inject.Inject") || name.equals("com.google.inject.Inject");
    }

    private static ParamsRecord<TypeMirror> params(TypeElement record) {
        List<Component<TypeMirror>> components = new ArrayList<>();
        for (RecordComponentElement component : record.getRecordComponents()) {
            Param param = component.getAnnotation(Param.class);
            Optional<String> defaultValue = param == null || param.defaultValue().equals(Param.NONE)
                    ? Optional.empty() : Optional.of(param.defaultValue());
            components.add(new Component<>(component.getSimpleName().toString(), component.asType(), defaultValue));
        }
        return new ParamsRecord<>(record.asType(), record.getSimpleName().toString(), components);
    }

    private static TaskMethod<TypeMirror> task(ExecutableElement method) {
        Task task = method.getAnnotation(Task.class);
        List<Parameter<TypeMirror>> parameters = new ArrayList<>();
        for (VariableElement parameter : method.getParameters()) {
            From from = parameter.getAnnotation(From.class);
            Expand expand = parameter.getAnnotation(Expand.class);
            parameters.add(new Parameter<>(parameter.asType(), Optional.ofNullable(from).map(From::value),
                    Optional.ofNullable(expand).map(Expand::value)));
        }
        return new TaskMethod<>(method.getSimpleName().toString(), task.id(),
                method.getModifiers().contains(Modifier.PRIVATE), method.getModifiers().contains(Modifier.STATIC),
                method.getReturnType(), parameters, List.of(task.after()),
                new Timing(task.retries(), task.retryDelay(), task.maxRetryDelay(), task.executionTimeout()),
                task.shortCircuit(), task.branch(), task.pool(), task.poolSlots(), task.triggerRule());
    }
}
