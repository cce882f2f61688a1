package io.dagctl.web;

import io.dagctl.DataInterval;
import io.dagctl.TaskState;
import io.dagctl.ops.OperationException;
import io.dagctl.ops.Operations;
import io.dagctl.ops.Operations.DagSummary;
import io.dagctl.ops.Operations.Run;
import io.dagctl.ops.Operations.TaskInstanceState;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.ParamsSpec;
import io.dagctl.spec.TaskSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1}: Airflow's stable REST API shape (snake_case fields, {@code total_entries}, {@code limit} and
 * {@code offset}) over {@link Operations}. Its contract is {@code openapi.json}, served at {@code /api/v1/openapi.json}.
 */
final class Api {
    static final int DEFAULT_LIMIT = 100;
    /** A log read returns at most this much; the client reads on from {@code next_offset}. */
    static final int LOG_CHUNK_BYTES = 256 * 1024;

    private final Operations operations;

    Api(Operations operations) {
        this.operations = operations;
    }

    /** Serves a request whose segments start with {@code api, v1}; false when no route matches. */
    boolean serve(Request request) {
        List<String> s = request.segments().subList(2, request.segments().size());
        String method = request.method();
        int n = s.size();
        if (n == 1 && s.get(0).equals("openapi.json") && method.equals("GET")) {
            request.send(200, "application/json", openApi());
            return true;
        }
        if (n >= 1 && s.get(0).equals("pools")) {
            return pools(request, s, method);
        }
        if (n == 1 && s.get(0).equals("connections") && method.equals("GET")) {
            request.json(200, page("connections", operations.connections().stream().map(Api::connection).toList(),
                    request));
            return true;
        }
        if (n == 1 && s.get(0).equals("importErrors") && method.equals("GET")) {
            List<Operations.ImportFailure> failures = operations.importFailures();
            List<Map<String, Object>> errors = new ArrayList<>();
            for (int i = 0; i < failures.size(); i++) {
                errors.add(importError(i + 1, failures.get(i)));
            }
            request.json(200, page("import_errors", errors, request));
            return true;
        }
        if (n == 0 || !s.get(0).equals("dags")) {
            return false;
        }
        if (n == 1 && method.equals("GET")) {
            List<Map<String, Object>> dags = operations.dags().stream().map(Api::dag).toList();
            request.json(200, page("dags", dags, request));
            return true;
        }
        String dagId = s.get(1);
        if (n == 2 && method.equals("GET")) {
            request.json(200, dagDetails(operations.dagSummary(dagId)));
            return true;
        }
        if (n == 2 && method.equals("PATCH")) {
            Object paused = request.jsonBody().get("is_paused");
            if (!(paused instanceof Boolean)) {
                throw new Request.BadRequest("is_paused must be true or false");
            }
            operations.setPaused(dagId, (Boolean) paused);
            request.json(200, dag(operations.dagSummary(dagId)));
            return true;
        }
        if (n == 3 && s.get(2).equals("clearTaskInstances") && method.equals("POST")) {
            Map<String, Object> body = request.jsonBody();
            String runId = string(body, "dag_run_id").orElseThrow(() -> new Request.BadRequest("dag_run_id is required"));
            List<String> cleared = operations.clear(dagId, runId, strings(body, "task_ids"),
                    Boolean.TRUE.equals(body.get("only_failed")));
            if (!cleared.isEmpty()) {
                operations.resume(dagId, runId);
            }
            request.json(200, Map.of("task_instances", cleared.stream()
                    .map(t -> Map.of("dag_id", dagId, "dag_run_id", runId, "task_id", t)).toList()));
            return true;
        }
        if (n < 3 || !s.get(2).equals("dagRuns")) {
            return false;
        }
        if (n == 3 && method.equals("GET")) {
            int limit = request.intQuery("limit", DEFAULT_LIMIT);
            int offset = request.intQuery("offset", 0);
            Operations.Page<Run> runs = operations.runs(new Operations.RunFilter(Optional.of(dagId),
                    request.query("state").map(Operations::runState), request.query("run_type"), limit, offset));
            request.json(200, Map.of("dag_runs", runs.items().stream().map(Api::run).toList(),
                    "total_entries", runs.total()));
            return true;
        }
        if (n == 3 && method.equals("POST")) {
            Map<String, Object> body = request.jsonBody();
            Run run = operations.trigger(new Operations.TriggerRequest(dagId, conf(body), string(body, "dag_run_id")));
            operations.resume(dagId, run.runId());
            request.json(200, run(run));
            return true;
        }
        String runId = s.get(3);
        if (n == 4 && method.equals("GET")) {
            request.json(200, run(operations.findRun(dagId, runId)));
            return true;
        }
        if (n == 4 && method.equals("PATCH")) {
            String state = string(request.jsonBody(), "state").orElseThrow(
                    () -> new Request.BadRequest("state is required: success or failed"));
            request.json(200, run(operations.markRun(dagId, runId, Operations.runState(state))));
            return true;
        }
        if (n == 5 && s.get(4).equals("resume") && method.equals("POST")) {
            operations.resume(dagId, runId);
            request.json(202, run(operations.findRun(dagId, runId)));
            return true;
        }
        if (n < 5 || !s.get(4).equals("taskInstances")) {
            return false;
        }
        if (n == 5 && method.equals("GET")) {
            List<TaskInstanceState> instances = operations.taskInstances(dagId, runId);
            request.json(200, page("task_instances", instances.stream().map(t -> taskInstance(dagId, runId, t))
                    .toList(), request));
            return true;
        }
        String task = s.get(5);
        if (n == 6 && method.equals("GET")) {
            request.json(200, taskInstance(dagId, runId, operations.taskInstance(dagId, runId, task)));
            return true;
        }
        if (n == 6 && method.equals("PATCH")) {
            String state = string(request.jsonBody(), "new_state").orElseThrow(
                    () -> new Request.BadRequest("new_state is required: success or failed"));
            request.json(200, taskInstance(dagId, runId, operations.markTask(dagId, runId, task, taskState(state))));
            return true;
        }
        if (n == 8 && s.get(6).equals("logs") && method.equals("GET")) {
            int attempt = tryNumber(s.get(7));
            if (request.query("download").isPresent()
                    || request.header("Accept").map(a -> a.startsWith("text/plain")).orElse(false)) {
                request.header("Content-Disposition", "attachment; filename=\"" + attempt + ".log\"");
                // Streamed a chunk at a time: a log may be larger than the webserver's memory.
                request.stream("text/plain; charset=utf-8", out -> {
                    Operations.LogChunk chunk;
                    long from = 0;
                    do {
                        chunk = operations.log(dagId, runId, task, Optional.of(attempt), from, LOG_CHUNK_BYTES);
                        try {
                            out.write(chunk.text().getBytes(StandardCharsets.UTF_8));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        from = chunk.nextOffset();
                    } while (chunk.nextOffset() > chunk.offset());
                });
                return true;
            }
            Optional<Long> before = request.query("before").map(b -> byteOffset("before", b));
            Operations.LogChunk chunk = before.isPresent() || request.query("tail").filter("true"::equals).isPresent()
                    ? operations.logBefore(dagId, runId, task, Optional.of(attempt), before, LOG_CHUNK_BYTES)
                    : operations.log(dagId, runId, task, Optional.of(attempt),
                            request.query("offset").map(o -> byteOffset("offset", o)).orElse(0L), LOG_CHUNK_BYTES);
            Map<String, Object> log = new LinkedHashMap<>();
            log.put("content", chunk.text());
            log.put("offset", chunk.offset());
            log.put("next_offset", chunk.nextOffset());
            log.put("complete", chunk.complete());
            request.json(200, log);
            return true;
        }
        if (n == 7 && s.get(6).equals("xcomEntries") && method.equals("GET")) {
            Operations.XComValue value = operations.xcom(dagId, runId, task);
            request.json(200, page("xcom_entries", List.of(xcom(dagId, runId, value)), request));
            return true;
        }
        if (n == 8 && s.get(6).equals("xcomEntries") && method.equals("GET")) {
            Operations.XComValue value = operations.xcom(dagId, runId, task);
            if (!value.key().equals(s.get(7))) {
                throw new OperationException(OperationException.Kind.NOT_FOUND, "task " + task + " of run " + runId
                        + " has no XCom value with key " + s.get(7));
            }
            request.json(200, xcom(dagId, runId, value));
            return true;
        }
        return false;
    }

    private boolean pools(Request request, List<String> s, String method) {
        if (s.size() == 1 && method.equals("GET")) {
            request.json(200, page("pools", operations.pools().stream().map(Api::pool).toList(), request));
            return true;
        }
        if ((s.size() == 1 && method.equals("POST")) || (s.size() == 2 && method.equals("PATCH"))) {
            Map<String, Object> body = request.jsonBody();
            String name = s.size() == 2 ? s.get(1)
                    : string(body, "name").orElseThrow(() -> new Request.BadRequest("name is required"));
            Object slots = body.get("slots");
            if (!(slots instanceof Integer)) {
                throw new Request.BadRequest("slots must be a whole number");
            }
            request.json(200, pool(operations.setPool(name, (Integer) slots,
                    string(body, "description").orElse(""))));
            return true;
        }
        if (s.size() == 2 && method.equals("GET")) {
            request.json(200, pool(operations.pool(s.get(1))));
            return true;
        }
        if (s.size() == 2 && method.equals("DELETE")) {
            operations.deletePool(s.get(1));
            request.send(204, "application/json", new byte[0]);
            return true;
        }
        return false;
    }

    private static Map<String, Object> page(String name, List<?> items, Request request) {
        int limit = request.intQuery("limit", DEFAULT_LIMIT);
        int offset = request.intQuery("offset", 0);
        if (limit < 1 || offset < 0) {
            throw new Request.BadRequest(limit < 1 ? "limit must be at least 1, not " + limit
                    : "offset must be at least 0, not " + offset);
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put(name, items.stream().skip(offset).limit(limit).toList());
        page.put("total_entries", items.size());
        return page;
    }

    static Map<String, Object> dag(DagSummary summary) {
        DagSpec dag = summary.dag();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dag_id", dag.id());
        json.put("description", dag.description());
        json.put("is_paused", summary.paused());
        json.put("tags", dag.tags().stream().map(t -> Map.of("name", t)).toList());
        json.put("schedule_interval", dag.schedule().isEmpty() ? null : dag.schedule());
        json.put("timetable_description", summary.startedBy());
        json.put("timezone", dag.timezone().getId());
        json.put("task_count", dag.tasks().size());
        json.put("running_runs", summary.running());
        json.put("last_runs", summary.lastRuns().stream().map(Api::run).toList());
        return json;
    }

    private Map<String, Object> dagDetails(DagSummary summary) {
        Map<String, Object> json = dag(summary);
        DagSpec dag = summary.dag();
        json.put("max_active_runs", dag.maxActiveRuns());
        List<DataInterval> next = operations.nextIntervals(dag.id(), 1);
        json.put("next_dagrun", next.isEmpty() ? null : next.get(0).start());
        json.put("next_dagrun_create_after", next.isEmpty() ? null : next.get(0).end());
        json.put("params", dag.params().params().stream().map(Api::param).toList());
        json.put("tasks", dag.tasks().stream().map(Api::task).toList());
        return json;
    }

    private static Map<String, Object> param(ParamsSpec.ParamSpec param) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", param.name());
        json.put("type", param.type().getSimpleName());
        json.put("default", param.defaultValue().orElse(null));
        json.put("description", param.description());
        if (param.type().isEnum()) {
            json.put("enum", Arrays.stream(param.type().getEnumConstants())
                    .map(c -> ((Enum<?>) c).name()).toList());
        }
        return json;
    }

    static Map<String, Object> task(TaskSpec task) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task_id", task.id());
        json.put("upstream_task_ids", task.upstream().stream().sorted().toList());
        json.put("trigger_rule", task.triggerRule().name().toLowerCase(Locale.ROOT));
        json.put("retries", task.retry().retries());
        json.put("retry_delay", task.retry().delay().toString());
        json.put("execution_timeout", task.executionTimeout().map(Object::toString).orElse(null));
        json.put("pool", task.pool());
        json.put("pool_slots", task.poolSlots());
        json.put("is_mapped", task.expandedOver().isPresent());
        return json;
    }

