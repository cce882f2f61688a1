package io.dagctl.cli.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DAG ids typed on the command line or read from classes on the DAGs path are checked before anything runs. */
class DagIdsTest {
    @TempDir
    Path temp;

    private BadInputCli cli() {
        return new BadInputCli(temp.resolve("home"));
    }

    @Test
    void triggeringADagIdThatClimbsOutIsAnUnknownDag() {
        BadInputCli cli = cli();

        BadInputCli.Result trigger = cli.run("trigger", "../cli_fixture");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.err()).startsWith("dagctl: unknown DAG '../cli_fixture' (did you mean 'cli_fixture'?); "
                + "known DAGs: ");
        cli.assertHomeUntouched();
    }

    @Test
    void triggeringAnEmptyDagIdIsAnUnknownDag() {
        BadInputCli cli = cli();

        BadInputCli.Result trigger = cli.run("trigger", "");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.err()).startsWith("dagctl: unknown DAG ''; known DAGs: ");
        cli.assertHomeUntouched();
    }

    /**
     * A class compiled without dag-core's annotation processor, listed in a hand-written index: the id the processor
     * would have refused is refused when the class is loaded.
     */
    @Test
    void aDagIdOutsideTheGrammarOnTheDagsPathIsADefinitionError() throws IOException {
        Path sources = Files.createDirectories(temp.resolve("src/com/example"));
        Path source = Files.writeString(sources.resolve("Escaping.java"), """
                package com.example;

                import io.dagctl.Dag;
                import io.dagctl.Task;

                @Dag(id = "../../escaping")
                public class Escaping {
                    @Task
                    public String hello() {
                        return "hello";
                    }
                }
                """);
        Path classes = Files.createDirectories(temp.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler.run(null, null, null, "-proc:none", "-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), source.toString())).isZero();
        Files.createDirectories(classes.resolve("META-INF/dagctl"));
        Files.writeString(classes.resolve("META-INF/dagctl/dags.index"), "com.example.Escaping\n");
        BadInputCli cli = cli().with("DAGCTL_DAGS_PATH", classes.toString());

        BadInputCli.Result trigger = cli.run("trigger", "../../escaping");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.err()).contains("Escaping: DAG id '../../escaping' is not lower snake case; use lower-case "
                + "letters, digits and underscores");
        cli.assertHomeUntouched();
    }
}
