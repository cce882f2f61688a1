package io.dagctl.cli;

import io.dagctl.internal.graph.DagGraph;
import io.dagctl.ops.Operations;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.ParamsSpec.ParamSpec;
import io.dagctl.spec.RetryPolicy;
import io.dagctl.spec.TaskSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "show", description = "Shows a DAG: schedule, params, tasks with their edges and retry policies, graph.")
final class ShowCommand implements Callable<Integer>, ReadOnlyCommand {
    enum Format { text, mermaid, dot }

    @ParentCommand
    private Dagctl dagctl;

    @Parameters(paramLabel = "DAG", description = "The DAG id.")
    private String dagId;

    @Option(names = "--graph", paramLabel = "FORMAT",
            description = "Print only the graph, as ${COMPLETION-CANDIDATES}.")
    private Optional<Format> graph;

    @Option(names = "--json", description = "Print JSON.")
    private boolean json;

    @Override
    public Integer call() {
        DagSpec dag = dagctl.catalog().get(dagId);
        PrintWriter out = dagctl.out();
        if (graph.isPresent()) {
            out.print(switch (graph.get()) {
                case text -> DagGraph.text(dag);
                case mermaid -> DagGraph.mermaid(dag);
                case dot -> DagGraph.dot(dag);
            });
            out.flush();
            return ExitCodes.OK;
        }
        Predicate<String> paused = ListCommand.pausedDags(dagctl);
        if (json) {
            out.println(Json.write(describe(dag, paused)));
            return ExitCodes.OK;
        }
        out.println("DAG " + dag.id() + (dag.description().isEmpty() ? "" : ": " + dag.description()));
        out.println("  class:      " + dag.dagClass().getName());
        out.println("  schedule:   " + (dag.schedule().isEmpty() ? Operations.startedBy(dag)
                : dag.schedule() + " (" + dag.timezone() + ")"));
        dag.triggers().triggeredBy().ifPresent(after -> out.println("  trigger:    a run of " + after.dagId()
                + " ends " + after.state().label() + after.when().map(when -> ", when " + when).orElse("")));
        out.println("  paused:     " + (paused.test(dag.id()) ? "yes" : "no"));
        dag.startDate().ifPresent(d -> out.println("  start date: " + d + (dag.catchup() ? ", catchup" : ", no catchup")));
        out.println("  tags:       " + String.join(", ", dag.tags()));
        out.println("  max active runs: " + dag.maxActiveRuns());
        if (!dag.params().params().isEmpty()) {
            out.println();
            Table params = new Table("PARAM", "TYPE", "DEFAULT", "DESCRIPTION");
            for (ParamSpec p : dag.params().params()) {
                params.row(p.name(), p.type().getSimpleName(), p.defaultValue().orElse("(required)"), p.description());
            }
            params.print(out);
        }
        out.println();
        Table tasks = new Table("TASK", "UPSTREAM", "TRIGGER RULE", "RETRIES", "TIMEOUT", "KIND", "METHOD");
        for (TaskSpec task : dag.tasks()) {
            tasks.row(task.id(), task.upstream().isEmpty() ? "-" : String.join(",", task.upstream().stream().sorted().toList()),
                    task.triggerRule().name().toLowerCase(), retries(task.retry()),
                    task.executionTimeout().map(Duration::toString).orElse("-"),
                    task.kind().name().toLowerCase(), task.location());
        }
        tasks.print(out);
        out.println();
        out.print(DagGraph.text(dag));
        out.flush();
        return ExitCodes.OK;
    }

    private static String retries(RetryPolicy retry) {
        if (retry.retries() == 0) {
            return "0";
        }
        return retry.retries() + " every " + retry.delay() + (retry.exponentialBackoff()
                ? " doubling up to " + retry.maxDelay() : "");
    }

    private static Map<String, Object> describe(DagSpec dag, Predicate<String> paused) {
        Map<String, Object> description = ListCommand.summary(dag, paused);
        description.put("start_date", dag.startDate().orElse(null));
        description.put("catchup", dag.catchup());
        description.put("max_active_runs", dag.maxActiveRuns());
        description.put("params", dag.params().params().stream().map(p -> {
            Map<String, Object> param = new LinkedHashMap<>();
            param.put("name", p.name());
            param.put("type", p.type().getSimpleName());
            param.put("default", p.defaultValue().orElse(null));
            param.put("description", p.description());
            return param;
        }).toList());
        description.put("tasks", dag.tasks().stream().map(t -> {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("task_id", t.id());
            task.put("upstream", t.upstream().stream().sorted().toList());
            task.put("downstream", List.copyOf(dag.downstream(t.id())));
            task.put("trigger_rule", t.triggerRule().name().toLowerCase());
            task.put("kind", t.kind().name().toLowerCase());
            task.put("retries", t.retry().retries());
            task.put("retry_delay", t.retry().delay());
            task.put("retry_exponential_backoff", t.retry().exponentialBackoff());
            task.put("max_retry_delay", t.retry().maxDelay());
            task.put("execution_timeout", t.executionTimeout().orElse(null));
            task.put("method", t.location());
            return task;
        }).toList());
        return description;
    }
}
