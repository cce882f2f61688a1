package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user's project builds is a bundle for the DAGs path: its classes with their own libraries, each bundle in a
 * class loader of its own, so two bundles may use two versions of one library.
 */
class DagBundlesTest {
    private static final String LIBRARY = """
            package org.shapes;

            public final class Shapes {
                public static String version() {
                    return "%s";
                }
            }
            """;

    private static final String DAG = """
            package com.example.%1$s;

            import io.dagctl.Dag;
            import io.dagctl.Task;
            import org.shapes.Shapes;

            @Dag(id = "%1$s")
            public class UsesShapes {
                @Task
                public String shapesVersion() {
                    return Shapes.version();
                }

                @Task
                public String bundledResource() throws java.io.IOException {
                    try (var in = Thread.currentThread().getContextClassLoader().getResourceAsStream("%1$s.txt")) {
                        return new String(in.readAllBytes()).strip();
                    }
                }
            }
            """;

    @TempDir
    Path temp;

    @Test
    void twoBundlesRunWithTwoVersionsOfALibraryEachShippedWithItsDags() throws IOException {
        // A jar whose manifest names its libraries, as the project dagctl init writes builds it...
        Path shapes1 = shapesJar("1.0", temp.resolve("jar-bundle/lib/shapes-1.0.jar"));
        Path jarClasses = dagClasses("first_bundle", shapes1);
        Path jar = CompiledBundle.jar(jarClasses, temp.resolve("jar-bundle/first-dags.jar"), "lib/shapes-1.0.jar");
        // ...and a Maven project directory, its classes in target/classes and its libraries in target/lib.
        Path project = Files.createDirectories(temp.resolve("project"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Path shapes2 = shapesJar("2.0", project.resolve("target/lib/shapes-2.0.jar"));
        Files.move(dagClasses("second_bundle", shapes2), project.resolve("target/classes"));
        CliRunner dagctl = new CliRunner(temp.resolve("home")).with("DAGCTL_DAGS_PATH", jar + ":" + project);

        CliRunner.Result first = dagctl.run("trigger", "first_bundle");
        CliRunner.Result second = dagctl.run("trigger", "second_bundle");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("shapes_version returned \"1.0\"")
                .contains("bundled_resource returned \"a resource of first_bundle\"");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("shapes_version returned \"2.0\"")
                .contains("bundled_resource returned \"a resource of second_bundle\"");
    }

    private Path shapesJar(String version, Path jar) {
        Path classes = CompiledBundle.compile(temp.resolve("shapes-" + version),
                Map.of("Shapes.java", LIBRARY.formatted(version)), List.of(), false);
        return CompiledBundle.jar(classes, jar, "");
    }

    private Path dagClasses(String dagId, Path library) throws IOException {
        Path classes = CompiledBundle.compile(temp.resolve(dagId), Map.of("UsesShapes.java", DAG.formatted(dagId)),
                List.of(library), true);
        Files.writeString(classes.resolve(dagId + ".txt"), "a resource of " + dagId);
        return classes;
    }
}
