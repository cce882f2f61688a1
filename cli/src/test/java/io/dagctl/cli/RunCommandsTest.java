package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs of the fixture DAG: trigger, status, logs, xcom, clear, runs, resume, test and db migrate. */
class RunCommandsTest {
    private static final String SUCCESSFUL_SUMMARY = """

            run %1$s of DAG cli_fixture: success
              greet returned {"text":"hello world","copies":2}
              check returned 11
              publish returned ["hello world (11)","hello world (11)"]
            task logs in <home>/logs/dag_id=cli_fixture/run_id=%1$s
            task states: dagctl status %1$s, values: dagctl xcom %1$s
            """;

    @TempDir
    Path home;

    private CliRunner cli() {
        return new CliRunner(home);
    }

    @Test
    void triggerExecutesTheRunShowingProgressInDagOrderThenWhatEachTaskReturned() {
        CliRunner.Result trigger = cli().run("trigger", "cli_fixture", "--run-id", "first");

        assertThat(trigger.exitCode()).isZero();
        assertThat(trigger.err()).isEmpty();
        assertThat(trigger.plainProgress()).isEqualTo("""
                created run first of DAG cli_fixture
                  greet                            success         try 1/1 in N.Ns
                  check                            success         try 1/1 in N.Ns
                  publish                          success         try 1/1 in N.Ns
                """ + SUCCESSFUL_SUMMARY.formatted("first"));
        assertThat(home.resolve("logs/dag_id=cli_fixture/run_id=first/task_id=publish/attempt=1.log")).exists();
    }

    @Test
    void aFailedTaskFailsTheRunAndIsShownByStatusLogsAndXcom() throws IOException {
        Path marker = Files.writeString(home.resolve("stop"), "");

        CliRunner.Result trigger = cli().run("trigger", "cli_fixture", "--run-id", "bad", "-p", "failWhile=" + marker,
                "-p", "name=dagctl");

        assertThat(trigger.exitCode()).isEqualTo(1);
        assertThat(trigger.plainProgress()).isEqualTo("""
                created run bad of DAG cli_fixture
                  greet                            success         try 1/1 in N.Ns
                  check                            failed          try 1/1 in N.Ns: java.lang.IllegalStateException: refusing to publish while <home>/stop exists
                  publish                          upstream_failed

                run bad of DAG cli_fixture: failed
                  greet returned {"text":"hello dagctl","copies":2}
                  check failed; its log: dagctl logs bad check
                task logs in <home>/logs/dag_id=cli_fixture/run_id=bad
                task states: dagctl status bad, values: dagctl xcom bad
                """);

        CliRunner.Result status = cli().run("status", "bad");
        assertThat(status.exitCode()).isZero();
        assertThat(status.plainOut()).isEqualTo("""
                run bad of DAG cli_fixture: failed in N.Ns
                params: {name=dagctl, copies=2, failWhile=<home>/stop}
                TASK     STATE            TRY  STARTED               DURATION  ERROR
                greet    success          1/1  YYYY-MM-DDTHH:MM:SSZ  N.Ns
                check    failed           1/1  YYYY-MM-DDTHH:MM:SSZ  N.Ns      java.lang.IllegalStateException: refusing to publish while <home>/stop exists
                publish  upstream_failed  0/1  YYYY-MM-DDTHH:MM:SSZ  N.Ns
                """);

        CliRunner.Result log = cli().run("logs", "bad", "check");
        assertThat(log.exitCode()).isZero();
        assertThat(log.plainOut()).containsPattern("(?m)^<time> INFO  \\[dagctl-task-\\d+] dagctl\\.task\\.runtime - "
                        + "Starting try 1 of 1 of task check in run bad$")
                .containsPattern("(?m)^<time> INFO  \\[dagctl-task-\\d+] dagctl\\.task\\.cli_fixture\\.check - "
                        + "<home>/stop is there$")
                .containsPattern("(?m)^<time> ERROR \\[dagctl-task-\\d+] dagctl\\.task\\.runtime - Try 1 of task check failed$")
                .contains("\njava.lang.IllegalStateException: refusing to publish while <home>/stop exists\n"
                        + "\tat io.dagctl.cli.FixtureDag.check(FixtureDag.java:");
        assertThat(cli().run("logs", "bad", "check", "--try", "1").out()).isEqualTo(log.out());

        CliRunner.Result xcom = cli().run("xcom", "bad");
        assertThat(xcom.out()).isEqualTo("""
                TASK   KEY           VALUE
                greet  return_value  {"text":"hello dagctl","copies":2}
                """);
        CliRunner.Result greeting = cli().run("xcom", "bad", "greet");
        assertThat(greeting.out()).isEqualTo("""
                {
                  "text" : "hello dagctl",
                  "copies" : 2
                }
                """);
        CliRunner.Result none = cli().run("xcom", "bad", "check");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("dagctl: task check of run bad has no XCom value\n");
    }

