package io.dagctl.cli.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.internal.processor.DagProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever fails in a try's life (its log, injection, serialization, XCom, a notifier) ends the try failed with the
 * cause, and the run ends: nothing waits forever. A hang fails the test by its timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TryFailuresTest {
    /**
     * DAGs that fail at one point of a try's life each, other than in the task's own code. Compiled here and given
     * on the DAGs path, so that they stay out of the DAG list other tests see.
     */
    private static final String FAILING_DAGS = """
            package failing;

            import io.dagctl.Dag;
            import io.dagctl.Notification;
            import io.dagctl.Notifier;
            import io.dagctl.Task;

            /** DAGs that fail at one point of a try's life each, other than in the task's own code. */
            public final class FailingPointsDags {
                private FailingPointsDags() {
                }

                /** Its instance cannot be made: the try fails while injecting. */
                @Dag(id = "bad_input_injection")
                public static final class Injection {
                    public Injection() {
                        throw new IllegalStateException("no booking database in this test");
                    }

                    @Task
                    public String extract() {
                        return "never";
                    }
                }

                /** Returns a value that Jackson cannot write: the try fails while serializing it for XCom. */
                @Dag(id = "bad_input_serialization")
                public static final class Serialization {
                    public record Exploding(String value) {
                        @Override
                        public String value() {
                            throw new IllegalStateException("this value cannot be read");
                        }
                    }

                    @Task
                    public Exploding extract() {
                        return new Exploding("x");
                    }
                }

                /** Succeeds, and the notifier told of it cannot even be loaded: the run still ends. */
                @Dag(id = "bad_input_notifier_class")
                public static final class UnloadableNotifier {
                    public static final class Broken implements Notifier {
                        static {
                            if (Boolean.parseBoolean("true")) {
                                throw new IllegalStateException("the pager's configuration is missing");
                            }
                        }

                        @Override
                        public void notify(Notification notification) {
                        }
                    }

                    @Task(onSuccess = Broken.class)
                    public String extract() {
                        return "rows";
                    }
                }

                /** Fails, and the notifier told of it fails too: the run still ends. */
                @Dag(id = "bad_input_notifier")
                public static final class FailingNotifier {
                    public static final class Broken implements Notifier {
                        @Override
                        public void notify(Notification notification) {
                            throw new IllegalStateException("the pager is down");
                        }
                    }

                    @Task(onFailure = Broken.class)
                    public String extract() {
                        throw new IllegalStateException("the source is empty");
                    }

                    @Task
                    public String publish(@io.dagctl.From("extract") String extracted) {
                        return extracted;
                    }
                }
            }
            """;

    @TempDir
    static Path dags;

    @TempDir
    Path home;

    @BeforeAll
    static void compileFailingDags() throws IOException {
        Path source = Files.writeString(Files.createDirectories(dags.resolve("src/failing"))
                .resolve("FailingPointsDags.java"), FAILING_DAGS);
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dags.resolve("classes").toString(),
                "-classpath", System.getProperty("java.class.path"), "-processor", DagProcessor.class.getName(),
                source.toString());
        assertThat(status).as("javac exit status").isZero();
    }

    private BadInputCli cli() {
        return new BadInputCli(home).with("DAGCTL_DAGS_PATH", dags.resolve("classes").toString());
    }

    @Test
    void aTryWhoseLogCannotBeOpenedFailsWithTheCauseAndTheRunEnds() throws IOException {
        Files.createDirectories(home);
        Files.writeString(home.resolve("logs"), "a file where the logs directory should be");
        BadInputCli cli = cli();

        BadInputCli.Result trigger = cli.run("trigger", "cli_fixture", "--run-id", "no_logs");

        assertThat(trigger.exitCode()).as(trigger.toString()).isEqualTo(1);
        assertThat(trigger.out()).contains("run no_logs of DAG cli_fixture: failed\n");
        assertThat(cli.run("status", "no_logs", "--json").out())
                .contains("\"state\" : \"failed\"")
                .contains("\"error\" : \"could not open the task log " + home.resolve(
                        "logs/dag_id=cli_fixture/run_id=no_logs/task_id=greet/attempt=1.log")
                        + ": java.nio.file.FileSystemException: " + home.resolve("logs/dag_id=cli_fixture/run_id=no_logs")
                        + ": Not a directory\"");
    }

    @Test
    void aLaterTriggerInAHomeWhoseLogsFailedIsNotHeldByTheFailedRun() throws IOException {
        Files.createDirectories(home);
        Files.writeString(home.resolve("logs"), "a file where the logs directory should be");
        BadInputCli cli = cli();
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "first").exitCode()).isEqualTo(1);
        Files.delete(home.resolve("logs"));

        BadInputCli.Result second = cli.run("trigger", "cli_fixture", "--run-id", "second");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("run second of DAG cli_fixture: success\n")
                .doesNotContain("resuming");
    }

    @Test
    void aDagInstanceThatCannotBeMadeFailsTheTryWithTheCause() {
        BadInputCli cli = cli();

        BadInputCli.Result trigger = cli.run("trigger", "bad_input_injection", "--run-id", "r");

        assertThat(trigger.exitCode()).as(trigger.toString()).isEqualTo(1);
        assertThat(trigger.out()).contains("run r of DAG bad_input_injection: failed\n");
        assertThat(cli.run("status", "r", "--json").out()).contains("no booking database in this test");
    }

    @Test
    void aValueThatCannotBeSerializedFailsTheTryWithTheCause() {
        BadInputCli cli = cli();

        BadInputCli.Result trigger = cli.run("trigger", "bad_input_serialization", "--run-id", "r");

        assertThat(trigger.exitCode()).as(trigger.toString()).isEqualTo(1);
        assertThat(trigger.out()).contains("run r of DAG bad_input_serialization: failed\n")
                .contains("this value cannot be read");
        assertThat(cli.run("xcom", "r").out()).doesNotContain("extract");
    }

    @Test
    void aValueOverTheXComLimitFailsTheTryAndTheRunEnds() {
        BadInputCli cli = cli().with("DAGCTL_XCOM_MAX_BYTES", "10");

        BadInputCli.Result trigger = cli.run("trigger", "cli_fixture", "--run-id", "r");

        assertThat(trigger.exitCode()).as(trigger.toString()).isEqualTo(1);
        assertThat(trigger.out()).contains("run r of DAG cli_fixture: failed\n")
                .contains("greet                            failed");
    }

    @Test
    void aNotifierClassThatCannotBeLoadedDoesNotHoldTheRun() {
        BadInputCli cli = cli();

        BadInputCli.Result trigger = cli.run("trigger", "bad_input_notifier_class", "--run-id", "r");

        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        assertThat(trigger.out()).contains("run r of DAG bad_input_notifier_class: success\n");
    }

    @Test
    void aNotifierThatFailsDoesNotChangeHowTheTaskEndedNorHoldTheRun() {
        BadInputCli cli = cli();

        BadInputCli.Result trigger = cli.run("trigger", "bad_input_notifier", "--run-id", "r");

        assertThat(trigger.exitCode()).as(trigger.toString()).isEqualTo(1);
        assertThat(trigger.out()).contains("run r of DAG bad_input_notifier: failed\n")
                .contains("java.lang.IllegalStateException: the source is empty")
                .contains("publish                          upstream_failed");
    }
}
