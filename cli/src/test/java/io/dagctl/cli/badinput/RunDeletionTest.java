package io.dagctl.cli.badinput;

import static io.dagctl.cli.badinput.BadInputCli.assertUsageError;
import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.RunState;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.RunType;
import io.dagctl.internal.store.StoreLocation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dagctl runs delete RUN} and {@code dagctl db clean --before DATE} remove a run with its task instances, XCom
 * values (spilled ones too) and logs; a bad request deletes nothing.
 */
class RunDeletionTest {
    @TempDir
    Path home;

    private BadInputCli cli() {
        return new BadInputCli(home);
    }

    @Test
    void deletesARunWithItsTaskInstancesXComValuesAndLogsAndLeavesTheOthers() {
        BadInputCli cli = cli();
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "old").exitCode()).isZero();
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "kept").exitCode()).isZero();

        BadInputCli.Result delete = cli.run("runs", "delete", "old");

        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(delete.out()).isEqualTo("deleted run old of DAG cli_fixture (3 task instances, 3 XCom values, "
                + "3 log files)\n");
        assertThat(cli.runsJson()).contains("\"run_id\" : \"kept\"").doesNotContain("\"run_id\" : \"old\"");
        assertThat(home.resolve("logs/dag_id=cli_fixture/run_id=old")).doesNotExist();
        assertThat(home.resolve("logs/dag_id=cli_fixture/run_id=kept/task_id=greet/attempt=1.log")).isRegularFile();
        assertThat(cli.run("xcom", "kept", "check").out()).isEqualTo("11\n");
        BadInputCli.Result again = cli.run("trigger", "cli_fixture", "--run-id", "old");
        assertThat(again.exitCode()).as("the id is free again: " + again).isZero();
    }

    @Test
    void deletesTheXComValuesSpilledToTheObjectStore() {
        BadInputCli cli = cli().with("DAGCTL_XCOM_OBJECTSTORAGE_PATH", "s3://s3_default@dagctl/xcom")
                .with("DAGCTL_XCOM_OBJECTSTORAGE_THRESHOLD", "16");
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "spill").exitCode()).isZero();
        assertThat(spilled()).hasSize(2);

        BadInputCli.Result delete = cli.run("runs", "delete", "spill");

        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(spilled()).isEmpty();
    }

    private java.util.List<Path> spilled() {
        return BadInputCli.files(home).stream()
                .filter(p -> p.toString().contains("cli_fixture/spill/") && p.toString().endsWith(".json")).toList();
    }

    @Test
    void deletingAnUnknownRunDeletesNothing() {
        BadInputCli cli = cli();
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "kept").exitCode()).isZero();

        assertUsageError(cli.run("runs", "delete", "kep"), "unknown run 'kep' (did you mean 'kept'?)");
        assertThat(cli.runsJson()).contains("\"run_id\" : \"kept\"");
    }

    @Test
    void deletingARunIdOutsideTheGrammarNamesTheRule() {
        BadInputCli cli = cli();

        assertUsageError(cli.run("runs", "delete", "../logs"), "run id '../logs' is not valid: a run id is 1 to 200 "
                + "letters, digits and _ - . : + ~ (not only dots)");
        cli.assertNoRunAndNoLog();
    }

    @Test
    void aRunRecordedBeforeIdsWereCheckedCanStillBeDeletedAndItsLogsAreLeftWhereTheyAre() {
        BadInputCli cli = cli();
        assertThat(cli.runsJson()).isEqualTo("[ ]");
        try (MetadataStore store = MetadataStore.open(StoreLocation.fromEnvironment(Map.of(), home))) {
            Instant now = Instant.now();
            store.write(tx -> tx.insertRun(new DagRun("cli_fixture", "x/../../escaped", RunState.FAILED,
                    RunType.MANUAL, now, now, now, Map.of(), now, Optional.of(now), Optional.of(now), Optional.empty(),
                    Optional.empty())));
        }

        BadInputCli.Result delete = cli.run("runs", "delete", "x/../../escaped");

        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(delete.out()).isEqualTo("deleted run x/../../escaped of DAG cli_fixture (0 task instances, "
                + "0 XCom values, 0 log files)\n");
        assertThat(cli.runsJson()).isEqualTo("[ ]");
    }

    @Test
    void aRunThatHasNotEndedIsNotDeleted() {
        BadInputCli cli = cli();
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "waiting", "--no-wait").exitCode()).isZero();

        assertUsageError(cli.run("runs", "delete", "waiting"),
                "run waiting of DAG cli_fixture is queued; delete it once it has ended");
        assertThat(cli.runsJson()).contains("\"run_id\" : \"waiting\"");
    }

    @Test
    void cleaningBeforeADateDeletesTheRunsThatEndedBeforeItAndKeepsUnfinishedOnes() {
        BadInputCli cli = cli();
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "ended").exitCode()).isZero();
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "waiting", "--no-wait").exitCode()).isZero();

        BadInputCli.Result clean = cli.run("db", "clean", "--before", "2999-01-01");

        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        assertThat(clean.out()).isEqualTo("deleted run ended of DAG cli_fixture (3 task instances, 3 XCom values, "
                + "3 log files)\n1 run(s) that ended before 2999-01-01T00:00:00Z deleted\n");
        assertThat(cli.runsJson()).contains("\"run_id\" : \"waiting\"").doesNotContain("\"run_id\" : \"ended\"");
        assertThat(home.resolve("logs/dag_id=cli_fixture/run_id=ended")).doesNotExist();
    }

    @Test
    void cleaningBeforeADateInThePastKeepsEverything() {
        BadInputCli cli = cli();
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "recent").exitCode()).isZero();

        BadInputCli.Result clean = cli.run("db", "clean", "--before", "2000-01-01T00:00:00Z");

        assertThat(clean.out()).isEqualTo("0 run(s) that ended before 2000-01-01T00:00:00Z deleted\n");
        assertThat(cli.runsJson()).contains("\"run_id\" : \"recent\"");
    }

    @Test
    void aCleaningDateThatDoesNotParseDeletesNothing() {
        BadInputCli cli = cli();
        assertThat(cli.run("trigger", "cli_fixture", "--run-id", "recent").exitCode()).isZero();

        assertUsageError(cli.run("db", "clean", "--before", "last week"), "--before 'last week' is neither a day such "
                + "as 2026-11-01 nor an instant such as 2026-11-01T12:00:00Z");
        assertThat(cli.runsJson()).contains("\"run_id\" : \"recent\"");
    }
}
