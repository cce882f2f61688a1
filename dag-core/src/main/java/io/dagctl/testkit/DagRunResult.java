package io.dagctl.testkit;

import io.dagctl.RunState;
import io.dagctl.TaskState;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.xcom.XComCodec;
import io.dagctl.spec.DagSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/** What a {@link DagTestKit} run left: plain values, for AssertJ's {@code assertThat}. */
public final class DagRunResult {
    private final DagSpec dag;
    private final RunResult result;
    private final Map<String, String> values;
    private final Set<String> stubbed;
    private final XComCodec codec;
    private final BiFunction<String, Integer, Path> logs;

    DagRunResult(DagSpec dag, RunResult result, Map<String, String> values, Set<String> stubbed, XComCodec codec,
            BiFunction<String, Integer, Path> logs) {
        this.dag = dag;
        this.result = result;
        this.values = Map.copyOf(values);
        this.stubbed = Set.copyOf(stubbed);
        this.codec = codec;
        this.logs = logs;
    }

    /** The id of the run the kit created, {@code manual__<logical date>}. */
    public String runId() {
        return result.runId();
    }

    /** How the run ended. */
    public RunState runState() {
        return result.state();
    }

    /** How the task ended (or {@code none} when the run never reached it). */
    public TaskState taskState(String taskId) {
        return instance(taskId).state();
    }

    /** Every task's state, in the DAG's order. */
    public Map<String, TaskState> taskStates() {
        Map<String, TaskState> states = new LinkedHashMap<>();
        dag.tasks().forEach(t -> states.put(t.id(), taskState(t.id())));
        return states;
    }

    /** How many tries the task took: 0 when it was never tried, or was stubbed. */
    public int tries(String taskId) {
        int tried = instance(taskId).tryNumber();
        return stubbed.contains(taskId) ? 0 : tried;
    }

    /** The failure of the task's last try, secrets masked. */
    public Optional<String> error(String taskId) {
        return instance(taskId).error();
    }

    /** The value the task returned, read as {@code type}. */
    public <T> T xcom(String taskId, Class<T> type) {
        return type.cast(xcom(taskId, (Type) type));
    }

    /** The value the task returned, read as a generic type ({@code List<Station>}, say). */
    public Object xcom(String taskId, Type type) {
        return codec.fromJson(xcomJson(taskId), type, taskId);
    }

    /** The value the task returned, as the JSON stored in XCom. */
    public String xcomJson(String taskId) {
        String json = values.get(taskId);
        if (json == null) {
            throw new IllegalArgumentException("task '" + taskId + "' of DAG " + dag.id() + " left no value in XCom"
                    + " (it is " + taskState(taskId).label() + ")");
        }
        return json;
    }

    /** The log of the task's last try (of its stub, when stubbed). */
    public String log(String taskId) {
        return log(taskId, Math.max(1, tries(taskId)));
    }

    /** The log of try {@code attempt} (1 for the first) of the task; empty when there was no such try. */
    public String log(String taskId, int attempt) {
        Path path = logs.apply(taskId, attempt);
        try {
            return Files.exists(path) ? Files.readString(path) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the task log " + path, e);
        }
    }

    private TaskInstance instance(String taskId) {
        dag.task(taskId);
        return result.task(taskId);
    }

    @Override
    public String toString() {
        return "run " + runId() + " of DAG " + dag.id() + ": " + runState().label() + " " + taskStates();
    }
}
