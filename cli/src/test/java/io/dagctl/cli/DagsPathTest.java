package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.internal.processor.DagProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's own project, compiled elsewhere, is listed and run by dagctl from the DAGs path. */
class DagsPathTest {
    private static final String USER_DAG = """
            package com.example;

            import io.dagctl.Dag;
            import io.dagctl.Task;

            @Dag(id = "user_project_dag", description = "Compiled outside dagctl")
            public class UserProjectDag {
                @Task
                public String hello() {
                    return "hello from the DAGs path";
                }
            }
            """;

    @TempDir
    Path temp;

    @Test
    void listsAndRunsADagFromAClassDirectoryGivenWithDagsPath() throws IOException {
        Path classes = compileUserProject();
        CliRunner dagctl = new CliRunner(temp.resolve("home"));

        CliRunner.Result list = dagctl.run("--dags-path", classes.toString(), "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("user_project_dag").contains("Compiled outside dagctl");

        CliRunner.Result trigger = dagctl.run("--dags-path", classes.toString(), "trigger", "user_project_dag");
        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        assertThat(trigger.out()).contains("hello returned \"hello from the DAGs path\"");
    }

    @Test
    void readsTheDagsPathFromTheEnvironmentToo() throws IOException {
        Path classes = compileUserProject();
        CliRunner dagctl = new CliRunner(temp.resolve("home")).with("DAGCTL_DAGS_PATH", classes.toString());

        assertThat(dagctl.run("list").out()).contains("user_project_dag");
    }

    @Test
    void refusesADagsPathEntryThatDoesNotExist() {
        Path missing = temp.resolve("missing");

        CliRunner.Result list = new CliRunner(temp.resolve("home")).run("--dags-path", missing.toString(), "list");

        assertThat(list.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(list.err()).isEqualTo("dagctl: DAGs path entry " + missing + " does not exist\n");
    }

    /** Compiles the user's DAG with dag-core's annotation processor, which also writes the DAG index. */
    private Path compileUserProject() throws IOException {
        Path sources = Files.createDirectories(temp.resolve("src/com/example"));
        Path source = Files.writeString(sources.resolve("UserProjectDag.java"), USER_DAG);
        Path classes = Files.createDirectories(temp.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), "-processor", DagProcessor.class.getName(),
                source.toString());
        assertThat(status).as("javac exit status").isZero();
        assertThat(classes.resolve("META-INF/dagctl/dags.index")).exists();
        return classes;
    }
}
