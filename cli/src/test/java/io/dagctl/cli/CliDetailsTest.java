package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user meets around the commands: filters, JSON, exit codes for scripts, params of backfills. */
class CliDetailsTest {
    private static final String FIXTURES = """
            package com.example;

            import io.dagctl.*;

            public class Fixtures {
                @Dag(id = "daily_greeting", schedule = "@daily", startDate = "2024-01-01", params = Daily.Options.class)
                public static class Daily {
                    public record Options(@Param(defaultValue = "world") String name) {
                    }

                    @Task(retries = 1, retryDelay = "PT30S", executionTimeout = "PT5M")
                    public String greet(Options options) {
                        return "hello " + options.name();
                    }
                }

                @Dag(id = "branchy")
                public static class Branchy {
                    @Task(branch = true)
                    public String choose() {
                        return "left";
                    }

                    @Task(after = "choose")
                    public String left() {
                        return "went left";
                    }

                    @Task(after = "choose")
                    public String right(TaskContext context) {
                        context.log().info("tested on the right");
                        return "went right";
                    }
                }
            }
            """;

    @TempDir
    Path temp;
    Path home;
    Path dags;

    @BeforeEach
    void compileFixtures() throws IOException {
        home = temp.resolve("home");
        dags = CompiledDags.compile(temp, "Fixtures", FIXTURES);
    }

    private CliRunner.Result run(String... args) {
        String[] withDags = new String[args.length + 2];
        withDags[0] = "--dags-path";
        withDags[1] = dags.toString();
        System.arraycopy(args, 0, withDags, 2, args.length);
        return new CliRunner(home).run(withDags);
    }

