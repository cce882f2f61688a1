package io.dagctl.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dagctl.DataInterval;
import io.dagctl.RunState;
import io.dagctl.Secrets;
import io.dagctl.TaskState;
import io.dagctl.ops.Ids;
import io.dagctl.ops.OperationException;
import io.dagctl.ops.Operations;
import io.dagctl.ops.Operations.DagSummary;
import io.dagctl.ops.Operations.Run;
import io.dagctl.ops.Operations.TaskInstanceState;
import io.dagctl.ops.Operations.TaskStateOfRun;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.ParamsSpec.ParamSpec;
import io.dagctl.spec.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The server-rendered pages. Every value goes through {@link Html#text}; the one script, {@code /static/app.js},
 * keeps states current by polling {@code /ui/states} and follows live logs through the REST API.
 */
final class Pages {
    static final String CSRF_FIELD = "csrf_token";
    /** How many tasks the DAG page lists unfolded. */
    static final int FOLDED_TASKS = 100;
    /** How many runs the grid shows, newest on the right. */
    static final int GRID_RUNS = 25;
    /** Which of a mapped task's instance states its grid cell shows: the first present in this order. */
    private static final List<TaskState> SHOWN_FIRST = List.of(TaskState.FAILED, TaskState.UPSTREAM_FAILED,
            TaskState.RUNNING, TaskState.UP_FOR_RETRY, TaskState.QUEUED, TaskState.SCHEDULED, TaskState.NONE,
            TaskState.SKIPPED, TaskState.SUCCESS);

    /** The states a grid row's digits stand for, in this order: ten at most. */
    private static final List<TaskState> GRID_STATES = List.of(TaskState.values());

    private final Operations operations;
    private final Auth auth;

    Pages(Operations operations, Auth auth) {
        this.operations = operations;
        this.auth = auth;
    }

    boolean serve(Request request, Optional<Auth.Session> existing) {
        Auth.Session session = existing.orElseGet(() -> {
            Auth.Session visitor = auth.visitor();
            request.header("Set-Cookie", Auth.cookieHeader(visitor, Auth.SESSION_LENGTH));
            return visitor;
        });
        List<String> s = request.segments();
        String method = request.method();
        int n = s.size();
        if (n == 0 && method.equals("GET")) {
            request.html(200, dagList(session, request));
            return true;
        }
        if (n == 1 && s.get(0).equals("login")) {
            login(request, existing);
            return true;
        }
        if (n == 1 && s.get(0).equals("logout") && method.equals("POST")) {
            request.header("Set-Cookie", Auth.cookieHeader(auth.visitor(), Duration.ZERO));
            request.redirect("/login");
            return true;
        }
        if (n == 2 && s.get(0).equals("ui") && s.get(1).equals("states") && method.equals("GET")) {
            request.json(200, states(request.query("dag_id"), request.query("run_id"), request.query("unfinished")
                    .map(runs -> Set.of(runs.split(","))).orElse(Set.of())));
            return true;
        }
        if (n >= 1 && s.get(0).equals("pools")) {
            return pools(request, session, s, method);
        }
        if (n == 1 && s.get(0).equals("connections") && method.equals("GET")) {
            request.html(200, connectionList(session));
            return true;
        }
        if (n == 1 && s.get(0).equals("runs") && method.equals("GET")) {
            request.html(200, runList(session, request));
            return true;
        }
        if (n < 2 || !s.get(0).equals("dags")) {
            return false;
        }
        String dagId = s.get(1);
        if (n == 2 && method.equals("GET")) {
            request.html(200, dagPage(session, operations.dagSummary(dagId), request.query("run_id")));
            return true;
        }
        if (n == 3 && s.get(2).equals("pause") && method.equals("POST")) {
            operations.setPaused(dagId, "true".equals(request.form().get("paused")));
            request.redirect(request.form().getOrDefault("back", "/").startsWith("/dags/") ? "/dags/" + seg(dagId)
                    : "/");
            return true;
        }
        if (n == 3 && s.get(2).equals("trigger")) {
            trigger(request, session, operations.dag(dagId));
            return true;
        }
        if (n < 4 || !s.get(2).equals("runs")) {
            return false;
        }
        String runId = s.get(3);
        String runPath = "/dags/" + seg(dagId) + "/runs/" + seg(runId);
        if (n == 4 && method.equals("GET")) {
            request.html(200, runPage(session, operations.dag(dagId), operations.findRun(dagId, runId)));
            return true;
        }
        if (n == 5 && method.equals("POST")) {
            Map<String, String> form = request.form();
            switch (s.get(4)) {
                case "clear" -> {
                    List<String> cleared = operations.clear(dagId, runId, form.getOrDefault("task_id", "").isEmpty()
                            ? List.of() : List.of(form.get("task_id")), "true".equals(form.get("only_failed")));
                    if (!cleared.isEmpty()) {
                        operations.resume(dagId, runId);
                    }
                }
                case "mark" -> {
                    String task = form.getOrDefault("task", "");
                    if (task.isEmpty()) {
                        operations.markRun(dagId, runId, Operations.runState(form.getOrDefault("state", "")));
                    } else {
                        operations.markTask(dagId, runId, task, Api.taskState(form.getOrDefault("state", "")));
                    }
                }
                case "resume" -> operations.resume(dagId, runId);
                default -> {
                    return false;
                }
            }
            request.redirect(runPath);
            return true;
        }
        if (n == 8 && s.get(4).equals("tasks") && s.get(6).equals("objects") && method.equals("GET")) {
            object(request, dagId, runId, s.get(5), s.get(7));
            return true;
        }
        if (n == 6 && s.get(4).equals("tasks") && method.equals("GET")) {
            request.html(200, taskPage(session, dagId, operations.findRun(dagId, runId),
                    operations.taskInstance(dagId, runId, s.get(5)), request.query("try")));
            return true;
        }
        return false;
    }

    // ---- DAG list

    private String dagList(Auth.Session session, Request request) {
        List<String> tags = request.query("tags").stream().flatMap(t -> Arrays.stream(t.split(",")))
                .map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
        StringBuilder body = new StringBuilder("<h1>DAGs</h1>");
        List<Operations.ImportFailure> failures = operations.importFailures();
        if (!failures.isEmpty()) {
            body.append("<div class=\"import-errors\" id=\"import-errors\"><strong>DAG import errors (")
                    .append(failures.size()).append(")</strong><ul>");
            for (Operations.ImportFailure failure : failures) {
                body.append("<li><span class=\"source\">").append(Html.text(failure.source())).append("</span>")
                        .append(failure.dagId().map(id -> " (DAG " + Html.text(id) + ")").orElse(""))
                        .append("<pre>").append(Html.text(failure.message())).append("</pre></li>");
            }
            body.append("</ul></div>");
        }
        body.append("<input id=\"dag-filter\" type=\"search\" placeholder=\"Filter by id or tag\" autocomplete=\"off\">");
        if (!tags.isEmpty()) {
            body.append(" <span id=\"tag-filter\">tagged ");
            tags.forEach(t -> body.append("<span class=\"tag\">").append(Html.text(t)).append("</span> "));
            body.append("<a href=\"/\" id=\"clear-tags\">show all</a></span>");
        }
        body.append("<table class=\"list\" id=\"dags\"><thead><tr><th>Paused</th><th>DAG</th><th>Schedule</th>"
                + "<th>Next run</th><th>Tags</th><th>Last runs</th><th>Running</th><th></th></tr></thead><tbody>");
        Operations.DagList list = operations.dagList();
        Map<String, Instant> nextDates = list.nextLogicalDates();
        for (DagSummary summary : list.dags()) {
            DagSpec dag = summary.dag();
            if (!tags.isEmpty() && dag.tags().stream().noneMatch(tags::contains)) {
                continue;
            }
            String path = "/dags/" + seg(dag.id());
            body.append("<tr data-dag=\"").append(Html.text(dag.id())).append("\" data-filter=\"")
                    .append(Html.text((dag.id() + " " + String.join(" ", dag.tags())).toLowerCase(Locale.ROOT)))
                    .append("\"><td>").append(pauseToggle(session, dag.id(), summary.paused(), "/"))
                    .append("</td><td><a class=\"dag-id\" href=\"").append(path).append("\">")
                    .append(Html.text(dag.id())).append("</a><div class=\"description\">")
                    .append(Html.text(dag.description())).append("</div></td><td>")
                    .append(Html.text(dag.schedule().isEmpty() ? "-" : dag.schedule()))
                    .append("</td><td class=\"next-run\">").append(Html.text(nextRun(summary, nextDates)))
                    .append("</td><td>");
            dag.tags().forEach(t -> body.append("<a class=\"tag\" href=\"/?tags=").append(seg(t)).append("\">")
                    .append(Html.text(t)).append("</a> "));
            body.append("</td><td class=\"squares\" data-runs=\"").append(Html.text(dag.id())).append("\">");
            List<Run> oldestFirst = new ArrayList<>(summary.lastRuns());
            Collections.reverse(oldestFirst);
            for (Run run : oldestFirst) {
                body.append("<a class=\"square state-").append(run.state().label()).append("\" data-key=\"")
                        .append(Html.text(run.dagId() + "/" + run.runId())).append("\" title=\"")
                        .append(Html.text(run.runId() + ": " + run.state().label())).append("\" href=\"")
                        .append(path).append("/runs/").append(seg(run.runId())).append("\"></a>");
            }
            body.append("</td><td data-key=\"").append(Html.text(dag.id() + "#running")).append("\">")
                    .append(summary.running()).append("</td><td><a class=\"button\" href=\"")
                    .append(path).append("/trigger\">Trigger</a></td></tr>");
        }
        body.append("</tbody></table>");
        return layout("DAGs", session, body.toString(), "/ui/states");
    }

    /** The next scheduled logical date, or the event that starts the next run; "-" for a DAG run by hand. */
    private static String nextRun(DagSummary summary, Map<String, Instant> nextDates) {
        DagSpec dag = summary.dag();
        if (!dag.schedule().isEmpty()) {
            return Optional.ofNullable(nextDates.get(dag.id())).map(Pages::time).orElse("-");
        }
        return summary.startedBy().equals("manual") ? "-" : summary.startedBy();
    }

    private String pauseToggle(Auth.Session session, String dagId, boolean paused, String back) {
        return "<form method=\"post\" class=\"inline\" action=\"/dags/" + seg(dagId) + "/pause\">" + csrf(session)
                + "<input type=\"hidden\" name=\"back\" value=\"" + Html.text(back) + "\">"
                + "<input type=\"hidden\" name=\"paused\" value=\"" + !paused + "\"><button class=\"toggle "
                + (paused ? "paused" : "active") + "\" data-dag=\"" + Html.text(dagId) + "\" title=\""
                + (paused ? "Paused: click to unpause" : "Active: click to pause") + "\">"
                + (paused ? "paused" : "on") + "</button></form>";
    }

    // ---- connections

    private String connectionList(Auth.Session session) {
        StringBuilder body = new StringBuilder("<h1>Connections</h1><p class=\"help\">Set one with"
                + " DAGCTL_CONN_&lt;ID&gt;=URI; logins, passwords, keys, tokens and query values are never shown."
                + "</p><table class=\"list\" id=\"connections\"><tr><th>Connection</th><th>Type</th><th>Host</th>"
                + "<th>Port</th><th>From</th></tr>");
        for (Operations.ConnectionSummary connection : operations.connections()) {
            body.append("<tr data-connection=\"").append(Html.text(connection.id())).append("\"><td>")
                    .append(Html.text(connection.id())).append("</td><td>").append(Html.text(connection.type()))
                    .append("</td><td>").append(Html.text(connection.host().orElse("-"))).append("</td><td>")
                    .append(Html.text(connection.port().map(String::valueOf).orElse("-"))).append("</td><td>")
                    .append(Html.text(connection.origin())).append("</td></tr>");
        }
        return layout("Connections", session, body.append("</table>").toString(), "");
    }

    // ---- runs across DAGs

    /** How many runs one page of the run list shows. */
    static final int RUNS_PER_PAGE = 50;

    private String runList(Auth.Session session, Request request) {
        Optional<String> dagId = request.query("dag_id").filter(v -> !v.isEmpty());
        Optional<String> state = request.query("state").filter(v -> !v.isEmpty());
        Optional<String> runType = request.query("run_type").filter(v -> !v.isEmpty());
        int offset = request.intQuery("offset", 0);
        Operations.Page<Run> page = operations.runs(new Operations.RunFilter(dagId, state.map(Operations::runState),
                runType, RUNS_PER_PAGE, offset));
        StringBuilder body = new StringBuilder("<h1>Runs</h1><form method=\"get\" action=\"/runs\" id=\"run-filter\">")
                .append(select("dag_id", "all DAGs", operations.dags().stream().map(d -> d.dag().id()).toList(),
                        dagId))
                .append(select("state", "all states", Arrays.stream(RunState.values())
                        .map(RunState::label).toList(), state))
                .append(select("run_type", "all types", List.of("manual", "scheduled", "backfill",
                        "asset_triggered", "dag_triggered", "object_triggered"), runType))
                .append(" <button>Filter</button></form>");
        body.append("<table class=\"list\" id=\"runs\"><tr><th>DAG</th><th>Run</th><th>State</th><th>Type</th>"
                + "<th>Logical date</th><th>Started</th><th>Duration</th></tr>");
        for (Run run : page.items()) {
            String runPath = "/dags/" + seg(run.dagId()) + "/runs/" + seg(run.runId());
            body.append("<tr><td><a href=\"/dags/").append(seg(run.dagId())).append("\">").append(Html.text(run.dagId()))
                    .append("</a></td><td><a href=\"").append(runPath).append("\">").append(Html.text(run.runId()))
                    .append("</a></td><td><span class=\"badge state-").append(run.state().label())
                    .append("\" data-key=\"").append(Html.text(run.dagId() + "/" + run.runId()))
                    .append("\" data-text=\"state\">").append(run.state().label()).append("</span></td><td>")
                    .append(Html.text(run.runType())).append("</td><td>").append(Html.text(time(run.logicalDate())))
                    .append("</td><td>").append(Html.text(run.startedAt().map(Pages::time).orElse("-")))
                    .append("</td><td>").append(Html.text(run.duration().map(Pages::seconds).orElse("-")))
                    .append("</td></tr>");
        }
        body.append("</table><p>").append(page.total()).append(" run(s)");
        String filters = dagId.map(d -> "&dag_id=" + seg(d)).orElse("") + state.map(v -> "&state=" + seg(v)).orElse("")
                + runType.map(v -> "&run_type=" + seg(v)).orElse("");
        if (offset > 0) {
            body.append(" · <a href=\"/runs?offset=").append(Math.max(0, offset - RUNS_PER_PAGE)).append(filters)
                    .append("\">newer</a>");
        }
        if (offset + RUNS_PER_PAGE < page.total()) {
            body.append(" · <a href=\"/runs?offset=").append(offset + RUNS_PER_PAGE).append(filters)
                    .append("\">older</a>");
        }
        return layout("Runs", session, body.append("</p>").toString(), "/ui/states");
    }

    private static String select(String name, String all, List<String> options, Optional<String> selected) {
        StringBuilder select = new StringBuilder("<select name=\"").append(name).append("\"><option value=\"\">")
                .append(Html.text(all)).append("</option>");
        options.forEach(o -> select.append("<option").append(selected.map(o::equals).orElse(false) ? " selected" : "")
                .append(">").append(Html.text(o)).append("</option>"));
        return select.append("</select> ").toString();
    }

    // ---- DAG page: grid, graph, details

    private String dagPage(Auth.Session session, DagSummary summary, Optional<String> selectedRun) {
        DagSpec dag = summary.dag();
        String path = "/dags/" + seg(dag.id());
        Operations.RunGrid grid = operations.grid(dag.id(), GRID_RUNS);
        List<Run> runs = new ArrayList<>(grid.runs());
        Collections.reverse(runs);
        Map<String, Map<String, TaskCell>> cells = new HashMap<>();
        grid.statesByRun().forEach((runId, ofRun) -> cells.put(runId, cells(ofRun)));
        StringBuilder body = new StringBuilder();
        body.append("<h1>").append(Html.text(dag.id())).append(" ").append(pauseToggle(session, dag.id(),
                summary.paused(), path)).append("</h1><p class=\"description\">").append(Html.text(dag.description()))
                .append("</p><p>").append(Html.text(summary.startedBy())).append(" · <a class=\"button\" href=\"")
                .append(path).append("/trigger\">Trigger</a></p>");
        // Compact: each row carries its cells' states as digits (indexes into the table's data-states), and the
        // script draws the cells of the rows in view, so that a DAG of thousands of tasks is drawn at once.
        body.append("<h2>Grid</h2><div class=\"grid-wrap\"><table class=\"grid\" id=\"grid\" data-grid=\"")
                .append(Html.text(dag.id())).append("\" data-dag=\"").append(Html.text(dag.id())).append("\" data-states=\"").append(GRID_STATES.stream()
                        .map(TaskState::label).collect(Collectors.joining(" "))).append("\"><thead><tr><th>Task</th>");
        for (Run run : runs) {
            body.append("<th data-run=\"").append(Html.text(run.runId())).append("\"><a class=\"square state-")
                    .append(run.state().label()).append("\" data-key=\"").append(Html.text(dag.id() + "/"
                            + run.runId())).append("\" title=\"").append(Html.text(run.runId())).append("\" href=\"")
                    .append(path).append("/runs/").append(seg(run.runId())).append("\"></a></th>");
        }
        body.append("</tr></thead><tbody>");
        StringBuilder states = new StringBuilder();
        List<String> counts = new ArrayList<>();
        for (TaskSpec task : dag.tasks()) {
            states.setLength(0);
            counts.clear();
            boolean mapped = false;
            for (Run run : runs) {
                TaskCell cell = cells.get(run.runId()).getOrDefault(task.id(), TaskCell.NOT_CREATED);
                mapped |= cell.mapped();
                states.append(GRID_STATES.indexOf(cell.state()));
                counts.add(String.valueOf(cell.instances()));
            }
            body.append("<tr data-task=\"").append(Html.text(task.id())).append("\" data-states=\"").append(states);
            if (mapped) {
                body.append("\" data-mapped=\"").append(String.join(" ", counts));
            }
            body.append("\"><th class=\"task-id\">").append(Html.text(task.id())).append("</th></tr>");
        }
        body.append("</tbody></table></div>");
        body.append("<h2>Run durations</h2>").append(durationChart(dag, runs));
        Optional<Run> graphRun = selectedRun.flatMap(id -> runs.stream().filter(r -> r.runId().equals(id)).findFirst())
                .or(() -> runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1)));
        body.append("<h2>Graph").append(graphRun.map(r -> " of run " + Html.text(r.runId())).orElse(""))
                .append("</h2>").append(graph(dag, graphRun.map(r -> cells.get(r.runId())).orElse(Map.of()),
                        graphRun));
        body.append(details(dag));
        List<DataInterval> next = operations.nextIntervals(dag.id(), 5);
        if (!next.isEmpty()) {
            body.append("<h3>Next runs</h3><table class=\"list\" id=\"next-runs\"><tr><th>Logical date</th>"
                    + "<th>Runs at</th></tr>");
            next.forEach(i -> body.append("<tr><td>").append(Html.text(i.start())).append("</td><td>")
                    .append(Html.text(i.end())).append("</td></tr>"));
            body.append("</table>");
        }
        return layout(dag.id(), session, body.toString(), "/ui/states?dag_id=" + seg(dag.id()));
    }

    /**
     * The durations of the ended runs among {@code runs} (oldest first) as bars on one scale, coloured by state,
     * each labelled with its run and duration.
     */
    private static String durationChart(DagSpec dag, List<Run> runs) {
        List<Run> ended = runs.stream().filter(r -> r.duration().isPresent()).toList();
        if (ended.isEmpty()) {
            return "<p id=\"durations-empty\">No run has ended yet.</p>";
        }
        int plotHeight = 120;
        int left = 60;
        int barWidth = 24;
        long longest = Math.max(1, ended.stream().mapToLong(r -> r.duration().get().toMillis()).max().getAsLong());
        StringBuilder svg = new StringBuilder("<svg class=\"durations\" id=\"durations\" width=\"")
                .append(left + ended.size() * (barWidth + 6) + 10).append("\" height=\"").append(plotHeight + 30)
                .append("\" role=\"img\" aria-label=\"run durations\"><text class=\"axis\" x=\"0\" y=\"16\">")
                .append(Html.text(seconds(Duration.ofMillis(longest)))).append("</text><text class=\"axis\" x=\"0\""
                        + " y=\"").append(plotHeight + 10).append("\">0s</text><line class=\"axis\" x1=\"")
                .append(left - 4).append("\" y1=\"").append(plotHeight + 10).append("\" x2=\"")
                .append(left + ended.size() * (barWidth + 6)).append("\" y2=\"").append(plotHeight + 10)
                .append("\"/>");
        for (int i = 0; i < ended.size(); i++) {
            Run run = ended.get(i);
            long millis = run.duration().get().toMillis();
            int height = (int) Math.max(1, Math.round((double) millis / longest * plotHeight));
            svg.append("<a href=\"/dags/").append(seg(dag.id())).append("/runs/").append(seg(run.runId()))
                    .append("\"><rect class=\"bar state-").append(run.state().label()).append("\" data-run=\"")
                    .append(Html.text(run.runId())).append("\" data-millis=\"").append(millis).append("\" x=\"")
                    .append(left + i * (barWidth + 6)).append("\" y=\"").append(plotHeight + 10 - height)
                    .append("\" width=\"").append(barWidth).append("\" height=\"").append(height).append("\"><title>")
                    .append(Html.text(run.runId() + ": " + seconds(run.duration().get()) + ", "
                            + run.state().label())).append("</title></rect></a>");
        }
        return svg.append("</svg>").toString();
    }

    /**
     * What the grid and the graph show of a task in a run: the state shown first of its instances', how many
     * instances it has, and whether it is mapped.
     */
    private record TaskCell(TaskState state, int instances, boolean mapped) {
        static final TaskCell NOT_CREATED = new TaskCell(TaskState.NONE, 0, false);

        TaskCell with(TaskStateOfRun t) {
            return new TaskCell(shownFirst(state, t.state()), instances + 1, mapped || t.mapIndex() >= 0);
        }
    }

    /** The cells of a run's tasks by task id, in one pass over its task instances. */
    private static Map<String, TaskCell> cells(List<TaskStateOfRun> instances) {
        Map<String, TaskCell> cells = new HashMap<>();
        for (TaskStateOfRun t : instances) {
            cells.compute(t.taskId(), (task, cell) -> cell == null
                    ? new TaskCell(t.state(), 1, t.mapIndex() >= 0) : cell.with(t));
        }
        return cells;
    }

    private static TaskState shownFirst(TaskState one, TaskState other) {
        return SHOWN_FIRST.indexOf(one) <= SHOWN_FIRST.indexOf(other) ? one : other;
    }

    /** The tasks in layers (each one right of all its upstream tasks), with edges, in the run's states. */
    private String graph(DagSpec dag, Map<String, TaskCell> cells, Optional<Run> run) {
        Map<String, Integer> layer = new LinkedHashMap<>();
        Map<String, TaskSpec> tasks = dag.tasksById();
        for (TaskSpec task : dag.tasks()) {
            layerOf(tasks, task.id(), layer);
        }
        Map<Integer, List<String>> byLayer = new LinkedHashMap<>();
        layer.forEach((id, l) -> byLayer.computeIfAbsent(l, k -> new ArrayList<>()).add(id));
        int width = 200;
        int height = 44;
        Map<String, int[]> position = new HashMap<>();
        int rows = 1;
        for (Map.Entry<Integer, List<String>> entry : byLayer.entrySet()) {
            List<String> ids = entry.getValue();
            for (int i = 0; i < ids.size(); i++) {
                position.put(ids.get(i), new int[] {10 + entry.getKey() * width, 10 + i * height});
            }
            rows = Math.max(rows, ids.size());
        }
        int svgWidth = 20 + byLayer.size() * width;
        int svgHeight = 20 + rows * height;
        // Zoomed by changing width and height over a fixed viewBox; panned by scrolling its frame. Compact, for DAGs
        // of thousands of tasks: the edges are one path, a node's size comes from the style sheet, and the script
        // opens the task a click lands on and keeps the states current.
        StringBuilder svg = new StringBuilder("<div class=\"graph-tools\"><input id=\"graph-search\" type=\"search\""
                + " placeholder=\"Find a task\" autocomplete=\"off\"> <button type=\"button\" id=\"zoom-out\">−"
                + "</button><button type=\"button\" id=\"zoom-in\">+</button></div><div class=\"graph-wrap\">"
                + "<svg class=\"graph\" id=\"graph\" width=\"").append(svgWidth).append("\" height=\"")
                .append(svgHeight).append("\" viewBox=\"0 0 ").append(svgWidth).append(' ').append(svgHeight)
                .append("\" role=\"img\" aria-label=\"task graph\"");
        run.ifPresent(r -> svg.append(" data-dag=\"").append(Html.text(dag.id())).append("\" data-run=\"")
                .append(Html.text(r.runId())).append('"'));
        svg.append("><path class=\"edge\" d=\"");
        for (TaskSpec task : dag.tasks()) {
            int[] to = position.get(task.id());
            for (String upstream : task.upstream().stream().sorted().toList()) {
                int[] from = position.get(upstream);
                svg.append('M').append(from[0] + 160).append(' ').append(from[1] + 15).append('L').append(to[0])
                        .append(' ').append(to[1] + 15);
            }
        }
        svg.append("\"/>");
        for (TaskSpec task : dag.tasks()) {
            int[] at = position.get(task.id());
            TaskState state = cells.getOrDefault(task.id(), TaskCell.NOT_CREATED).state();
            svg.append("<rect class=\"node state-").append(state.label()).append("\" x=\"").append(at[0])
                    .append("\" y=\"").append(at[1]).append("\" data-task=\"").append(Html.text(task.id()))
                    .append("\"/><text x=\"").append(at[0] + 8).append("\" y=\"").append(at[1] + 20).append("\">")
                    .append(Html.text(task.id().length() > 22 ? task.id().substring(0, 21) + "…" : task.id()))
                    .append("</text>");
        }
        return svg.append("</svg></div>").toString();
    }

    private static int layerOf(Map<String, TaskSpec> tasks, String taskId, Map<String, Integer> layer) {
        Integer known = layer.get(taskId);
        if (known != null) {
            return known;
        }
        int at = 0;
        for (String upstream : tasks.get(taskId).upstream()) {
            at = Math.max(at, layerOf(tasks, upstream, layer) + 1);
        }
        layer.put(taskId, at);
        return at;
    }

    private static String details(DagSpec dag) {
        StringBuilder body = new StringBuilder("<h2>Details</h2><h3>Params</h3>");
        if (dag.params().params().isEmpty()) {
            body.append("<p>none</p>");
        } else {
            body.append("<table class=\"list\" id=\"params\"><tr><th>Name</th><th>Type</th><th>Default</th>"
                    + "<th>Description</th></tr>");
            for (ParamSpec param : dag.params().params()) {
                body.append("<tr><td>").append(Html.text(param.name())).append("</td><td>")
                        .append(Html.text(param.type().getSimpleName())).append("</td><td>")
                        .append(Html.text(param.defaultValue().orElse("(required)"))).append("</td><td>")
                        .append(Html.text(param.description())).append("</td></tr>");
            }
            body.append("</table>");
        }
        // A long list is folded: the browser then neither lays it out nor draws it until it is opened.
        body.append("<details id=\"task-details\"").append(dag.tasks().size() <= FOLDED_TASKS ? " open" : "")
                .append("><summary>Tasks (").append(dag.tasks().size()).append(")</summary>")
                .append("<table class=\"list\" id=\"tasks\"><tr><th>Task</th><th>Upstream</th>"
                + "<th>Trigger rule</th><th>Retries</th><th>Retry delay</th><th>Timeout</th><th>Pool</th></tr>");
        for (TaskSpec task : dag.tasks()) {
            body.append("<tr><td>").append(Html.text(task.id())).append(task.expandedOver()
                    .map(over -> " <span class=\"tag\">mapped over " + Html.text(over) + "</span>").orElse(""))
                    .append("</td><td>").append(Html.text(String.join(", ", task.upstream().stream().sorted().toList())))
                    .append("</td><td>").append(Html.text(task.triggerRule().name().toLowerCase(Locale.ROOT)))
                    .append("</td><td>").append(task.retry().retries()).append("</td><td>")
                    .append(Html.text(task.retry().delay())).append("</td><td>")
                    .append(Html.text(task.executionTimeout().map(Object::toString).orElse("-"))).append("</td><td>")
                    .append(Html.text(task.pool() + (task.poolSlots() == 1 ? "" : " ×" + task.poolSlots())))
                    .append("</td></tr>");
        }
        return body.append("</table></details>").toString();
    }

    // ---- run page

    private String runPage(Auth.Session session, DagSpec dag, Run run) {
        String dagPath = "/dags/" + seg(dag.id());
        String runPath = dagPath + "/runs/" + seg(run.runId());
        List<TaskInstanceState> instances = operations.taskInstances(dag.id(), run.runId());
        StringBuilder body = new StringBuilder();
        body.append("<p><a href=\"").append(dagPath).append("\">").append(Html.text(dag.id())).append("</a></p>")
                .append("<h1>Run ").append(Html.text(run.runId())).append(" <span class=\"badge state-")
                .append(run.state().label()).append("\" data-key=\"").append(Html.text(dag.id() + "/" + run.runId()))
                .append("\" data-text=\"state\">").append(run.state().label()).append("</span></h1>");
        body.append("<p>").append(Html.text(run.runType())).append(" run, logical date ")
                .append(Html.text(run.logicalDate())).append("<span data-key=\"")
                .append(Html.text(dag.id() + "/" + run.runId() + "#took")).append("\">").append(Html.text(took(run)))
                .append("</span></p>");
        if (!run.params().isEmpty()) {
            body.append("<table class=\"list\" id=\"run-params\"><tr><th>Param</th><th>Value</th></tr>");
            run.params().forEach((k, v) -> body.append("<tr><td>").append(Html.text(k)).append("</td><td>")
                    .append(Html.text(Secrets.maskValue(v))).append("</td></tr>"));
            body.append("</table>");
        }
        body.append("<div class=\"actions\">")
                .append(action(session, runPath + "/clear", "Clear failed", Map.of("only_failed", "true")))
                .append(action(session, runPath + "/clear", "Clear all", Map.of()))
                .append(action(session, runPath + "/mark", "Mark run success", Map.of("state", "success")))
                .append(action(session, runPath + "/mark", "Mark run failed", Map.of("state", "failed")))
                .append(action(session, runPath + "/resume", "Resume", Map.of())).append("</div>");
        // One form per action that every row's buttons submit, naming their task: a run of thousands of tasks
        // stays small.
        body.append(taskForm(session, "clear-task", runPath + "/clear", Map.of()))
                .append(taskForm(session, "mark-success", runPath + "/mark", Map.of("state", "success")))
                .append(taskForm(session, "mark-failed", runPath + "/mark", Map.of("state", "failed")));
        body.append("<h2>Task instances</h2><table class=\"list\" id=\"task-instances\"><tr><th>Task</th>"
                + "<th>State</th><th>Try</th><th>Start</th><th>Duration</th><th>Error</th><th>Actions</th></tr>");
        for (TaskInstanceState t : instances) {
            body.append("<tr data-task=\"").append(Html.text(t.label())).append("\"><td><a href=\"").append(runPath)
                    .append("/tasks/").append(seg(t.label())).append("\">").append(Html.text(t.label()))
                    .append("</a></td><td><span class=\"badge state-").append(t.state().label())
                    .append("\" data-key=\"").append(Html.text(dag.id() + "/" + run.runId() + "/" + t.label()))
                    .append("\" data-text=\"state\">").append(t.state().label()).append("</span></td>")
                    .append(field(dag.id() + "/" + run.runId() + "/" + t.label(), "try", tries(t)))
                    .append(field(dag.id() + "/" + run.runId() + "/" + t.label(), "start", start(t)))
                    .append(field(dag.id() + "/" + run.runId() + "/" + t.label(), "duration", duration(t)))
                    .append("<td class=\"error\" data-key=\"")
                    .append(Html.text(dag.id() + "/" + run.runId() + "/" + t.label() + "#error-line")).append("\">")
                    .append(Html.text(firstLine(t.error()))).append("</td><td>")
                    .append(taskButton("clear-task", "task_id", t.taskId(), "Clear"))
                    .append(taskButton("mark-success", "task", t.label(), "Success"))
                    .append(taskButton("mark-failed", "task", t.label(), "Failed"))
                    .append("</td></tr>");
        }
        body.append("</table><h2>Gantt</h2>").append(gantt(instances));
        return layout("Run " + run.runId(), session, body.toString(), "/ui/states?dag_id=" + seg(dag.id())
                + "&run_id=" + seg(run.runId()));
    }

    /** A form of the run page's task buttons: they name the task, the form holds the rest. */
    private String taskForm(Auth.Session session, String id, String url, Map<String, String> fields) {
        StringBuilder form = new StringBuilder("<form method=\"post\" class=\"inline\" id=\"").append(id)
                .append("\" action=\"").append(url).append("\">").append(csrf(session));
        fields.forEach((k, v) -> form.append("<input type=\"hidden\" name=\"").append(Html.text(k))
                .append("\" value=\"").append(Html.text(v)).append("\">"));
        return form.append("</form>").toString();
    }

    /**
     * The first line of an error, as the run page's table shows it ({@code #error-line}), so that a run of thousands
     * of failed tasks does not carry their stack traces: the task page shows it whole ({@code #error}).
     */
    private static String firstLine(Optional<String> error) {
        return error.map(e -> e.lines().findFirst().orElse("")).orElse("");
    }

    private static String taskButton(String form, String name, String task, String label) {
        return "<button form=\"" + form + "\" name=\"" + name + "\" value=\"" + Html.text(task) + "\">" + label
                + "</button>";
    }

    /** A cell the page keeps current: its key is the task instance's, then {@code #} and the field. */
    private static String field(String key, String name, String value) {
        return "<td data-key=\"" + Html.text(key + "#" + name) + "\">" + Html.text(value) + "</td>";
    }

    /** How long an ended run took, as the run page says it; empty while it runs. */
    private static String took(Run run) {
        return run.duration().map(d -> ", took " + seconds(d)).orElse("");
    }

    private static String tries(TaskInstanceState t) {
        return t.tryNumber() + "/" + t.maxTries();
    }

    private static String start(TaskInstanceState t) {
        return t.startDate().map(Pages::time).orElse("-");
    }

    private static String duration(TaskInstanceState t) {
        return t.duration().map(Pages::seconds).orElse("-");
    }

    private static String gantt(List<TaskInstanceState> instances) {
        List<TaskInstanceState> started = instances.stream().filter(t -> t.startDate().isPresent()).toList();
        if (started.isEmpty()) {
            return "<p>No task has started yet.</p>";
        }
        Instant first = started.stream().map(t -> t.startDate().get()).min(Comparator.naturalOrder()).get();
        Instant last = started.stream().map(t -> t.endDate().orElse(Instant.now())).max(Comparator.naturalOrder())
                .get();
        double span = Math.max(1, Duration.between(first, last).toMillis());
        StringBuilder svg = new StringBuilder("<div class=\"gantt-wrap\"><svg class=\"gantt\" id=\"gantt\" width=\"820\""
                + " height=\"")
                .append(10 + started.size() * 22).append("\">");
        for (int i = 0; i < started.size(); i++) {
            TaskInstanceState t = started.get(i);
            double x = Duration.between(first, t.startDate().get()).toMillis() / span * 600;
            double w = Math.max(2, Duration.between(t.startDate().get(), t.endDate().orElse(last)).toMillis()
                    / span * 600);
            svg.append("<text x=\"0\" y=\"").append(20 + i * 22).append("\">").append(Html.text(t.label()))
                    .append("</text><rect class=\"state-").append(t.state().label()).append("\" x=\"")
                    .append(200 + (int) x).append("\" y=\"").append(6 + i * 22).append("\" width=\"").append((int) w)
                    .append("\" height=\"16\"><title>").append(Html.text(t.label() + " " + t.duration()
                            .map(Pages::seconds).orElse("running"))).append("</title></rect>");
        }
        return svg.append("</svg></div>").toString();
    }

    // ---- task instance page

    private String taskPage(Auth.Session session, String dagId, Run run, TaskInstanceState t,
            Optional<String> requestedTry) {
        String runPath = "/dags/" + seg(dagId) + "/runs/" + seg(run.runId());
        StringBuilder body = new StringBuilder();
        body.append("<p><a href=\"/dags/").append(seg(dagId)).append("\">").append(Html.text(dagId))
                .append("</a> › <a href=\"").append(runPath).append("\">").append(Html.text(run.runId()))
                .append("</a></p><h1>").append(Html.text(t.label())).append(" <span class=\"badge state-")
                .append(t.state().label()).append("\" data-key=\"").append(Html.text(dagId + "/" + run.runId() + "/"
                        + t.label())).append("\" data-text=\"state\">").append(t.state().label())
                .append("</span></h1>");
        // The run's state, hidden: while it shows the run unfinished, the states poll asks for its task states.
        body.append("<span hidden class=\"state-").append(run.state().label()).append("\" data-key=\"")
                .append(Html.text(dagId + "/" + run.runId())).append("\"></span>");
        body.append("<pre class=\"error\" id=\"error\" data-key=\"").append(Html.text(dagId + "/" + run.runId() + "/"
                + t.label() + "#error")).append("\">").append(Html.text(t.error().orElse(""))).append("</pre>");
        body.append("<h2>Log</h2>");
        if (t.tryNumber() == 0) {
            body.append("<p id=\"no-log\">Not tried yet.</p>");
        } else {
            int shownTry = requestedTry.map(Pages::tryNumber).orElse(t.tryNumber());
            body.append("<p class=\"tries\">");
            for (int i = 1; i <= t.tryNumber(); i++) {
                body.append(i == shownTry ? "<strong>try " + i + "</strong> " : "<a href=\"" + runPath + "/tasks/"
                        + seg(t.label()) + "?try=" + i + "\">try " + i + "</a> ");
            }
            String logUrl = "/api/v1/dags/" + seg(dagId) + "/dagRuns/" + seg(run.runId()) + "/taskInstances/"
                    + seg(t.label()) + "/logs/" + shownTry;
            body.append("· <a id=\"log-download\" href=\"").append(logUrl).append("?download=true\">download</a></p>")
                    .append("<pre id=\"log\" class=\"log\" data-log-url=\"").append(logUrl).append("\"></pre>");
        }
        body.append("<h2>XCom</h2>");
        try {
            Operations.XComValue value = operations.xcom(dagId, run.runId(), t.label());
            body.append("<pre id=\"xcom\" class=\"json\">").append(Html.text(pretty(value.json()))).append("</pre>");
            List<String> objects = operations.xcomObjects(dagId, run.runId(), t.label());
            String objectsPath = runPath + "/tasks/" + seg(t.label()) + "/objects/";
            for (int i = 0; i < objects.size(); i++) {
                String uri = objects.get(i);
                boolean report = uri.endsWith(".html") || uri.endsWith(".htm");
                body.append("<p class=\"object\"><a class=\"object-link\" href=\"").append(objectsPath).append(i)
                        .append("\"").append(report ? " target=\"_blank\" rel=\"noopener\"" : "").append(">")
                        .append(report ? "open " : "download ").append(Html.text(uri)).append("</a></p>");
                if (report) {
                    body.append("<iframe class=\"report\" sandbox title=\"").append(Html.text(uri)).append("\" src=\"")
                            .append(objectsPath).append(i).append("\"></iframe>");
                }
            }
        } catch (OperationException e) {
            body.append("<p id=\"xcom\">").append(Html.text(e.getMessage())).append("</p>");
        }
        return layout(t.label(), session, body.toString(), "/ui/states?dag_id=" + seg(dagId) + "&run_id="
                + seg(run.runId()));
    }

    /**
     * An object the XCom value names, by its index: an HTML report is shown sandboxed (no script, an origin of its
     * own) whether it is framed or opened; anything else is downloaded.
     */
    private void object(Request request, String dagId, String runId, String task, String index) {
        int position;
        try {
            position = Integer.parseInt(index);
        } catch (NumberFormatException e) {
            throw new OperationException(OperationException.Kind.NOT_FOUND, "no object '" + index + "'");
        }
        String uri = operations.xcomObject(dagId, runId, task, position);
        String name = uri.substring(uri.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            request.header("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline';"
                    + " img-src data:; frame-ancestors 'self'");
            request.stream("text/html; charset=utf-8", out -> operations.copyXComObject(dagId, runId, task, position,
                    out));
        } else {
            request.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
            request.stream("application/octet-stream", out -> operations.copyXComObject(dagId, runId, task, position,
                    out));
        }
    }

    private static int tryNumber(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new Request.BadRequest("try must be a whole number, not '" + text + "'");
        }
    }

    private static String pretty(String json) {
        try {
            return Request.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Request.JSON.readTree(json));
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    // ---- trigger form

    private void trigger(Request request, Auth.Session session, DagSpec dag) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> errors = Map.of();
        String runId = "";
        if (request.method().equals("POST")) {
            Map<String, String> form = request.form();
            runId = form.getOrDefault("run_id", "").trim();
            for (ParamSpec param : dag.params().params()) {
                String value = form.getOrDefault("param." + param.name(), "");
                if (!value.isEmpty()) {
                    values.put(param.name(), value);
                }
            }
            // Every refused field at once: the params and the run id are checked before anything is written.
            Map<String, String> refused = new LinkedHashMap<>();
            try {
                operations.validateParams(dag, values);
            } catch (Operations.InvalidParams e) {
                refused.putAll(e.messages());
            }
            if (!runId.isEmpty()) {
                try {
                    Ids.requireRunId(runId);
                } catch (IllegalArgumentException e) {
                    refused.put("run_id", e.getMessage());
                }
            }
            if (refused.isEmpty()) {
                try {
                    Run run = operations.trigger(new Operations.TriggerRequest(dag.id(), values,
                            runId.isEmpty() ? Optional.empty() : Optional.of(runId)));
                    operations.resume(dag.id(), run.runId());
                    request.redirect("/dags/" + seg(dag.id()) + "/runs/" + seg(run.runId()));
                    return;
                } catch (OperationException e) {
                    refused.put("run_id", e.getMessage());
                }
            }
            errors = refused;
        } else if (!request.method().equals("GET")) {
            throw new OperationException(OperationException.Kind.NOT_FOUND, "no " + request.method() + " here");
        }
        request.html(errors.isEmpty() ? 200 : 400, triggerForm(session, dag, values, runId, errors));
    }

    private String triggerForm(Auth.Session session, DagSpec dag, Map<String, String> values, String runId,
            Map<String, String> errors) {
        StringBuilder body = new StringBuilder("<h1>Trigger ").append(Html.text(dag.id())).append("</h1>")
                .append("<form method=\"post\" id=\"trigger-form\" action=\"/dags/").append(seg(dag.id()))
                .append("/trigger\">").append(csrf(session));
        if (errors.containsKey("")) {
            body.append("<p class=\"field-error\" id=\"error-params\">").append(Html.text(errors.get("")))
                    .append("</p>");
        }
        for (ParamSpec param : dag.params().params()) {
            String name = "param." + param.name();
            String value = values.getOrDefault(param.name(), param.defaultValue().orElse(""));
            body.append("<div class=\"field\"><label for=\"").append(Html.text(name)).append("\">")
                    .append(Html.text(param.name())).append(" <span class=\"type\">")
                    .append(Html.text(param.type().getSimpleName())).append("</span></label>")
                    .append(input(param, name, value)).append("<div class=\"help\">")
                    .append(Html.text(param.description()))
                    .append(param.defaultValue().map(d -> " (default " + Html.text(d) + ")").orElse(" (required)"))
                    .append("</div>");
            if (errors.containsKey(param.name())) {
                body.append("<div class=\"field-error\" id=\"error-").append(Html.text(name)).append("\">")
                        .append(Html.text(errors.get(param.name()))).append("</div>");
            }
            body.append("</div>");
        }
        body.append("<div class=\"field\"><label for=\"run_id\">Run id <span class=\"type\">optional</span></label>"
                + "<input id=\"run_id\" name=\"run_id\" value=\"").append(Html.text(runId))
                .append("\" placeholder=\"manual__&lt;time&gt;\">");
        if (errors.containsKey("run_id")) {
            body.append("<div class=\"field-error\" id=\"error-run_id\">").append(Html.text(errors.get("run_id")))
                    .append("</div>");
        }
        body.append("</div><button type=\"submit\" id=\"trigger\">Trigger</button></form>");
        return layout("Trigger " + dag.id(), session, body.toString(), "");
    }

    private static String input(ParamSpec param, String name, String value) {
        String attributes = " id=\"" + Html.text(name) + "\" name=\"" + Html.text(name) + "\"";
        Class<?> type = param.type();
        if (type.isEnum() || type == boolean.class || type == Boolean.class) {
            List<String> options = type.isEnum() ? Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name()).toList() : List.of("true", "false");
            StringBuilder select = new StringBuilder("<select").append(attributes).append(">");
            if (param.defaultValue().isEmpty()) {
                select.append("<option value=\"\"></option>");
            }
            options.forEach(o -> select.append("<option").append(o.equals(value) ? " selected" : "").append(">")
                    .append(Html.text(o)).append("</option>"));
            return select.append("</select>").toString();
        }
        String inputType = type == LocalDate.class ? "date"
                : type == int.class || type == Integer.class || type == long.class || type == Long.class ? "number"
                : type == double.class || type == Double.class ? "number\" step=\"any" : "text";
        return "<input type=\"" + inputType + "\"" + attributes + " value=\"" + Html.text(value) + "\">";
    }

    // ---- pools

    private boolean pools(Request request, Auth.Session session, List<String> s, String method) {
        if (s.size() == 1 && method.equals("GET")) {
            StringBuilder body = new StringBuilder("<h1>Pools</h1><table class=\"list\" id=\"pools\"><tr>"
                    + "<th>Pool</th><th>Slots</th><th>Used</th><th>Description</th><th></th></tr>");
            for (Operations.PoolUsage pool : operations.pools()) {
                body.append("<tr><td>").append(Html.text(pool.name())).append("</td><td>").append(pool.slots())
                        .append("</td><td>").append(pool.used()).append("</td><td>")
                        .append(Html.text(pool.description())).append("</td><td>")
                        .append(action(session, "/pools/" + seg(pool.name()) + "/delete", "Delete", Map.of()))
                        .append("</td></tr>");
            }
            body.append("</table><h2>Set a pool</h2><form method=\"post\" action=\"/pools\">").append(csrf(session))
                    .append("<input name=\"name\" placeholder=\"name\" required> <input name=\"slots\" type=\"number\""
                            + " min=\"0\" placeholder=\"slots\" required> <input name=\"description\""
                            + " placeholder=\"description\"> <button>Set</button></form>");
            request.html(200, layout("Pools", session, body.toString(), ""));
            return true;
        }
        if (s.size() == 1 && method.equals("POST")) {
            Map<String, String> form = request.form();
            int slots;
            try {
                slots = Integer.parseInt(form.getOrDefault("slots", ""));
            } catch (NumberFormatException e) {
                throw new Request.BadRequest("slots must be a whole number, not '" + form.get("slots") + "'");
            }
            operations.setPool(form.getOrDefault("name", ""), slots, form.getOrDefault("description", ""));
            request.redirect("/pools");
            return true;
        }
        if (s.size() == 3 && s.get(2).equals("delete") && method.equals("POST")) {
            operations.deletePool(s.get(1));
            request.redirect("/pools");
            return true;
        }
        return false;
    }

    // ---- login

    void login(Request request, Optional<Auth.Session> existing) {
        Auth.Session session = existing.orElseGet(() -> {
            Auth.Session visitor = auth.visitor();
            request.header("Set-Cookie", Auth.cookieHeader(visitor, Auth.SESSION_LENGTH));
            return visitor;
        });
        String message = "";
        if (request.method().equals("POST")) {
            Map<String, String> form = request.form();
            if (!auth.validCsrf(session, form.get(CSRF_FIELD))) {
                message = "the form has expired: log in again";
            } else if (auth.login(request.remoteAddress(), form.getOrDefault("username", ""),
                    form.getOrDefault("password", ""))) {
                request.header("Set-Cookie", Auth.cookieHeader(auth.open(form.get("username")), Auth.SESSION_LENGTH));
                request.redirect("/");
                return;
            } else {
                message = "wrong user name or password";
            }
        }
        String body = "<h1>Log in</h1><form method=\"post\" action=\"/login\" id=\"login-form\">" + csrf(session)
                + (message.isEmpty() ? "" : "<p class=\"field-error\" id=\"login-error\">" + Html.text(message)
                        + "</p>")
                + "<div class=\"field\"><label for=\"username\">User</label><input id=\"username\" name=\"username\""
                + " autocomplete=\"username\"></div><div class=\"field\"><label for=\"password\">Password</label>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">"
                + "</div><button type=\"submit\" id=\"login\">Log in</button></form>";
        request.html(message.isEmpty() ? 200 : 401, layout("Log in", null, body, ""));
    }

    String error(Request request, int status, String title, String message) {
        return layout(title, null, "<h1>" + status + " " + Html.text(title) + "</h1><p class=\"problem\" id=\"problem\">"
                + Html.text(message) + "</p><p><a href=\"/\">DAGs</a></p>", "");
    }

    // ---- live states

    /**
     * What the page keeps current, keyed as its {@code data-key}s: the state of each run it shows, the states and
     * fields ({@code key#field}) of the task instances of the runs that have not ended or that the page still shows
     * {@code unfinished} (the tasks of runs that ended, which the page already shows in their last states, are not
     * sent again every poll), and the ids of the runs a DAG's squares or grid columns show, oldest first
     * ({@code dag#runs}).
     */
    private Map<String, Object> states(Optional<String> dagId, Optional<String> runId, Set<String> unfinished) {
        Map<String, Object> states = new LinkedHashMap<>();
        if (dagId.isEmpty()) {
            // The list's squares are redrawn from each DAG's run ids, so that a run made after the page loaded shows.
            for (DagSummary summary : operations.dags()) {
                String id = summary.dag().id();
                summary.lastRuns().forEach(r -> states.put(r.dagId() + "/" + r.runId(), r.state().label()));
                List<String> oldestFirst = new ArrayList<>(summary.lastRuns().stream().map(Run::runId).toList());
                Collections.reverse(oldestFirst);
                states.put(id + "#runs", oldestFirst);
                states.put(id + "#running", String.valueOf(summary.running()));
            }
            return states;
        }
        List<Run> runs = runId.map(id -> List.of(operations.findRun(dagId.get(), id))).orElseGet(
                () -> operations.runs(new Operations.RunFilter(dagId, Optional.empty(), Optional.empty(), GRID_RUNS,
                        0)).items());
        List<Run> followed = runs.stream().filter(r -> !r.state().isFinished() || unfinished.contains(r.runId()))
                .toList();
        Map<String, List<TaskInstanceState>> instancesByRun = operations.taskInstances(dagId.get(), followed.stream()
                .map(Run::runId).toList());
        runs.forEach(run -> states.put(run.dagId() + "/" + run.runId(), run.state().label()));
        for (Run run : followed) {
            String prefix = run.dagId() + "/" + run.runId();
            if (runId.isPresent()) {
                states.put(prefix + "#took", took(run));
            }
            List<TaskInstanceState> instances = instancesByRun.get(run.runId());
            for (TaskInstanceState t : instances) {
                String key = prefix + "/" + t.label();
                states.put(key, t.state().label());
                if (runId.isPresent()) {
                    states.put(key + "#try", tries(t));
                    states.put(key + "#start", start(t));
                    states.put(key + "#duration", duration(t));
                    states.put(key + "#error", t.error().orElse(""));
                    states.put(key + "#error-line", firstLine(t.error()));
                }
            }
            cells(instances.stream().map(t -> new TaskStateOfRun(t.taskId(), t.mapIndex(), t.state())).toList())
                    .forEach((task, cell) -> {
                        if (cell.instances() > 1 || cell.mapped()) {
                            states.put(prefix + "/" + task, cell.state().label());
                        }
                    });
        }
        if (runId.isEmpty()) {
            // The grid's columns are redrawn from the run ids, so that a run made after the page loaded shows.
            List<String> oldestFirst = new ArrayList<>(runs.stream().map(Run::runId).toList());
            Collections.reverse(oldestFirst);
            states.put(dagId.get() + "#runs", oldestFirst);
        }
        return states;
    }

    // ---- layout

    private String layout(String title, Auth.Session session, String body, String statesUrl) {
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(Html.text(title)).append(" · dagctl</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
                        + "<script src=\"/static/app.js\" defer></script></head><body");
        if (session != null) {
            body(page, "data-csrf", auth.csrfToken(session));
        }
        if (!statesUrl.isEmpty()) {
            body(page, "data-states-url", statesUrl);
        }
        page.append("><header><a class=\"brand\" href=\"/\">dagctl</a> <a href=\"/\">DAGs</a> <a href=\"/runs\">Runs</a>"
                + " <a href=\"/pools\">Pools</a> <a href=\"/connections\">Connections</a>");
        if (session != null && session.loggedIn()) {
            page.append("<form method=\"post\" action=\"/logout\" class=\"inline logout\">").append(csrf(session))
                    .append("<span class=\"user\">").append(Html.text(session.user()))
                    .append("</span> <button id=\"logout\">Log out</button></form>");
        }
        return page.append("</header><main>").append(body).append("</main></body></html>").toString();
    }

    private static void body(StringBuilder page, String attribute, String value) {
        page.append(' ').append(attribute).append("=\"").append(Html.text(value)).append('"');
    }

    private String csrf(Auth.Session session) {
        return "<input type=\"hidden\" name=\"" + CSRF_FIELD + "\" value=\"" + Html.text(auth.csrfToken(session)) + "\">";
    }

    private String action(Auth.Session session, String url, String label, Map<String, String> fields) {
        StringBuilder form = new StringBuilder("<form method=\"post\" class=\"inline\" action=\"").append(url)
                .append("\">").append(csrf(session));
        new TreeMap<>(fields).forEach((k, v) -> form.append("<input type=\"hidden\" name=\"")
                .append(Html.text(k)).append("\" value=\"").append(Html.text(v)).append("\">"));
        return form.append("<button>").append(Html.text(label)).append("</button></form>").toString();
    }

    private static String seg(String id) {
        return Html.segment(id);
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