    static Map<String, Object> run(Run run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dag_id", run.dagId());
        json.put("dag_run_id", run.runId());
        json.put("state", run.state().label());
        json.put("run_type", run.runType());
        json.put("logical_date", run.logicalDate());
        json.put("data_interval_start", run.dataIntervalStart());
        json.put("data_interval_end", run.dataIntervalEnd());
        json.put("conf", run.params());
        json.put("start_date", run.startedAt().orElse(null));
        json.put("end_date", run.endedAt().orElse(null));
        return json;
    }

    static Map<String, Object> taskInstance(String dagId, String runId, TaskInstanceState t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dag_id", dagId);
        json.put("dag_run_id", runId);
        json.put("task_id", t.taskId());
        json.put("map_index", t.mapIndex());
        json.put("label", t.label());
        json.put("state", t.state() == TaskState.NONE ? null : t.state().label());
        json.put("try_number", t.tryNumber());
        json.put("max_tries", t.maxTries());
        json.put("start_date", t.startDate().orElse(null));
        json.put("end_date", t.endDate().orElse(null));
        json.put("duration", t.duration().map(d -> d.toMillis() / 1000.0).orElse(null));
        json.put("error", t.error().orElse(null));
        json.put("hostname", t.hostname().orElse(null));
        return json;
    }

