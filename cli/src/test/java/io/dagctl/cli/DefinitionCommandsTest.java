package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands that only read DAG definitions: list and show, their errors, usage and help. */
class DefinitionCommandsTest {
    @TempDir
    Path home;

    private CliRunner cli() {
        return new CliRunner(home);
    }

    @Test
    void listPrintsEveryDiscoveredDagAsATableWithoutCreatingAnyState() throws IOException {
        CliRunner.Result list = cli().run("list");

        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).isEqualTo("""
                DAG                     SCHEDULE                                  PAUSED  TASKS  TAGS                    DESCRIPTION
                airbnb_user_bookings    manual                                    no      3      synthetics,airbnb       Booking features from Postgres, a private synthetic copy of them in S3
                cancer_online_training  records of topic cancer-train             no      2      streaming,cancer        Trains the cancer classifier batch by batch on cancer-train and scores it on cancer-test
                cancer_stream_produce   manual                                    no      1      streaming,cancer        Produces the Breast Cancer Wisconsin samples to the cancer-train and cancer-test topics
                cli_fixture             manual                                    no      3      fixture,fast            Greets, checks, publishes
                cli_leaky               manual                                    no      3      fixture                 Leaks the vault password everywhere it can
                cli_mapped              manual                                    no      3      fixture                 Weighs three parcels, one instance each
                detect_data_drift       0 11 * * MON                              no      6      drift,bike-sharing      Drift of bike-sharing data against its reference; on drift, Slack (then train_model)
                ingest_bike_drops       new objects in s3://bike-drops/incoming/  no      2      bike-sharing,ingestion  Loads bike-sharing CSVs dropped in S3 into PostgreSQL
                train_model             after detect_data_drift                   no      2      drift,bike-sharing      Retrains and publishes the bike-sharing model after drift is found
                """);
        assertThat(list.err()).isEmpty();
        try (Stream<Path> created = Files.list(home)) {
            assertThat(created).as("no metadata database, no embedded service").isEmpty();
        }
    }

    @Test
    void listJsonDescribesEachDag() {
        CliRunner.Result list = cli().run("list", "--json");

        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).startsWith("[ {\n  \"dag_id\" : \"airbnb_user_bookings\",").contains("""
                }, {
                  "dag_id" : "cli_fixture",
                  "description" : "Greets, checks, publishes",
                  "schedule" : null,
                  "trigger" : null,
                  "paused" : false,
                  "timezone" : "UTC",
                  "tags" : [ "fixture", "fast" ],
                  "tasks" : 3,
                  "class" : "io.dagctl.cli.FixtureDag"
                }, {
                  "dag_id" : "cli_leaky",
                """).contains("""
                  "dag_id" : "detect_data_drift",
                  "description" : "Drift of bike-sharing data against its reference; on drift, Slack (then train_model)",
                  "schedule" : "0 11 * * MON",
                  "trigger" : null,
                  "paused" : false,
                  "timezone" : "UTC",
                """).endsWith("} ]\n");
    }

    @Test
    void showPrintsScheduleParamsTasksAndTheGraph() {
        CliRunner.Result show = cli().run("show", "cli_fixture");

        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).isEqualTo("""
                DAG cli_fixture: Greets, checks, publishes
                  class:      io.dagctl.cli.FixtureDag
                  schedule:   manual
                  paused:     no
                  tags:       fixture, fast
                  max active runs: 16

                PARAM      TYPE    DEFAULT  DESCRIPTION
                name       String  world    Who is greeted
                copies     int     2        How many times (1 to 5)
                failWhile  String           check fails while this file exists

                TASK     UPSTREAM     TRIGGER RULE  RETRIES  TIMEOUT  KIND   METHOD
                greet    -            all_success   0        -        plain  FixtureDag.greet
                check    greet        all_success   0        -        plain  FixtureDag.check
                publish  check,greet  all_success   0        -        plain  FixtureDag.publish

                greet
                ├── check
                │   └── publish
                └── publish (see above)
                """);
    }

    @Test
    void showJsonGivesTasksWithTheirEdgesAndTheParams() {
        CliRunner.Result show = cli().run("show", "cli_fixture", "--json");

        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).startsWith("""
                {
                  "dag_id" : "cli_fixture",
                  "description" : "Greets, checks, publishes",
                  "schedule" : null,
                  "trigger" : null,
                  "paused" : false,
                  "timezone" : "UTC",
                  "tags" : [ "fixture", "fast" ],
                  "tasks" : [ {
                    "task_id" : "greet",
                    "upstream" : [ ],
                    "downstream" : [ "check", "publish" ],
                    "trigger_rule" : "all_success",
                    "kind" : "plain",
                    "retries" : 0,
                """).contains("""
                    "task_id" : "publish",
                    "upstream" : [ "check", "greet" ],
                    "downstream" : [ ],
                """).endsWith("""
                  "params" : [ {
                    "name" : "name",
                    "type" : "String",
                    "default" : "world",
                    "description" : "Who is greeted"
                  }, {
                    "name" : "copies",
                    "type" : "int",
                    "default" : "2",
                    "description" : "How many times (1 to 5)"
                  }, {
                    "name" : "failWhile",
                    "type" : "String",
                    "default" : "",
                    "description" : "check fails while this file exists"
                  } ]
                }
                """);
    }

    @Test
    void showGraphPrintsOnlyTheGraphAsTextMermaidOrDot() {
        assertThat(cli().run("show", "cli_fixture", "--graph", "text").out()).isEqualTo("""
                greet
                ├── check
                │   └── publish
                └── publish (see above)
                """);
        assertThat(cli().run("show", "cli_fixture", "--graph", "mermaid").out()).isEqualTo("""
                flowchart LR
                    greet
                    check
                    publish
                    greet --> check
                    greet --> publish
                    check --> publish
                """);
        assertThat(cli().run("show", "cli_fixture", "--graph", "dot").out()).isEqualTo("""
                digraph "cli_fixture" {
                    rankdir=LR;
                    node [shape=box];
                    "greet";
                    "check";
                    "publish";
                    "greet" -> "check";
                    "greet" -> "publish";
                    "check" -> "publish";
                }
                """);
    }

    @Test
    void anUnknownGraphFormatIsAUsageErrorNamingTheFormats() {
        CliRunner.Result show = cli().run("show", "cli_fixture", "--graph", "svg");

        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.err()).isEqualTo("dagctl show: invalid value for option '--graph': expected one of [text, "
                + "mermaid, dot] (case-sensitive) but was 'svg'\n");
    }

    @Test
    void aMisspeltDagIsAUsageErrorThatSuggestsTheClosestId() {
        CliRunner.Result show = cli().run("show", "cli_fixtur");

        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.out()).isEmpty();
        assertThat(show.err()).isEqualTo("dagctl: unknown DAG 'cli_fixtur' (did you mean 'cli_fixture'?); known DAGs: "
                + "airbnb_user_bookings, cancer_online_training, cancer_stream_produce, cli_fixture, cli_leaky, "
                + "cli_mapped, detect_data_drift, ingest_bike_drops, train_model\n");
    }

    @Test
    void anUnknownDagWithNoCloseIdListsTheKnownOnes() {
        CliRunner.Result trigger = cli().run("trigger", "nightly_export");

        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.err()).isEqualTo("dagctl: unknown DAG 'nightly_export'; known DAGs: "
                + "airbnb_user_bookings, cancer_online_training, cancer_stream_produce, cli_fixture, cli_leaky, "
                + "cli_mapped, detect_data_drift, ingest_bike_drops, train_model\n");
        assertThat(cli().runsJson()).isEqualTo("[ ]");
    }

    @Test
    void noCommandPrintsUsageAndExitsWithTwo() {
        CliRunner.Result bare = cli().run();

        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.out()).isEmpty();
        assertThat(bare.err()).startsWith("dagctl: missing required subcommand\nUsage: dagctl [-hV] [--dags-path=PATH[:PATH...]]... [COMMAND]\n")
                .contains("\nCommands:\n  list        Lists the DAGs found on the class path and the DAGs path.\n")
                .endsWith("""
                        Exit codes:
                          0     success
                          1     a run or task failed
                          2     usage error, unknown DAG/task/run, or DAG definition error
                          130   trigger stopped by Ctrl-C or SIGTERM; the run is resumable
                        """);
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "show", "trigger", "test", "runs", "status", "logs", "xcom", "clear", "resume",
        "db", "db migrate", "demo seed", "synthetics serve", "scheduler", "pause", "unpause", "backfill", "next"})
    void everyCommandExplainsItselfWithHelp(String command) {
        String[] args = (command + " --help").split(" ");

        CliRunner.Result help = cli().run(args);

        assertThat(help.exitCode()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).startsWith("Usage: dagctl " + command + " [-hV]").contains("  -h, --help ");
    }

    @Test
    void helpSaysWhatTheDagsPathTakes() {
        CliRunner.Result help = cli().run("--help");

        assertThat(help.out().replaceAll("\\s+", " ")).contains("--dags-path=PATH[:PATH...] More DAG bundles, separated"
                + " by ':' (added to DAGCTL_DAGS_PATH): Maven project directories, jars or class directories.");
    }

    @Test
    void helpNamesAnyCommandAndAnUnknownCommandGetsSuggestions() {
        CliRunner.Result help = cli().run("help", "trigger");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).isEqualTo(cli().run("trigger", "--help").out());

        CliRunner.Result unknown = cli().run("stauts", "r1");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("dagctl: unknown command 'stauts' (did you mean 'status'?)\n");
    }

    @Test
    void triggerHelpDescribesItsParamsAndWaiting() {
        CliRunner.Result help = cli().run("trigger", "--help");

        assertThat(help.out()).isEqualTo("""
                Usage: dagctl trigger [-hV] [--[no-]wait] [--run-id=ID] [-p=NAME=VALUE]... DAG
                Creates a manual run of a DAG and executes it, showing task states as they
                change.
                      DAG                  The DAG id.
                  -h, --help               Show this help message and exit.
                  -p, --param=NAME=VALUE   A run parameter; repeatable.
                      --run-id=ID          The run id; manual__<time> by default.
                  -V, --version            Print version information and exit.
                      --[no-]wait          Execute the run in this process and show its
                                             progress until it ends (default); --no-wait only
                                             records it, for `dagctl resume`.

                Exit codes:
                  0     success
                  1     a run or task failed
                  2     usage error, unknown DAG/task/run, or DAG definition error
                  130   trigger stopped by Ctrl-C or SIGTERM; the run is resumable
                """);
    }
}