    @Test
    void clearFailedRerunsTheFailedTaskAndItsDownstreamKeepingWhatSucceeded() throws IOException {
        Path marker = Files.writeString(home.resolve("stop"), "");
        assertThat(cli().run("trigger", "cli_fixture", "--run-id", "r", "-p", "failWhile=" + marker).exitCode())
                .isEqualTo(1);
        Files.delete(marker);

        CliRunner.Result clear = cli().run("clear", "r", "--failed");

        assertThat(clear.exitCode()).isZero();
        assertThat(clear.err()).isEmpty();
        assertThat(clear.plainProgress()).isEqualTo("""
                cleared check, publish in run r
                  greet                            success         try 1/1 in N.Ns
                  check                            success         try 2/2 in N.Ns
                  publish                          success         try 1/1 in N.Ns
                """ + SUCCESSFUL_SUMMARY.formatted("r"));
        assertThat(cli().run("status", "r").plainOut()).isEqualTo("""
                run r of DAG cli_fixture: success in N.Ns
                params: {name=world, copies=2, failWhile=<home>/stop}
                TASK     STATE    TRY  STARTED               DURATION  ERROR
                greet    success  1/1  YYYY-MM-DDTHH:MM:SSZ  N.Ns
                check    success  2/2  YYYY-MM-DDTHH:MM:SSZ  N.Ns
                publish  success  1/1  YYYY-MM-DDTHH:MM:SSZ  N.Ns
                """);
        assertThat(cli().run("logs", "r", "check").plainOut())
                .contains("Starting try 2 of 2 of task check in run r").doesNotContain("is there");
        assertThat(cli().run("logs", "r", "check", "--try", "1").plainOut())
                .contains("Starting try 1 of 1 of task check in run r").contains("<home>/stop is there");
        CliRunner.Result third = cli().run("logs", "r", "check", "--try", "3");
        assertThat(third.exitCode()).isEqualTo(2);
        assertThat(third.err()).isEqualTo("dagctl: task check of run r has tries 1 to 2, not 3\n");

        CliRunner.Result again = cli().run("clear", "r", "--failed");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).isEqualTo("nothing to clear in run r\n");
    }

    @Test
    void clearOfNamedTasksRerunsThemAndTheirDownstreamOnly() {
        cli().run("trigger", "cli_fixture", "--run-id", "r");

        CliRunner.Result clear = cli().run("clear", "r", "--task", "check", "--no-wait");

        assertThat(clear.exitCode()).isZero();
        assertThat(clear.out()).isEqualTo("cleared check, publish in run r\nexecute them with: dagctl resume r\n");
        assertThat(cli().run("status", "r").plainOut()).contains("""
                greet    success  1/1  YYYY-MM-DDTHH:MM:SSZ  N.Ns
                check    none     1/2  -                     -
                publish  none     1/2  -                     -
                """);
    }

    @Test
    void unknownTasksAreUsageErrorsThatNameTheClosestTask() {
        cli().run("trigger", "cli_fixture", "--run-id", "r");

        CliRunner.Result clear = cli().run("clear", "r", "--task", "chek");
        assertThat(clear.exitCode()).isEqualTo(2);
        assertThat(clear.err()).isEqualTo(
                "dagctl: DAG cli_fixture has no task 'chek' (did you mean 'check'?); its tasks: greet, check, publish\n");

        CliRunner.Result logs = cli().run("logs", "r", "publsh");
        assertThat(logs.exitCode()).isEqualTo(2);
        assertThat(logs.err()).isEqualTo(
                "dagctl: DAG cli_fixture has no task 'publsh' (did you mean 'publish'?); its tasks: greet, check, publish\n");

        CliRunner.Result far = cli().run("logs", "r", "upload");
        assertThat(far.exitCode()).isEqualTo(2);
        assertThat(far.err()).isEqualTo("dagctl: DAG cli_fixture has no task 'upload'; its tasks: greet, check, publish\n");

        CliRunner.Result run = cli().run("status", "r1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("dagctl: unknown run 'r1' (did you mean 'r'?)\n");
    }

    @Test
    void runsListsTheNewestRunFirst() {
        cli().run("trigger", "cli_fixture", "--run-id", "older");
        cli().run("trigger", "cli_fixture", "--run-id", "newer", "--no-wait");

        CliRunner.Result runs = cli().run("runs");

        assertThat(runs.exitCode()).isZero();
        assertThat(runs.plainOut()).isEqualTo("""
                DAG          RUN    STATE    TYPE    LOGICAL DATE          STARTED               DURATION
                cli_fixture  newer  queued   manual  YYYY-MM-DDTHH:MM:SSZ  -                     -
                cli_fixture  older  success  manual  YYYY-MM-DDTHH:MM:SSZ  YYYY-MM-DDTHH:MM:SSZ  N.Ns
                """);
        assertThat(cli().run("runs", "cli_fixture", "--limit", "1").plainOut()).isEqualTo("""
                DAG          RUN    STATE   TYPE    LOGICAL DATE          STARTED  DURATION
                cli_fixture  newer  queued  manual  YYYY-MM-DDTHH:MM:SSZ  -        -
                """);
    }

    @Test
    void aRunRecordedWithNoWaitIsExecutedByResume() {
        CliRunner.Result trigger = cli().run("trigger", "cli_fixture", "--run-id", "later", "--no-wait");
        assertThat(trigger.exitCode()).isZero();
        assertThat(trigger.out()).isEqualTo("created run later of DAG cli_fixture\nexecute it with: dagctl resume later\n");
        assertThat(cli().run("status", "later").out()).startsWith("run later of DAG cli_fixture: queued\n");

        CliRunner.Result resume = cli().run("resume", "later");

        assertThat(resume.exitCode()).isZero();
        assertThat(resume.plainProgress()).isEqualTo("""
                resuming run later of DAG cli_fixture
                  greet                            success         try 1/1 in N.Ns
                  check                            success         try 1/1 in N.Ns
                  publish                          success         try 1/1 in N.Ns
                """ + SUCCESSFUL_SUMMARY.formatted("later"));
        CliRunner.Result again = cli().run("resume", "later");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("dagctl: run later of DAG cli_fixture already ended success; "
                + "to run tasks again: dagctl clear later\n");
    }

    @Test
    void resumingARunWhoseProcessDiedSaysTheInterruptedTryCountedAndHowToRunItAgain() {
        assertThat(cli().run("trigger", "cli_fixture", "--run-id", "crashed", "--no-wait").exitCode()).isZero();
        // What a kill -9 leaves: the run owned by a process that is gone (silent for an hour), its first task running.
        Instant killedAt = Instant.now().minusSeconds(3600);
        try (MetadataStore store = MetadataStore.open(StoreLocation.fromEnvironment(Map.of(), home))) {
            TaskInstance greet = store.taskInstances("cli_fixture", "crashed").stream()
                    .filter(t -> t.taskId().equals("greet")).findFirst().orElseThrow();
            store.write(tx -> {
                tx.updateRun(tx.findRun("cli_fixture", "crashed").orElseThrow().started(killedAt, "gone:1:1"));
                tx.updateTasks(List.of(greet.startedTry(killedAt, "gone", 1)));
            });
        }

        CliRunner.Result resume = cli().run("resume", "crashed");

        assertThat(resume.exitCode()).as(resume.err()).isEqualTo(1);
        assertThat(resume.out()).as(resume.err()).contains("run crashed of DAG cli_fixture: failed\n").endsWith("greet: the try the"
                + " crash interrupted counts as a try (as in Airflow), and no tries were left; run the failed tasks"
                + " again with: dagctl clear crashed --failed\n");
    }

    @Test
    void testRunsOnlyTheTaskAndItsUpstreamPrintingTheirLogsAndRecordsNothing() {
        CliRunner.Result test = cli().run("test", "cli_fixture", "check", "-p", "name=test");

        assertThat(test.exitCode()).isZero();
        String out = test.plainProgress().replaceAll("manual__\\S+", "<run>");
        assertThat(out).startsWith("""
                  greet                            success         try 1/1 in N.Ns
                  check                            success         try 1/1 in N.Ns

                run <run> of DAG cli_fixture: success
                  greet returned {"text":"hello test","copies":2}
                  check returned 10

                --- log of greet, try 1 ---
                """).contains("dagctl.task.cli_fixture.greet - greeting test 2 times\n")
                .contains("\n--- log of check, try 1 ---\n").doesNotContain("publish");
        assertThat(cli().runsJson()).isEqualTo("[ ]");
        assertThat(home.resolve("logs")).doesNotExist();
    }

    @Test
    void testOfAFailingTaskExitsWithOneAndShowsItsLog() throws IOException {
        Path marker = Files.writeString(home.resolve("stop"), "");

        CliRunner.Result test = cli().run("test", "cli_fixture", "check", "-p", "failWhile=" + marker);

        assertThat(test.exitCode()).isEqualTo(1);
        assertThat(test.plainOut()).contains("\n--- log of check, try 1 ---\n")
                .contains("java.lang.IllegalStateException: refusing to publish while <home>/stop exists\n")
                .doesNotContain("dagctl logs");
    }

    @Test
    void dbMigrateCreatesTheSchemaAndSaysWhere() {
        CliRunner.Result migrate = cli().run("db", "migrate");

        assertThat(migrate.exitCode()).isZero();
        assertThat(migrate.plainOut()).startsWith("metadata schema up to date in jdbc:h2:file:<home>/metadata;");
        assertThat(home.resolve("metadata.mv.db")).exists();
        assertThat(cli().run("db", "migrate").exitCode()).isZero();
    }
}
