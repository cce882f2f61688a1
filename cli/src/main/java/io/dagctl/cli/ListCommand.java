package io.dagctl.cli;

import io.dagctl.ops.Operations;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.Triggers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "list", description = "Lists the DAGs found on the class path and the DAGs path.")
final class ListCommand implements Callable<Integer>, ReadOnlyCommand {
    @ParentCommand
    private Dagctl dagctl;

    @Option(names = "--json", description = "Print JSON.")
    private boolean json;

    @Override
    public Integer call() {
        var out = dagctl.out();
        // Loaded first, so that no warning repeats the import errors the list shows.
        DagCatalog catalog = dagctl.catalogWithoutWarnings();
        Predicate<String> paused = pausedDags(dagctl);
        if (json) {
            out.println(Json.write(catalog.all().stream().map(dag -> summary(dag, paused)).toList()));
            return ExitCodes.OK;
        }
        Table table = new Table("DAG", "SCHEDULE", "PAUSED", "TASKS", "TAGS", "DESCRIPTION");
        for (DagSpec dag : catalog.all()) {
            table.row(dag.id(), Operations.startedBy(dag), paused.test(dag.id()) ? "yes" : "no",
                    dag.tasks().size(), String.join(",", dag.tags()), dag.description());
        }
        table.print(out);
        if (!catalog.importErrors().isEmpty()) {
            // Airflow's import errors: the DAGs that did not load, apart from those that did.
            out.println();
            out.println("IMPORT ERRORS");
            catalog.importErrors().forEach(e -> out.println("  " + e.message().replace("\n", "\n  ")));
        }
        return ExitCodes.OK;
    }

    /**
     * Which DAGs are paused: as {@code dagctl pause} recorded, else as {@code DAGCTL_DAGS_PAUSED_AT_CREATION} says
     * the scheduler will start them. A home without a metadata database is left as it is, not given one.
     */
    static Predicate<String> pausedDags(Dagctl dagctl) {
        Operations operations = dagctl.operations();
        Map<String, Boolean> paused = dagctl.hasRecordedRuns() ? operations.pausedStates() : Map.of();
        return dagId -> paused.getOrDefault(dagId, operations.pausedAtCreation());
    }

    static Map<String, Object> summary(DagSpec dag, Predicate<String> paused) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("dag_id", dag.id());
        summary.put("description", dag.description());
        summary.put("schedule", dag.schedule().isEmpty() ? null : dag.schedule());
        summary.put("trigger", trigger(dag.triggers()));
        summary.put("paused", paused.test(dag.id()));
        summary.put("timezone", dag.timezone().getId());
        summary.put("tags", dag.tags());
        summary.put("tasks", dag.tasks().size());
        summary.put("class", dag.dagClass().getName());
        return summary;
    }

    /** What starts the DAG's runs besides its schedule and users, as JSON; {@code null} when nothing does. */
    private static Map<String, Object> trigger(Triggers triggers) {
        Map<String, Object> trigger = new LinkedHashMap<>();
        if (triggers.triggeredBy().isPresent()) {
            Triggers.CompletionTrigger after = triggers.triggeredBy().get();
            trigger.put("type", "dag_run");
            trigger.put("dag_id", after.dagId());
            trigger.put("state", after.state().label());
            trigger.put("when", after.when().map(Object::toString).orElse(null));
            Map<String, String> params = new TreeMap<>();
            after.params().forEach((name, path) -> params.put(name, path.toString()));
            trigger.put("params", params);
        } else if (triggers.newObjects().isPresent()) {
            Triggers.NewObjectsTrigger objects = triggers.newObjects().get();
            trigger.put("type", "new_objects");
            trigger.put("bucket", objects.bucket());
            trigger.put("prefix", objects.prefix());
            trigger.put("every", objects.every());
        } else if (!triggers.assets().isEmpty()) {
            trigger.put("type", "assets");
            trigger.put("assets", triggers.assets());
        } else {
            return null;
        }
        return trigger;
    }
}
