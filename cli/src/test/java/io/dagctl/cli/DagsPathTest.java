package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
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

    /** Compiles the user's DAG as its own build would; dag-core's annotation processor also writes the DAG index. */
    private Path compileUserProject() throws IOException {
        Path classes = CompiledDags.compile(temp, "UserProjectDag", USER_DAG);
        assertThat(classes.resolve("META-INF/dagctl/dags.index")).exists();
        return classes;
    }
}
