package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many DAGs from several bundles: examples off, one broken DAG not breaking the others, and where state lives. */
class ManyDagsTest {
    private static final String TRAIN_MODEL = """
            package com.example;

            import io.dagctl.Dag;
            import io.dagctl.Task;

            @Dag(id = "train_model", description = "The user's own train_model")
            public class TrainModel {
                @Task
                public String train() {
                    return "trained by the user";
                }
            }
            """;

    private static final String FAILING_INITIALIZER = """
            package com.example;

            import io.dagctl.Dag;
            import io.dagctl.Task;

            @Dag(id = "needs_config")
            public class NeedsConfig {
                static final int PORT = Integer.parseInt("not a port");

                @Task
                public int port() {
                    return PORT;
                }
            }
            """;

    private static final String SAME_ID_AS_TRAIN_MODEL = """
            package org.other;

            import io.dagctl.Dag;
            import io.dagctl.Task;

            @Dag(id = "train_model")
            public class AnotherTrainModel {
                @Task
                public String train() {
                    return "trained by someone else";
                }
            }
            """;

    @TempDir
    Path temp;

    private CliRunner cli() {
        return new CliRunner(temp.resolve("home"));
    }

    @Test
    void loadExamplesFalseLeavesOutTheBundledDagsSoAUserDagMayTakeTheirIds() {
        Path bundle = CompiledBundle.compile(temp.resolve("user"), Map.of("TrainModel.java", TRAIN_MODEL), List.of(), true);
        CliRunner dagctl = cli().with("DAGCTL_LOAD_EXAMPLES", "false").with("DAGCTL_DAGS_PATH", bundle.toString());

        CliRunner.Result list = dagctl.run("list");
        CliRunner.Result trigger = dagctl.run("trigger", "train_model");

        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).isEqualTo("""
                DAG          SCHEDULE  PAUSED  TASKS  TAGS  DESCRIPTION
                train_model  manual    no      1            The user's own train_model
                """);
        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        assertThat(trigger.out()).contains("train returned \"trained by the user\"");
        assertThat(cli().run("list").out()).contains("cli_fixture").contains("airbnb_user_bookings");
    }

    @Test
    void aMistypedLoadExamplesIsAUsageError() {
        CliRunner.Result list = cli().with("DAGCTL_LOAD_EXAMPLES", "no").run("list");

        assertThat(list.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(list.err()).isEqualTo("dagctl: DAGCTL_LOAD_EXAMPLES is 'no'; set it to true or false\n");
    }

    @Test
    void dagsThatFailToLoadAreListedAsImportErrorsAndOnlyCommandsNamingThemFail() throws IOException {
        Path user = CompiledBundle.compile(temp.resolve("user"),
                Map.of("TrainModel.java", TRAIN_MODEL, "NeedsConfig.java", FAILING_INITIALIZER), List.of(), true);
        Files.writeString(user.resolve("META-INF/dagctl/dags.index"), "com.example.Gone\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path other = CompiledBundle.compile(temp.resolve("other"),
                Map.of("AnotherTrainModel.java", SAME_ID_AS_TRAIN_MODEL), List.of(), true);
        Path notes = Files.writeString(temp.resolve("notes.txt"), "not a bundle");
        CliRunner dagctl = cli().with("DAGCTL_DAGS_PATH", user + ":" + other + ":" + notes);
        CliRunner.Result earlier = cli().run("trigger", "cli_fixture", "--run-id", "earlier");
        assertThat(earlier.exitCode()).as(earlier.toString()).isZero();

        CliRunner.Result list = dagctl.run("list");

        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("cli_fixture").doesNotContain("train_model  ").endsWith("""

                IMPORT ERRORS
                  DAGs path entry %s is neither a jar nor a directory; give the jar, the class directory or the \
                Maven project directory that holds your DAGs
                  com.example.NeedsConfig: its static initializer failed (java.lang.NumberFormatException: For input \
                string: "not a port"); fix it and rebuild
                  com.example.Gone: listed in META-INF/dagctl/dags.index but cannot be loaded \
                (java.lang.ClassNotFoundException: com.example.Gone); rebuild the project that declares it
                  TrainModel: DAG id 'train_model' is also the id of io.dagctl.dags.TrainModel (this class is \
                com.example.TrainModel); give one of them another @Dag(id)
                  AnotherTrainModel: DAG id 'train_model' is also the id of io.dagctl.dags.TrainModel (this class is \
                org.other.AnotherTrainModel); give one of them another @Dag(id)
                """.formatted(notes));
        assertThat(list.err()).isEmpty();

        CliRunner.Result trigger = dagctl.run("trigger", "train_model");
        assertThat(trigger.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(trigger.err()).endsWith("dagctl: DAG 'train_model' failed to load:\n"
                + "TrainModel: DAG id 'train_model' is also the id of io.dagctl.dags.TrainModel (this class is "
                + "com.example.TrainModel); give one of them another @Dag(id)\n"
                + "AnotherTrainModel: DAG id 'train_model' is also the id of io.dagctl.dags.TrainModel (this class is "
                + "org.other.AnotherTrainModel); give one of them another @Dag(id)\n");

        CliRunner.Result needsConfig = dagctl.run("trigger", "needs_config");
        assertThat(needsConfig.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(needsConfig.err()).endsWith("dagctl: DAG 'needs_config' failed to load:\n"
                + "com.example.NeedsConfig: its static initializer failed (java.lang.NumberFormatException: For input "
                + "string: \"not a port\"); fix it and rebuild\n");

        // A trigger reads only the DAG it names: the other classes' failures are list's to show.
        CliRunner.Result fixture = dagctl.run("trigger", "cli_fixture");
        assertThat(fixture.exitCode()).as(fixture.toString()).isZero();
        assertThat(fixture.err()).isEqualTo("""
                dagctl: warning: DAGs path entry %s is neither a jar nor a directory; give the jar, the class \
                directory or the Maven project directory that holds your DAGs
                dagctl: warning: com.example.Gone: listed in META-INF/dagctl/dags.index but cannot be loaded \
                (java.lang.ClassNotFoundException: com.example.Gone); rebuild the project that declares it
                """.formatted(notes));
        CliRunner.Result status = dagctl.run("status", "earlier");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).startsWith("run earlier of DAG cli_fixture: success in ");
    }

    @Test
    void triggerInitializesOnlyTheClassOfTheDagItNames() {
        Path initialized = temp.resolve("initialized");
        String recordsItsInitialization = """
                package com.example;

                import io.dagctl.Dag;
                import io.dagctl.Task;

                @Dag(id = "records_its_initialization")
                public class RecordsItsInitialization {
                    static {
                        try {
                            java.nio.file.Files.createFile(java.nio.file.Path.of("%s"));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }

                    @Task
                    public int zero() {
                        return 0;
                    }
                }
                """.formatted(initialized);
        Path bundle = CompiledBundle.compile(temp.resolve("user"), Map.of("TrainModel.java", TRAIN_MODEL,
                "RecordsItsInitialization.java", recordsItsInitialization), List.of(), true);
        CliRunner dagctl = cli().with("DAGCTL_LOAD_EXAMPLES", "false").with("DAGCTL_DAGS_PATH", bundle.toString());

        CliRunner.Result trigger = dagctl.run("trigger", "train_model");

        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        assertThat(trigger.out()).contains("train returned \"trained by the user\"");
        assertThat(trigger.err()).isEmpty();
        assertThat(initialized).doesNotExist();
        assertThat(dagctl.run("list").out()).contains("records_its_initialization");
        assertThat(initialized).exists();
    }

    @Test
    void aDagsPathEntryWithoutADagIndexGetsAWarningSayingHowToFixIt() {
        Path classes = CompiledBundle.compile(temp.resolve("unprocessed"), Map.of("TrainModel.java", TRAIN_MODEL),
                List.of(), false);
        Path jar = CompiledBundle.jar(classes, temp.resolve("unprocessed.jar"), "");
        String fix = " has no META-INF/dagctl/dags.index, so no DAG in it is known: compile its DAG classes with "
                + "dagctl-core on the annotation processor path (a dependency is enough, unless the compiler's "
                + "annotationProcessorPaths or -proc:none leave it out), then rebuild";

        CliRunner.Result list = cli().run("--dags-path", jar.toString(), "list");
        CliRunner.Result show = cli().run("--dags-path", jar.toString(), "show", "cli_fixture");

        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).endsWith("\nIMPORT ERRORS\n  DAGs path entry " + jar + fix + "\n");
        assertThat(show.exitCode()).isZero();
        assertThat(show.err()).isEqualTo("dagctl: warning: DAGs path entry " + jar + fix + "\n");
    }

    @Test
    void aMavenProjectThatIsNotBuiltYetIsAnImportErrorThatSaysToBuildIt() throws IOException {
        Path project = Files.createDirectories(temp.resolve("my-dags"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");

        CliRunner.Result list = cli().run("--dags-path", project.toString(), "list");

        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).endsWith("\nIMPORT ERRORS\n  DAGs path entry " + project + " is a Maven project that "
                + "is not built yet; build it with mvn package (or mvn verify)\n");
    }

    @Test
    void readOnlyCommandsDoNotCreateAnEmptyHomeAndSayWhichOneTheyLookedAt() {
        Path home = temp.resolve("elsewhere/.dagctl");
        CliRunner dagctl = new CliRunner(home);
        String missing = "dagctl: no dagctl home at " + home + " (DAGCTL_HOME is " + home + "), so no run is "
                + "recorded there; run dagctl from the directory where the runs were made, or set DAGCTL_HOME to "
                + "their home\n";

        for (String[] command : List.of(new String[] {"status", "r1"}, new String[] {"logs", "r1", "greet"},
                new String[] {"xcom", "r1"})) {
            CliRunner.Result result = dagctl.run(command);
            assertThat(result.exitCode()).as(String.join(" ", command)).isEqualTo(ExitCodes.USAGE);
            assertThat(result.err()).as(String.join(" ", command)).isEqualTo(missing);
        }
        CliRunner.Result runs = dagctl.run("runs", "--json");
        assertThat(runs.exitCode()).isZero();
        assertThat(runs.out()).isEqualTo("[ ]\n");
        assertThat(runs.err()).isEqualTo("dagctl: no dagctl home at " + home + " (DAGCTL_HOME is " + home + "), so no "
                + "run is recorded there\n");
        assertThat(dagctl.run("show", "cli_fixture").exitCode()).isZero();
        assertThat(temp.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void triggerLeavesInterruptedRunsOfOtherDagsAloneAndSaysHowToResumeThem() {
        CliRunner dagctl = cli();
        assertThat(dagctl.run("trigger", "cli_mapped", "--run-id", "crashed", "--no-wait").exitCode()).isZero();
        try (MetadataStore store = MetadataStore.open(StoreLocation.fromEnvironment(Map.of(), dagctl.home()))) {
            store.inTransaction(tx -> {
                DagRun run = tx.findRun("cli_mapped", "crashed").orElseThrow();
                return tx.takeOver(run, "gone-host:1:dead", Instant.EPOCH);
            });
        }

        CliRunner.Result trigger = dagctl.run("trigger", "cli_fixture", "--run-id", "mine");

        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        assertThat(trigger.out()).startsWith("created run mine of DAG cli_fixture\n"
                + "run crashed of DAG cli_mapped was interrupted and is left as it is; resume it with: "
                + "dagctl resume crashed (a running dagctl scheduler resumes it too)\n");
        assertThat(dagctl.run("status", "crashed").out()).startsWith("run crashed of DAG cli_mapped: running\n");
    }
}
