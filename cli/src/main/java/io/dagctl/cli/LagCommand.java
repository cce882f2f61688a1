package io.dagctl.cli;

import io.dagctl.hooks.kafka.KafkaRecordSource;
import io.dagctl.internal.schedule.ObjectSource;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.spec.DagSpec;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "lag", description = "Shows, for each DAG triggered by Kafka records, how many records of its topic no"
        + " run covers yet.")
final class LagCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Override
    public Integer call() {
        List<DagSpec> dags = dagctl.catalog().all().stream()
                .filter(d -> d.triggers().kafkaRecords().isPresent()).toList();
        if (dags.isEmpty()) {
            dagctl.out().println("no DAG is triggered by Kafka records");
            return ExitCodes.OK;
        }
        try (SchedulerStore store = SchedulerStore.open(dagctl.store().location());
             KafkaRecordSource records = new KafkaRecordSource(dagctl.connections())) {
            Scheduler scheduler = new Scheduler(dagctl.runtime(), store, dags, Clock.systemUTC(), ObjectSource.NONE,
                    records, false);
            Table table = new Table("DAG", "TOPIC", "LAG");
            for (DagSpec dag : dags) {
                table.row(dag.id(), dag.triggers().kafkaRecords().orElseThrow().topic(), scheduler.kafkaLag(dag));
            }
            table.print(dagctl.out());
        }
        return ExitCodes.OK;
    }
}
