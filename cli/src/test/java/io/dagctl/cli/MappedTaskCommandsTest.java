package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.Connections;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.ExecutionMode;
import io.dagctl.internal.runtime.Worker;
import io.dagctl.internal.store.StoreLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instances of a mapped task, {@code weigh[0]} to {@code weigh[2]}, in trigger, status, logs and xcom, on workers
 * and in one process.
 */
@Timeout(120)
class MappedTaskCommandsTest {
    @TempDir
    Path home;
    CliRunner dagctl;
    DagRuntime workerRuntime;
    Worker worker;
    Thread workerThread;

    @BeforeEach
    void startAWorker() {
        String database = SharedPostgres.freshDatabase("cli_mapped");
        dagctl = new CliRunner(home).with(StoreLocation.DB_URL_VARIABLE, database)
                .with(DagRuntime.EXECUTOR_VARIABLE, "workers");
        workerRuntime = DagRuntime.builder()
                .environment(Map.of(StoreLocation.DB_URL_VARIABLE, database))
                .home(home)
                .parallelism(2)
                .executor(ExecutionMode.WORKERS)
                .connections(Connections.of(Map.of()))
                .dags(List.of(DagDiscovery.load(MappedFixtureDag.class)))
                .resumeInterruptedOnOpen(false)
                .build();
        worker = workerRuntime.worker();
        workerThread = new Thread(worker::run, "mapped-cli-worker");
        workerThread.start();
    }

    @AfterEach
    void stopTheWorker() throws InterruptedException {
        worker.close();
        workerThread.join(10_000);
        workerRuntime.close();
    }

    @Test
    void eachInstanceShowsAsTaskIndexAndTheMappedTaskReturnsTheirList() {
        CliRunner.Result trigger = dagctl.run("trigger", "cli_mapped", "--run-id", "weighed");

        assertThat(trigger.exitCode()).as(trigger.err()).isZero();
        assertThat(trigger.plainProgress()).contains("""
                  weigh[0]                         success         try 1/1 in N.Ns
                """).contains("""
                  weigh[2]                         success         try 1/1 in N.Ns
                """).contains("""
                run weighed of DAG cli_mapped: success
                  parcels returned ["small","medium","large"]
                  weigh returned [5,6,5]
                  total returned 16
                """);

        CliRunner.Result status = dagctl.run("status", "weighed");
        assertThat(status.exitCode()).isZero();
        assertThat(status.plainOut()).contains("\nweigh[0]  success  1/1", "\nweigh[1]  success  1/1",
                "\nweigh[2]  success  1/1", "\ntotal     success  1/1");
        assertThat(dagctl.run("status", "weighed", "--json").out())
                .contains("\"task_id\" : \"weigh\",\n    \"map_index\" : 2,");

        assertThat(dagctl.run("logs", "weighed", "weigh[1]").out()).contains("weighing the medium parcel");
        CliRunner.Result unindexed = dagctl.run("logs", "weighed", "weigh");
        assertThat(unindexed.exitCode()).isEqualTo(2);
        assertThat(unindexed.err()).isEqualTo("dagctl: task weigh of run weighed is mapped: name one of its 3"
                + " instances, weigh[0] to weigh[2]\n");
        CliRunner.Result outOfRange = dagctl.run("logs", "weighed", "weigh[7]");
        assertThat(outOfRange.exitCode()).isEqualTo(2);
        assertThat(outOfRange.err()).isEqualTo("dagctl: task weigh of run weighed has no instance [7]; its instances"
                + " are weigh[0] to weigh[2]\n");
        assertThat(dagctl.run("logs", "weighed", "total[0]").err()).isEqualTo("dagctl: task total of run weighed has"
                + " no instance [0]; it is not mapped\n");

        assertThat(dagctl.run("xcom", "weighed", "weigh").out()).isEqualTo("[ 5, 6, 5 ]\n");
        assertThat(dagctl.run("xcom", "weighed", "weigh[1]").out()).isEqualTo("6\n");
        assertThat(dagctl.run("xcom", "weighed").out()).contains("\nweigh[0]  return_value  5\n",
                "\nweigh[1]  return_value  6\n");
    }

    @Test
    void oneProcessRunsTheMappedInstancesToo() {
        CliRunner local = new CliRunner(home);

        CliRunner.Result trigger = local.run("trigger", "cli_mapped", "--run-id", "weighed_here");

        assertThat(trigger.exitCode()).as(trigger.err()).isZero();
        assertThat(trigger.plainProgress()).contains("""
                  weigh[1]                         success         try 1/1 in N.Ns
                """).contains("""
                  weigh returned [5,6,5]
                  total returned 16
                """);
        assertThat(local.run("logs", "weighed_here", "weigh[2]").out()).contains("weighing the large parcel");
    }

    @Test
    void triggerWithoutWaitingOnWorkersSaysTheWorkersExecuteTheRun() {
        CliRunner.Result trigger = dagctl.run("trigger", "cli_mapped", "--run-id", "handed", "--no-wait");

        assertThat(trigger.exitCode()).isZero();
        assertThat(trigger.out()).isEqualTo("created run handed of DAG cli_mapped\n"
                + "the workers execute it; follow it with: dagctl status handed\n");
    }

    @Test
    void aMappedTaskStillWaitingForItsListShowsAsThePlainTaskId() {
        CliRunner local = new CliRunner(home);
        assertThat(local.run("trigger", "cli_mapped", "--run-id", "pending", "--no-wait").exitCode()).isZero();

        CliRunner.Result status = local.run("status", "pending");
        assertThat(status.plainOut()).contains("\nweigh    none   0/1  -").doesNotContain("weigh[");
        assertThat(local.run("status", "pending", "--json").out())
                .contains("\"task_id\" : \"weigh\",\n    \"map_index\" : -1,");
        assertThat(local.run("logs", "pending", "weigh").err())
                .isEqualTo("dagctl: task weigh of run pending has not been tried (none)\n");
        CliRunner.Result indexed = local.run("logs", "pending", "weigh[0]");
        assertThat(indexed.exitCode()).isEqualTo(2);
        assertThat(indexed.err()).isEqualTo("dagctl: task weigh of run pending has no instances yet: it waits for the"
                + " list parcels returns\n");
        assertThat(local.run("xcom", "pending", "weigh").err())
                .isEqualTo("dagctl: task weigh of run pending has no XCom value\n");
    }
}
