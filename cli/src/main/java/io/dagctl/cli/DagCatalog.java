package io.dagctl.cli;

import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.ops.Operations;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The DAGs dagctl knows: those indexed on its class path (the bundled {@code dags} module) and in the jars and
 * class directories of the DAGs path.
 */
final class DagCatalog {
    private final List<DagSpec> dags;

    private DagCatalog(List<DagSpec> dags) {
        this.dags = dags.stream().sorted(Comparator.comparing(DagSpec::id)).toList();
    }

    static DagCatalog discover(List<Path> dagsPath) {
        return new DagCatalog(DagDiscovery.discover(classLoaderFor(dagsPath)));
    }

    private static ClassLoader classLoaderFor(List<Path> dagsPath) {
        ClassLoader parent = DagCatalog.class.getClassLoader();
        if (dagsPath.isEmpty()) {
            return parent;
        }
        URL[] urls = dagsPath.stream().map(DagCatalog::toUrl).toArray(URL[]::new);
        return new URLClassLoader("dags-path", urls, parent);
    }

    private static URL toUrl(Path entry) {
        if (!Files.exists(entry)) {
            throw CliException.usage("DAGs path entry " + entry + " does not exist");
        }
        try {
            return entry.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<DagSpec> all() {
        return dags;
    }

    Optional<DagSpec> find(String dagId) {
        return dags.stream().filter(d -> d.id().equals(dagId)).findFirst();
    }

    /** The DAG with this id, or a usage error that names the closest ids. */
    DagSpec get(String dagId) {
        return Operations.dag(dags, dagId);
    }

    /** The task of the DAG, or a usage error that names the closest task ids. */
    static TaskSpec task(DagSpec dag, String taskId) {
        return Operations.task(dag, taskId);
    }

    List<String> ids() {
        return dags.stream().map(DagSpec::id).toList();
    }
}
