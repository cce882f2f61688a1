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
import java.util.function.BiFunction;

/** What a {@link DagTestKit} run left: plain values, for AssertJ's {@code assertThat}. */
public final class DagRunResult {
    private final DagSpec dag;
    private final RunResult result;
    private final Map<String, String> values;
    private final XComCodec codec;
    private final BiFunction<String, Integer, Path> logs;

    DagRunResult(DagSpec dag, RunResult result, Map<String, String> values, XComCodec codec,
            BiFunction<String, Integer, Path> logs) {
        this.dag = dag;
        this.result = result;
        this.values = Map.copyOf(values);
        this.codec = codec;
        this.logs = logs;
    }

    public String runId() {
        return result.runId();
    }

    public RunState runState() {
        return result.state();
    }

    public TaskState taskState(String taskId) {
        return instance(taskId).state();
    }

    /** Every task's state, in the DAG's order. */
    public Map<String, TaskState> taskStates() {
        Map<String, TaskState> states = new LinkedHashMap<>();
        dag.tasks().forEach(t -> states.put(t.id(), taskState(t.id())));
        return states;
    }

    /** How many tries the task took (0 when it was never tried). */
    public int tries(String taskId) {
        return instance(taskId).tryNumber();
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

    /** The log of the task's last try. */
    public String log(String taskId) {
        return log(taskId, Math.max(1, tries(taskId)));
    }

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
