package io.dagctl.cli;

import io.dagctl.spec.DagSpec;
import io.dagctl.spec.Triggers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "list", description = "Lists the DAGs found on the class path and the DAGs path.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Option(names = "--json", description = "Print JSON.")
    private boolean json;

    @Override
    public Integer call() {
        var out = dagctl.out();
        if (json) {
            out.println(Json.write(dagctl.catalog().all().stream().map(ListCommand::summary).toList()));
            return ExitCodes.OK;
        }
        Table table = new Table("DAG", "SCHEDULE", "TASKS", "TAGS", "DESCRIPTION");
        for (DagSpec dag : dagctl.catalog().all()) {
            table.row(dag.id(), startedBy(dag), dag.tasks().size(),
                    String.join(",", dag.tags()), dag.description());
        }
        table.print(out);
        return ExitCodes.OK;
    }

    /** What starts the DAG's runs besides a user: its cron schedule or the event it waits for. */
    static String startedBy(DagSpec dag) {
        if (!dag.schedule().isEmpty()) {
            return dag.schedule();
        }
        Triggers triggers = dag.triggers();
        if (triggers.triggeredBy().isPresent()) {
            return "after " + triggers.triggeredBy().get().dagId();
        }
        if (triggers.newObjects().isPresent()) {
            return "new objects in s3://" + triggers.newObjects().get().bucket() + "/" + triggers.newObjects().get().prefix();
        }
        if (triggers.kafkaRecords().isPresent()) {
            return "records of topic " + triggers.kafkaRecords().get().topic();
        }
        if (!triggers.assets().isEmpty()) {
            return "assets " + String.join(", ", triggers.assets());
        }
        return "manual";
    }

    static Map<String, Object> summary(DagSpec dag) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("dag_id", dag.id());
        summary.put("description", dag.description());
        summary.put("schedule", dag.schedule().isEmpty() ? null : dag.schedule());
        summary.put("timezone", dag.timezone().getId());
        summary.put("tags", dag.tags());
        summary.put("tasks", dag.tasks().size());
        summary.put("class", dag.dagClass().getName());
        return summary;
    }
}
