package io.dagctl.cli;

import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.discovery.DagDiscovery.Bundle;
import io.dagctl.internal.discovery.DagDiscovery.ImportError;
import io.dagctl.ops.OperationException;
import io.dagctl.ops.Operations;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The DAGs dagctl knows: the bundled examples indexed on its class path (unless {@code DAGCTL_LOAD_EXAMPLES=false})
 * and the bundles of the DAGs path, each in its own class loader; and the DAGs that failed to load.
 */
final class DagCatalog {
    private final List<DagSpec> dags;
    private final List<ImportError> importErrors;

    private DagCatalog(List<DagSpec> dags, List<ImportError> importErrors) {
        this.dags = dags.stream().sorted(Comparator.comparing(DagSpec::id)).toList();
        this.importErrors = importErrors;
    }

    static DagCatalog discover(boolean loadExamples, List<Path> dagsPath) {
        List<ImportError> errors = new ArrayList<>();
        return of(DagDiscovery.discover(bundles(loadExamples, dagsPath, errors)), errors);
    }

    /**
     * The DAG with this id, for a command that needs no other: the classes of other DAGs are neither initialized nor
     * read, so their import errors are not known. When no class declares the id, every DAG, so that the refusal
     * names the closest ids and what failed to load.
     */
    static DagCatalog discoverOne(boolean loadExamples, List<Path> dagsPath, String dagId) {
        List<ImportError> errors = new ArrayList<>();
        List<Bundle> bundles = bundles(loadExamples, dagsPath, errors);
        return of(DagDiscovery.discoverOne(bundles, dagId).orElseGet(() -> DagDiscovery.discover(bundles)), errors);
    }

    /** What discovery found, after the errors of the DAGs path itself. */
    private static DagCatalog of(DagDiscovery.Discovered discovered, List<ImportError> pathErrors) {
        List<ImportError> errors = new ArrayList<>(pathErrors);
        errors.addAll(discovered.errors());
        return new DagCatalog(discovered.dags(), List.copyOf(errors));
    }

    /** The bundles to read DAGs from; the DAGs path entries that are none, or hold no index, go to {@code errors}. */
    private static List<Bundle> bundles(boolean loadExamples, List<Path> dagsPath, List<ImportError> errors) {
        ClassLoader dagctlLoader = DagCatalog.class.getClassLoader();
        List<Bundle> bundles = new ArrayList<>();
        if (loadExamples) {
            bundles.add(Bundle.of(dagctlLoader));
        }
        for (Path entry : dagsPath) {
            Optional<Bundle> bundle = bundleAt(entry, dagctlLoader);
            if (bundle.isEmpty()) {
                errors.add(notABundle(entry));
            } else if (isMavenProject(entry) && !Files.isDirectory(entry.resolve("target/classes"))) {
                errors.add(new ImportError(entry.toString(), Optional.empty(), "DAGs path entry " + entry
                        + " is a Maven project that is not built yet; build it with mvn package (or mvn verify)"));
            } else if (bundle.get().indexes().isEmpty()) {
                errors.add(withoutIndex(entry));
            } else {
                bundles.add(bundle.get());
            }
        }
        return bundles;
    }

    /**
     * A DAGs path entry as a class loader of its own, so that two bundles may use different versions of a library:
     * a jar (with the jars its manifest's {@code Class-Path} names, as {@code dagctl init}'s project writes it), a
     * class directory, or a Maven project directory ({@code target/classes} and the jars in {@code target/lib}).
     * Classes dagctl itself has (the dagctl API, its hooks and their libraries) come from dagctl, parent first.
     */
    private static Optional<Bundle> bundleAt(Path entry, ClassLoader parent) {
        if (!Files.exists(entry)) {
            throw CliException.usage("DAGs path entry " + entry + " does not exist");
        }
        List<Path> classPath = new ArrayList<>();
        if (isMavenProject(entry)) {
            classPath.add(entry.resolve("target/classes"));
            classPath.addAll(jarsIn(entry.resolve("target/lib")));
        } else if (Files.isDirectory(entry) || entry.getFileName().toString().endsWith(".jar")) {
            classPath.add(entry);
        } else {
            return Optional.empty();
        }
        URLClassLoader loader = new URLClassLoader(entry.toString(),
                classPath.stream().map(DagCatalog::toUrl).toArray(URL[]::new), parent);
        try {
            // Only this bundle's own index: the parent's is the examples'.
            return Optional.of(new Bundle(loader, Collections.list(loader.findResources(DagDiscovery.INDEX))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DagDiscovery.INDEX + " in " + entry, e);
        }
    }

    private static boolean isMavenProject(Path entry) {
        return Files.isDirectory(entry) && Files.isRegularFile(entry.resolve("pom.xml"));
    }

    private static List<Path> jarsIn(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static ImportError notABundle(Path entry) {
        return new ImportError(entry.toString(), Optional.empty(), "DAGs path entry " + entry
                + " is neither a jar nor a directory; give the jar, the class directory or the Maven project "
                + "directory that holds your DAGs");
    }

    private static ImportError withoutIndex(Path entry) {
        return new ImportError(entry.toString(), Optional.empty(), "DAGs path entry " + entry + " has no "
                + DagDiscovery.INDEX + ", so no DAG in it is known: compile its DAG classes with dagctl-core on the "
                + "annotation processor path (a dependency is enough, unless the compiler's annotationProcessorPaths "
                + "or -proc:none leave it out), then rebuild");
    }

    private static URL toUrl(Path entry) {
        try {
            return entry.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<DagSpec> all() {
        return dags;
    }

    /** The DAG classes and DAGs path entries that did not load, in discovery order. */
    List<ImportError> importErrors() {
        return importErrors;
    }

    Optional<DagSpec> find(String dagId) {
        return dags.stream().filter(d -> d.id().equals(dagId)).findFirst();
    }

    /** The DAG with this id, or a refusal that says why it did not load or names the closest ids. */
    DagSpec get(String dagId) {
        if (find(dagId).isEmpty()) {
            List<String> failures = importErrors.stream().filter(e -> e.dagId().equals(Optional.of(dagId)))
                    .map(ImportError::message).toList();
            if (!failures.isEmpty()) {
                throw CliException.usage("DAG '" + dagId + "' failed to load:\n" + String.join("\n", failures));
            }
        }
        try {
            return Operations.dag(dags, dagId);
        } catch (OperationException unknown) {
            if (importErrors.isEmpty()) {
                throw unknown;
            }
            throw new OperationException(unknown.kind(), unknown.getMessage() + "; " + importErrors.size()
                    + " DAG(s) failed to load, see dagctl list");
        }
    }

    /** The task of the DAG, or a usage error that names the closest task ids. */
    static TaskSpec task(DagSpec dag, String taskId) {
        return Operations.task(dag, taskId);
    }
}