    @Test
    void xcomOfATaskTheRunDoesNotHaveNamesTheClosest() {
        run("trigger", "cli_fixture", "--run-id", "r");

        CliRunner.Result xcom = run("xcom", "r", "chek");

        assertThat(xcom.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(xcom.err()).isEqualTo(
                "dagctl: run r has no task 'chek' (did you mean 'check'?); its tasks: greet, check, publish\n");
    }

    @Test
    void runsFiltersByStateAndStatusExitsOneForAFailedRunWhenAsked() throws IOException {
        Path marker = Files.writeString(Files.createDirectories(home).resolve("stop"), "");
        run("trigger", "cli_fixture", "--run-id", "good");
        run("trigger", "cli_fixture", "--run-id", "bad", "-p", "failWhile=" + marker);

        CliRunner.Result failed = run("runs", "--state", "failed");
        assertThat(failed.exitCode()).isZero();
        assertThat(failed.plainOut()).isEqualTo("""
                DAG          RUN  STATE   TYPE    LOGICAL DATE          STARTED               DURATION
                cli_fixture  bad  failed  manual  YYYY-MM-DDTHH:MM:SSZ  YYYY-MM-DDTHH:MM:SSZ  N.Ns
                """);
        CliRunner.Result typo = run("runs", "--state", "faild");
        assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).isEqualTo("dagctl: unknown run state 'faild' (did you mean 'failed'?); the states are"
                + " queued, running, success, failed\n");

        assertThat(run("status", "bad").exitCode()).isZero();
        assertThat(run("status", "bad", "--exit-code").exitCode()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(run("status", "bad", "--json", "--exit-code").exitCode()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(run("status", "good", "--exit-code").exitCode()).isZero();
    }

    @Test
    void poolsListGivesJson() {
        run("pools", "set", "postgres", "4", "--description", "the bookings database");

        CliRunner.Result pools = run("pools", "list", "--json");

        assertThat(pools.exitCode()).isZero();
        assertThat(pools.out()).isEqualTo("""
                [ {
                  "name" : "postgres",
                  "slots" : 4,
                  "used_slots" : 0,
                  "description" : "the bookings database"
                } ]
                """);
    }

    @Test
    void listAndShowSayWhetherADagIsPausedAndWhatTriggersIt() {
        assertThat(run("pause", "cli_fixture").exitCode()).isZero();

        CliRunner.Result list = run("list");
        // Column widths follow the longest id of the DAGs on the test class path, so the columns are matched by gaps.
        assertThat(list.out()).containsPattern("(?m)^DAG +SCHEDULE +PAUSED +TASKS +TAGS +DESCRIPTION$")
                .containsPattern("(?m)^cli_fixture +manual +yes +3 +fixture,fast +Greets, checks, publishes$")
                .containsPattern("(?m)^train_model +after detect_data_drift +no +2 +drift,bike-sharing +Retrains and "
                        + "publishes the bike-sharing model after drift is found$");
        assertThat(run("list", "--json").out()).contains("""
                  "dag_id" : "cli_fixture",
                  "description" : "Greets, checks, publishes",
                  "schedule" : null,
                  "trigger" : null,
                  "paused" : true,
                """).contains("""
                  "dag_id" : "train_model",
                  "description" : "Retrains and publishes the bike-sharing model after drift is found",
                  "schedule" : null,
                  "trigger" : {
                    "type" : "dag_run",
                    "dag_id" : "detect_data_drift",
                    "state" : "success",
                    "when" : "detect_drift.datasetDrift == true",
                    "params" : {
                      "driftReport" : "detect_drift.htmlReport",
                      "driftShare" : "detect_drift.driftShare"
                    }
                  },
                  "paused" : false,
                """);
        assertThat(run("show", "cli_fixture").out()).contains("""
                  schedule:   manual
                  paused:     yes
                """);
        assertThat(run("show", "train_model").out()).contains("""
                  schedule:   after detect_data_drift
                  trigger:    a run of detect_data_drift ends success, when detect_drift.datasetDrift == true
                  paused:     no
                """);
    }

    @Test
    void listsPausedStatesWithoutCreatingAHome() {
        CliRunner.Result list = new CliRunner(home).with("DAGCTL_DAGS_PAUSED_AT_CREATION", "true").run("list");

        assertThat(list.out()).containsPattern("(?m)^cli_fixture +manual +yes +3 +fixture,fast +Greets, checks, publishes$");
        assertThat(home).doesNotExist();
    }

    @Test
    void showJsonGivesDurationsInIso8601() {
        CliRunner.Result show = run("show", "daily_greeting", "--json");

        assertThat(show.out()).contains("""
                    "retries" : 1,
                    "retry_delay" : "PT30S",
                    "retry_exponential_backoff" : false,
                    "max_retry_delay" : "PT24H",
                    "execution_timeout" : "PT5M",
                """);
    }

    @Test
    void backfillGivesItsParamsToTheRunsItCreates() {
        CliRunner.Result backfill = run("backfill", "daily_greeting", "--from", "2024-01-01", "--to", "2024-01-02",
                "-p", "name=backfill");

        assertThat(backfill.exitCode()).isZero();
        assertThat(backfill.out()).isEqualTo("""
                LOGICAL DATE             RUN                                  ACTION
                2024-01-01 00:00 +00:00  backfill__2024-01-01T00:00:00+00:00  create
                2024-01-02 00:00 +00:00  backfill__2024-01-02T00:00:00+00:00  create
                run backfill__2024-01-01T00:00:00+00:00 ended success
                run backfill__2024-01-02T00:00:00+00:00 ended success
                backfill of DAG daily_greeting: 2 run(s) succeeded, 0 failed
                """);
        assertThat(run("xcom", "backfill__2024-01-02T00:00:00+00:00", "greet").out()).isEqualTo("\"hello backfill\"\n");

        CliRunner.Result typo = run("backfill", "daily_greeting", "--from", "2024-01-03", "--to", "2024-01-03",
                "-p", "nme=x");
        assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).isEqualTo("dagctl: unknown param 'nme' for DAG daily_greeting (did you mean 'name'?)\n");
    }

    @Test
    void testRunsATaskBehindABranchThatPicksAnotherPath() {
        CliRunner.Result test = run("test", "branchy", "right");

        assertThat(test.exitCode()).isZero();
        assertThat(test.plainProgress()).startsWith("""
                testing right: the branch and short-circuit tasks upstream of it (choose) run as plain tasks, so that \
                it runs whatever they pick
                  choose                           success         try 1/1 in N.Ns
                  right                            success         try 1/1 in N.Ns
                """).contains("""
                  choose returned "left"
                  right returned "went right"
                """).contains("dagctl.task.branchy.right - tested on the right");

        CliRunner.Result branch = run("test", "branchy", "choose");
        assertThat(branch.exitCode()).as(branch.toString()).isZero();
        assertThat(branch.plainProgress()).startsWith("""
                  choose                           success         try 1/1 in N.Ns

                run manual__""").contains("""
                  choose returned "left"
                """);
    }
}
