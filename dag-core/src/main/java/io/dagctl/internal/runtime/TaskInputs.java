package io.dagctl.internal.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.store.XComEntry;
import io.dagctl.internal.xcom.XComException;
import io.dagctl.internal.xcom.XComKey;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The XCom values a try reads. A mapped task's value, as its downstream tasks receive it, is the list of its
 * instances' values in map index order; a mapped instance receives its own element of the list it is expanded over.
 */
final class TaskInputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskInputs() {
    }

    /** The ids of the tasks whose values {@code spec} reads. */
    static Set<String> sources(TaskSpec spec) {
        Set<String> sources = new LinkedHashSet<>();
        for (ArgumentSpec argument : spec.arguments()) {
            if (argument instanceof ArgumentSpec.Upstream upstream) {
                sources.add(upstream.taskId());
            } else if (argument instanceof ArgumentSpec.Expanded expanded) {
                sources.add(expanded.taskId());
            }
        }
        return sources;
    }

    /** The inputs of a try of {@code spec} (instance {@code mapIndex}), from the rows of its source tasks. */
    static TaskInvoker.Inputs of(DagRuntime runtime, DagSpec dag, String runId, TaskSpec spec, int mapIndex,
            List<XComEntry> sourceRows) {
        Map<String, List<XComEntry>> bySource = new HashMap<>();
        for (XComEntry row : sourceRows) {
            bySource.computeIfAbsent(row.taskId(), id -> new ArrayList<>()).add(row);
        }
        Map<String, String> values = new HashMap<>();
        for (String source : sources(spec)) {
            valueJson(runtime, runtime.shape(dag).task(source), dag.id(), runId, bySource.getOrDefault(source, List.of()))
                    .ifPresent(json -> values.put(source, json));
        }
        Optional<String> element = spec.expandedOver().map(over -> element(spec, over, values.get(over), mapIndex));
        return new TaskInvoker.Inputs(values, element, mapIndex);
    }

    /** The value of {@code source} as its downstream tasks receive it. */
    static Optional<String> valueJson(DagRuntime runtime, TaskSpec source, String dagId, String runId,
            List<XComEntry> rows) {
        if (source.expandedOver().isEmpty()) {
            return rows.stream().filter(r -> r.mapIndex() < 0).findFirst()
                    .map(r -> runtime.xcomBackend.load(new XComKey(dagId, runId, source.id()), r.storedValue()));
        }
        return Optional.of(list(rows.stream().filter(r -> r.mapIndex() >= 0)
                .sorted((a, b) -> Integer.compare(a.mapIndex(), b.mapIndex()))
                .map(r -> runtime.xcomBackend.load(new XComKey(dagId, runId, r.label()), r.storedValue()))
                .toList()));
    }

    /** The JSON list of the given JSON values, in order. */
    static String list(List<String> elementsJson) {
        return "[" + String.join(",", elementsJson) + "]";
    }

    /** How a mapped task expands: into {@code size} instances (none: skipped), or not at all, failing with error. */
    record Expansion(int size, Optional<String> error) {
    }

    /** The expansion of {@code spec} over the value its list task returned (empty when it returned none). */
    static Expansion expansion(TaskSpec spec, Optional<String> listJson) {
        String over = spec.expandedOver().orElseThrow();
        JsonNode list;
        try {
            list = listJson.isEmpty() ? null : JSON.readTree(listJson.get());
        } catch (JsonProcessingException e) {
            list = null;
        }
        if (list == null || !list.isArray()) {
            return new Expansion(0, Optional.of("task '" + spec.id() + "' is expanded over the value of '" + over
                    + "', which is " + (listJson.isEmpty() ? "missing" : "not a list") + "; '" + over
                    + "' must return a List"));
        }
        return new Expansion(list.size(), Optional.empty());
    }

    /** The JSON of element {@code mapIndex} of the list a mapped task is expanded over. */
    static String element(TaskSpec spec, String over, String listJson, int mapIndex) {
        if (listJson == null) {
            throw new XComException("mapped task '" + spec.id() + "' has no list from '" + over + "' to take element "
                    + mapIndex + " of");
        }
        try {
            JsonNode list = JSON.readTree(listJson);
            if (!list.isArray() || mapIndex < 0 || mapIndex >= list.size()) {
                throw new XComException("mapped task '" + spec.id() + "' instance " + mapIndex + " has no element in"
                        + " the value of '" + over + "'");
            }
            return JSON.writeValueAsString(list.get(mapIndex));
        } catch (JsonProcessingException e) {
            throw new XComException("the value of task '" + over + "' is not JSON: " + e.getOriginalMessage());
        }
    }
}
