package io.dagctl.internal.processor;

import io.dagctl.Dag;
import io.dagctl.OnAssetUpdates;
import io.dagctl.OnKafkaRecords;
import io.dagctl.OnNewObjects;
import io.dagctl.Task;
import io.dagctl.TriggeredBy;
import io.dagctl.Updates;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.discovery.DefinitionModel;
import io.dagctl.internal.discovery.DefinitionRules;
import io.dagctl.internal.discovery.Problem;
import io.dagctl.internal.discovery.ScheduleRules;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Checks {@code @Dag} classes at compile time with the {@link DefinitionRules} the loader applies, reporting each
 * problem as a javac error on the offending class, method or parameter, and writes {@value DagDiscovery#INDEX}: the
 * DAG classes of the compilation, merged with those of an earlier index whose classes still are DAGs.
 */
@SupportedAnnotationTypes({"io.dagctl.Dag", "io.dagctl.Task"})
public final class DagProcessor extends AbstractProcessor {
    private final Set<String> checkedDags = new LinkedHashSet<>();
    private final Set<String> cleanDags = new LinkedHashSet<>();

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        MirrorTypes types = new MirrorTypes(processingEnv.getTypeUtils(), processingEnv.getElementUtils());
        for (Element element : round.getElementsAnnotatedWith(Dag.class)) {
            if (element instanceof TypeElement dagType) {
                check(dagType, types);
            }
        }
        for (Element element : round.getElementsAnnotatedWith(Task.class)) {
            Element owner = element.getEnclosingElement();
            if (owner.getAnnotation(Dag.class) == null) {
                error(DefinitionRules.taskOutsideDag(owner.getSimpleName().toString(),
                        element.getSimpleName().toString()), element);
            }
        }
        if (round.processingOver() && !checkedDags.isEmpty()) {
            writeIndex();
        }
        return false;
    }

    private void check(TypeElement dagType, MirrorTypes types) {
        String binaryName = processingEnv.getElementUtils().getBinaryName(dagType).toString();
        checkedDags.add(binaryName);
        DefinitionModel<TypeMirror> model = ElementReader.read(dagType);
        DefinitionRules.Result<TypeMirror> result = DefinitionRules.check(model, types);
        List<ExecutableElement> methods = ElementReader.taskMethods(dagType);
        List<Problem> problems = new ArrayList<>(result.problems());
        problems.addAll(ScheduleRules.check(schedulingModel(dagType, model, methods)));
        Optional<? extends AnnotationMirror> dagAnnotation = dagType.getAnnotationMirrors().stream()
                .filter(a -> ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
                        .contentEquals(Dag.class.getCanonicalName()))
                .findFirst();
        for (Problem problem : problems) {
            if (problem.location() instanceof Problem.OnClass && dagAnnotation.isPresent()) {
                // class-level problems are in the attributes of @Dag, so point there
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, problem.message(), dagType,
                        dagAnnotation.get());
            } else {
                error(problem.message(), elementOf(problem.location(), dagType, methods));
            }
        }
        if (problems.isEmpty()) {
            cleanDags.add(binaryName);
        }
    }

    private static ScheduleRules.Model schedulingModel(TypeElement dagType, DefinitionModel<TypeMirror> model,
            List<ExecutableElement> methods) {
        Dag dag = dagType.getAnnotation(Dag.class);
        return new ScheduleRules.Model(dagType.getSimpleName().toString(), dag.schedule(), dag.startDate(),
                dag.endDate(),
                Optional.ofNullable(dagType.getAnnotation(TriggeredBy.class)),
                Optional.ofNullable(dagType.getAnnotation(OnAssetUpdates.class)),
                Optional.ofNullable(dagType.getAnnotation(OnNewObjects.class)),
                Optional.ofNullable(dagType.getAnnotation(OnKafkaRecords.class)),
                model.params().map(p -> p.components().stream().map(DefinitionModel.Component::name).toList())
                        .orElse(List.of()),
                methods.stream().map(m -> m.getSimpleName().toString()).toList(),
                model.tasks().stream().map(DefinitionModel.TaskMethod::id).toList(),
                methods.stream().map(m -> Optional.ofNullable(m.getAnnotation(Updates.class))).toList());
    }

    private static Element elementOf(Problem.Location location, TypeElement dagType, List<ExecutableElement> methods) {
        if (location instanceof Problem.OnTask onTask) {
            return methods.get(onTask.task());
        }
        if (location instanceof Problem.OnParameter onParameter) {
            return methods.get(onParameter.task()).getParameters().get(onParameter.parameter());
        }
        if (location instanceof Problem.OnParamsComponent onComponent) {
            // javac finds no source position for a record component element (JDK 17), but does for its field
            return ElementReader.paramsRecord(dagType).<Element>flatMap(r -> {
                String name = r.getRecordComponents().get(onComponent.component()).getSimpleName().toString();
                return ElementFilter.fieldsIn(r.getEnclosedElements()).stream()
                        .filter(f -> f.getSimpleName().contentEquals(name)).findFirst();
            }).orElse(dagType);
        }
        return dagType;
    }

    private void writeIndex() {
        Set<String> names = new LinkedHashSet<>();
        for (String earlier : readEarlierIndex()) {
            // an incremental compilation sees only the changed classes; keep the others that are still DAGs
            TypeElement type = processingEnv.getElementUtils().getTypeElement(earlier.replace('$', '.'));
            if (!checkedDags.contains(earlier) && type != null && type.getAnnotation(Dag.class) != null) {
                names.add(earlier);
            }
        }
        names.addAll(cleanDags);
        try {
            FileObject index = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "",
                    DagDiscovery.INDEX);
            try (Writer out = index.openWriter()) {
                for (String name : names) {
                    out.write(name + "\n");
                }
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "dagctl: cannot write " + DagDiscovery.INDEX + ": " + e.getMessage());
        }
    }

    private List<String> readEarlierIndex() {
        try {
            FileObject earlier = processingEnv.getFiler().getResource(StandardLocation.CLASS_OUTPUT, "",
                    DagDiscovery.INDEX);
            try (Reader reader = earlier.openReader(true); BufferedReader in = new BufferedReader(reader)) {
                return in.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
            }
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
    }

    private void error(String message, Element element) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, element);
    }
}