    private static Map<String, Object> xcom(String dagId, String runId, Operations.XComValue value) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dag_id", dagId);
        json.put("dag_run_id", runId);
        json.put("task_id", value.label());
        json.put("key", value.key());
        json.put("value", value.json());
        return json;
    }

    private static Map<String, Object> pool(Operations.PoolUsage pool) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", pool.name());
        json.put("slots", pool.slots());
        json.put("occupied_slots", pool.used());
        json.put("open_slots", Math.max(0, pool.slots() - pool.used()));
        json.put("description", pool.description());
        return json;
    }

    /** Airflow's connection, without login, password, schema or extra: none of them is known here. */
    private static Map<String, Object> connection(Operations.ConnectionSummary connection) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("connection_id", connection.id());
        json.put("conn_type", connection.type());
        json.put("host", connection.host().orElse(null));
        json.put("port", connection.port().orElse(null));
        json.put("description", connection.origin());
        return json;
    }

    /** Airflow's import error: its id is its place in the list, its stack trace the message. */
    private static Map<String, Object> importError(int id, Operations.ImportFailure failure) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("import_error_id", id);
        json.put("timestamp", failure.foundAt());
        json.put("filename", failure.source());
        json.put("dag_id", failure.dagId().orElse(null));
        json.put("stack_trace", failure.message());
        return json;
    }

    /** {@code conf} holds the run's params; as {@code dagctl trigger -p}, each value is given as text. */
    private static Map<String, String> conf(Map<String, Object> body) {
        Object conf = body.getOrDefault("conf", Map.of());
        if (!(conf instanceof Map<?, ?> map)) {
            throw new Request.BadRequest("conf must be a JSON object of params");
        }
        Map<String, String> params = new LinkedHashMap<>();
        map.forEach((name, value) -> {
            if (value instanceof Map || value instanceof List) {
                throw new Request.BadRequest("conf." + name + " must be a string, number or boolean");
            }
            params.put(String.valueOf(name), String.valueOf(value));
        });
        return params;
    }

    private static Optional<String> string(Map<String, Object> body, String name) {
        Object value = body.get(name);
        if (value != null && !(value instanceof String)) {
            throw new Request.BadRequest(name + " must be a string");
        }
        return Optional.ofNullable((String) value);
    }

    private static List<String> strings(Map<String, Object> body, String name) {
        Object value = body.getOrDefault(name, List.of());
        if (!(value instanceof List<?> list) || list.stream().anyMatch(v -> !(v instanceof String))) {
            throw new Request.BadRequest(name + " must be a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    static TaskState taskState(String label) {
        try {
            return TaskState.ofLabel(label);
        } catch (IllegalArgumentException e) {
            throw new Request.BadRequest("unknown task state '" + label + "'; success or failed");
        }
    }

    private static int tryNumber(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new OperationException(OperationException.Kind.NOT_FOUND, "no try '" + text + "': tries are"
                    + " numbered from 1");
        }
    }

    private static long byteOffset(String name, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Request.BadRequest(name + " must be a whole number, not '" + text + "'");
        }
    }

    private static byte[] openApi() {
        try (InputStream in = Api.class.getResourceAsStream("openapi.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
