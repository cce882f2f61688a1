package io.dagctl.cli;

import io.dagctl.spec.DagSpec;
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
            table.row(dag.id(), dag.schedule().isEmpty() ? "manual" : dag.schedule(), dag.tasks().size(),
                    String.join(",", dag.tags()), dag.description());
        }
        table.print(out);
        return ExitCodes.OK;
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
