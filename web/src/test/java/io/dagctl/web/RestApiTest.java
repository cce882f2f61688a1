package io.dagctl.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.RunState;
import io.dagctl.ops.Operations;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {
    private WebFixture web;

    @BeforeAll
    void start() {
        web = new WebFixture(WebFixture.local());
    }

    @AfterAll
    void stop() throws InterruptedException {
        web.close();
    }

    private URI api(String path) {
        return web.url("/api/v1/" + path);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Http.body(response).get("detail").asText()).isEqualTo(detail);
    }

    @Test
    void listsTheDagsInAirflowsShape() {
        HttpResponse<String> response = Http.get(api("dags"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode dags = Http.body(response);
        assertThat(dags.get("total_entries").asInt()).isEqualTo(2);
        JsonNode dag = dags.get("dags").get(0);
        assertThat(dag.get("dag_id").asText()).isEqualTo("web_fixture");
        assertThat(dag.get("description").asText()).isEqualTo("Counts the words of a <b>note</b>");
        assertThat(dag.get("timetable_description").asText()).isEqualTo("manual");
        assertThat(dag.get("tags").findValuesAsText("name")).containsExactly("web", "fixture");
    }

    @Test
    void triggersARunWithConfAndARunIdThatTheSchedulerExecutes() throws InterruptedException {
        HttpResponse<String> response = Http.json("POST", api("dags/web_fixture/dagRuns"),
                "{\"dag_run_id\": \"api_run_1\", \"conf\": {\"count\": 2, \"note\": \"three little words\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode run = Http.body(response);
        assertThat(run.get("dag_run_id").asText()).isEqualTo("api_run_1");
        assertThat(run.get("conf").get("count").asText()).isEqualTo("2");
        assertThat(run.get("conf").get("startDate").asText()).isEqualTo("2011-02-01");
        assertThat(web.awaitEnd("api_run_1").state()).isEqualTo(RunState.SUCCESS);
        JsonNode tasks = Http.body(Http.get(api("dags/web_fixture/dagRuns/api_run_1/taskInstances")));
        assertThat(tasks.get("task_instances").findValuesAsText("state"))
                .containsExactly("success", "success", "success", "skipped");
        JsonNode xcom = Http.body(Http.get(api("dags/web_fixture/dagRuns/api_run_1/taskInstances/transform/xcomEntries")));
        assertThat(xcom.get("xcom_entries").get(0).get("value").asText()).isEqualTo("3");
    }

    @Test
    void refusesABadParamBeforeAnyRunExistsNamingTheParam() {
        int before = web.operations.runs(new Operations.RunFilter(Optional.empty(), Optional.empty(),
                Optional.empty(), 1, 0)).total();

        HttpResponse<String> response = Http.json("POST", api("dags/web_fixture/dagRuns"),
                "{\"conf\": {\"startDate\": \"2011-02-30\", \"count\": \"-1\"}}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = Http.body(response);
        assertThat(problem.get("errors").get("startDate").asText())
                .isEqualTo("param 'startDate': '2011-02-30' is not a date (yyyy-MM-dd)");
        assertThat(web.operations.runs(new Operations.RunFilter(Optional.empty(), Optional.empty(),
                Optional.empty(), 1, 0)).total()).isEqualTo(before);
    }

    @Test
    void refusesTheRecordsOwnValidationAndAnUnknownParamWithTheClosestName() {
        assertProblem(Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"conf\": {\"count\": -1}}"), 400,
                "params of DAG web_fixture: count must be at least 0, not -1");
        assertProblem(Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"conf\": {\"cuont\": 1}}"), 400,
                "unknown param 'cuont' for DAG web_fixture (did you mean 'count'?)");
    }

    @Test
    void refusesARunIdOutsideTheGrammarAndATakenOne() throws InterruptedException {
        assertProblem(Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"a/b\"}"), 400,
                "run id 'a/b' is not valid: a run id is 1 to 200 letters, digits and _ - . : + ~ (not only dots)");
        Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"taken\"}");
        assertProblem(Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"taken\"}"), 409,
                "DAG web_fixture already has a run taken");
        web.awaitEnd("taken");
    }

    @Test
    void namesTheClosestDagRunAndTaskWhenOneIsUnknown() throws InterruptedException {
        Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"named_run\"}");
        web.awaitEnd("named_run");

        assertProblem(Http.get(api("dags/web_fixtur")), 404,
                "unknown DAG 'web_fixtur' (did you mean 'web_fixture'?); known DAGs: web_fixture, web_scheduled");
        assertProblem(Http.get(api("dags/web_fixture/dagRuns/named_rn")), 404,
                "unknown run 'named_rn' of DAG web_fixture (did you mean 'named_run'?)");
        assertProblem(Http.get(api("dags/web_fixture/dagRuns/named_run/taskInstances/extrac/logs/1")), 404,
                "DAG web_fixture has no task 'extrac' (did you mean 'extract'?); its tasks: extract, transform, load,"
                        + " notify_failure");
        assertProblem(Http.get(api("dags/web_fixture/dagRuns/named_run/taskInstances/extract/logs/2")), 404,
                "task extract of run named_run has tries 1 to 1, not 2");
    }

    @Test
    void pagesRunsWithLimitAndOffsetNewestFirst() throws InterruptedException {
        for (String id : new String[] {"page_1", "page_2", "page_3"}) {
            Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"" + id + "\"}");
            web.awaitEnd(id);
        }
        int total = Http.body(Http.get(api("dags/web_fixture/dagRuns"))).get("total_entries").asInt();

        JsonNode page = Http.body(Http.get(api("dags/web_fixture/dagRuns?limit=2&offset=0")));

        assertThat(page.get("total_entries").asInt()).isEqualTo(total);
        assertThat(page.get("dag_runs").findValuesAsText("dag_run_id")).containsExactly("page_3", "page_2");
        assertProblem(Http.get(api("dags/web_fixture/dagRuns?limit=0")), 400, "limit must be at least 1, not 0");
    }

    @Test
    void readsALogFromAnOffsetUntilItIsComplete() throws InterruptedException {
        Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"log_run\", \"conf\": {\"note\": \"hi\"}}");
        web.awaitEnd("log_run");

        JsonNode first = Http.body(Http.get(api("dags/web_fixture/dagRuns/log_run/taskInstances/extract/logs/1")));
        JsonNode rest = Http.body(Http.get(api("dags/web_fixture/dagRuns/log_run/taskInstances/extract/logs/1?offset="
                + first.get("next_offset").asLong())));

        assertThat(first.get("content").asText()).contains("note: hi");
        assertThat(first.get("complete").asBoolean()).isTrue();
        assertThat(rest.get("content").asText()).isEmpty();
        assertThat(rest.get("offset").asLong()).isEqualTo(first.get("next_offset").asLong());
        HttpResponse<String> download = Http.get(api(
                "dags/web_fixture/dagRuns/log_run/taskInstances/extract/logs/1?download=true"));
        assertThat(download.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"1.log\"");
        assertThat(download.body()).isEqualTo(first.get("content").asText());
    }

    @Test
    void answersAPathThatTriesToLeaveItsIdsWithNotFound() {
        for (String path : new String[] {
                "dags/web_fixture/dagRuns/..%2F..%2F..%2Fetc%2Fpasswd/taskInstances/extract/logs/1",
                "dags/web_fixture/dagRuns/%2e%2e/taskInstances/extract/logs/1",
                "dags/web_fixture/dagRuns/x/taskInstances/..%5C..%5Cwin.ini/logs/1",
                "dags/web_fixture/dagRuns/x/taskInstances/extract/logs/%2Fetc%2Fpasswd",
                "dags/web_fixture/dagRuns/x/taskInstances/extract/logs//etc/passwd",
                "dags/%2E%2E/dagRuns"}) {
            HttpResponse<String> response = Http.get(URI.create(web.server.url() + "api/v1/" + path));
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).doesNotContain("root:");
        }
    }

    @Test
    void clearsOnlyTheFailedTasksAndTheirDownstreamAndTheyRunAgain() throws InterruptedException {
        WebFixtureDag.FailOnce.arm();
        Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"fail_run\", \"conf\": {\"mode\": \"FAIL\"}}");
        web.awaitEnd("fail_run");
        assertThat(Http.body(Http.get(api("dags/web_fixture/dagRuns/fail_run/taskInstances"))).get("task_instances")
                .findValuesAsText("state")).containsExactly("success", "failed", "upstream_failed", "success");

        HttpResponse<String> cleared = Http.json("POST", api("dags/web_fixture/clearTaskInstances"),
                "{\"dag_run_id\": \"fail_run\", \"only_failed\": true}");

        assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
        assertThat(Http.body(cleared).get("task_instances").findValuesAsText("task_id"))
                .containsExactly("transform", "load", "notify_failure");
        assertThat(web.awaitEnd("fail_run").state()).isEqualTo(RunState.SUCCESS);
        JsonNode transform = Http.body(Http.get(api("dags/web_fixture/dagRuns/fail_run/taskInstances/transform")));
        assertThat(transform.get("try_number").asInt()).isEqualTo(2);
    }

    @Test
    void marksATaskAndARunAsAirflowDoes() throws InterruptedException {
        Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"mark_run\"}");
        web.awaitEnd("mark_run");

        JsonNode task = Http.body(Http.json("PATCH", api("dags/web_fixture/dagRuns/mark_run/taskInstances/load"),
                "{\"new_state\": \"failed\"}"));
        JsonNode run = Http.body(Http.get(api("dags/web_fixture/dagRuns/mark_run")));

        assertThat(task.get("state").asText()).isEqualTo("failed");
        assertThat(run.get("state").asText()).isEqualTo("failed");
        assertThat(Http.body(Http.json("PATCH", api("dags/web_fixture/dagRuns/mark_run"), "{\"state\": \"success\"}"))
                .get("state").asText()).isEqualTo("success");
        assertProblem(Http.json("PATCH", api("dags/web_fixture/dagRuns/mark_run"), "{\"state\": \"running\"}"), 400,
                "a run can be marked success or failed, not running");
    }

    @Test
    void pausesAndUnpausesADag() {
        JsonNode paused = Http.body(Http.json("PATCH", api("dags/web_fixture"), "{\"is_paused\": true}"));
        assertThat(paused.get("is_paused").asBoolean()).isTrue();
        assertThat(Http.body(Http.get(api("dags/web_fixture"))).get("is_paused").asBoolean()).isTrue();

        Http.json("PATCH", api("dags/web_fixture"), "{\"is_paused\": false}");
        assertThat(Http.body(Http.get(api("dags/web_fixture"))).get("is_paused").asBoolean()).isFalse();
        assertProblem(Http.json("PATCH", api("dags/web_fixture"), "{\"is_paused\": \"yes\"}"), 400,
                "is_paused must be true or false");
    }

    @Test
    void setsListsAndDeletesPools() {
        JsonNode pool = Http.body(Http.json("POST", api("pools"),
                "{\"name\": \"gpu\", \"slots\": 2, \"description\": \"the GPU box\"}"));
        assertThat(pool.get("open_slots").asInt()).isEqualTo(2);
        assertThat(Http.body(Http.get(api("pools"))).get("pools").findValuesAsText("name")).contains("gpu");

        assertThat(Http.send(java.net.http.HttpRequest.newBuilder(api("pools/gpu")).DELETE()).statusCode())
                .isEqualTo(204);
        assertProblem(Http.get(api("pools/gpu")), 404, "no pool gpu");
        assertProblem(Http.json("POST", api("pools"), "{\"name\": \"a b\", \"slots\": 1}"), 400,
                "pool name 'a b' is not valid: a pool name is 1 to 250 letters, digits and _ - .");
    }

    @Test
    void refusesNegativeSlotsWithTheMessageTheCliShows() {
        assertProblem(Http.json("POST", api("pools"), "{\"name\": \"etl\", \"slots\": -1}"), 400,
                "pool etl needs 0 or more slots, not -1");
        assertProblem(Http.get(api("pools/etl")), 404, "no pool etl");
    }

    @Test
    void refusesToResumeAnEndedRunWithTheCommandThatRunsItsTasksAgain() throws InterruptedException {
        Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"~ended\"}");
        Operations.Run ended = web.awaitEnd("~ended");

        assertProblem(Http.json("POST", api("dags/web_fixture/dagRuns/~ended/resume"), "{}"), 409,
                "run ~ended of DAG web_fixture already ended " + ended.state().label()
                        + "; to run tasks again: dagctl clear '~ended'");
    }

    @Test
    void masksASecretInParamsAndLogsAndShowsWhyItWasNotStoredInXCom() throws InterruptedException {
        io.dagctl.Secrets.register("hunter2-vault-password");
        Http.json("POST", api("dags/web_fixture/dagRuns"),
                "{\"dag_run_id\": \"secret_run\", \"conf\": {\"note\": \"pw hunter2-vault-password\"}}");
        web.awaitEnd("secret_run");

        String run = Http.get(api("dags/web_fixture/dagRuns/secret_run")).body();
        String log = Http.get(api("dags/web_fixture/dagRuns/secret_run/taskInstances/extract/logs/1")).body();
        String page = Http.get(web.url("/dags/web_fixture/runs/secret_run/tasks/extract")).body();

        assertThat(List.of(run, log)).allSatisfy(body -> assertThat(body)
                .doesNotContain("hunter2-vault-password").contains("pw ***"));
        assertThat(page).doesNotContain("hunter2-vault-password").contains("task &#39;extract&#39; returned a value"
                + " that contains a secret (a connection password or token); it is not stored in XCom");
        assertProblem(Http.get(api("dags/web_fixture/dagRuns/secret_run/taskInstances/extract/xcomEntries")), 404,
                "task extract of run secret_run has no XCom value");
    }

    @Test
    void listsRunsAcrossDagsFilteredByStateOnTheRunsPage() throws InterruptedException {
        Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"listed_ok\"}");
        Http.json("POST", api("dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"listed_marked\"}");
        web.awaitEnd("listed_ok");
        web.awaitEnd("listed_marked");
        Http.json("PATCH", api("dags/web_fixture/dagRuns/listed_marked"), "{\"state\": \"failed\"}");

        String failed = Http.get(web.url("/runs?state=failed&dag_id=web_fixture")).body();
        String all = Http.get(web.url("/runs")).body();

        assertThat(failed).contains(">listed_marked<").doesNotContain(">listed_ok<");
        assertThat(all).contains(">listed_marked<").contains(">listed_ok<");
        assertThat(Http.get(web.url("/runs?state=paused")).body()).contains("unknown run state &#39;paused&#39;;"
                + " the states are queued, running, success, failed");
    }

    @Test
    void showsTheNextRunsOfAScheduledDag() {
        JsonNode dag = Http.body(Http.get(api("dags/web_scheduled")));
        String page = Http.get(web.url("/dags/web_scheduled")).body();

        assertThat(dag.get("next_dagrun").asText()).endsWith("T06:00:00Z");
        assertThat(Instant.parse(dag.get("next_dagrun_create_after").asText()))
                .isEqualTo(Instant.parse(dag.get("next_dagrun").asText()).plus(Duration.ofDays(1)));
        assertThat(page.split("T06:00:00Z</td><td>")).hasSize(6);
        assertThat(Http.body(Http.get(api("dags/web_fixture"))).get("next_dagrun").isNull()).isTrue();
    }

    @Test
    void servesAnHtmlReportTheXComValueNamesSandboxedAndByIndexOnly() throws Exception {
        java.nio.file.Path report = web.objects.resolve("reports/r1/summary.html");
        java.nio.file.Files.createDirectories(report.getParent());
        java.nio.file.Files.writeString(report, "<h1>Report</h1><script>window.top.xss = 1</script>");
        Http.json("POST", api("dags/web_fixture/dagRuns"),
                "{\"dag_run_id\": \"report_run\", \"conf\": {\"note\": \"s3://reports/r1/summary.html\"}}");
        web.awaitEnd("report_run");

        HttpResponse<String> object = Http.get(web.url("/dags/web_fixture/runs/report_run/tasks/extract/objects/0"));
        String page = Http.get(web.url("/dags/web_fixture/runs/report_run/tasks/extract")).body();

        assertThat(object.statusCode()).isEqualTo(200);
        assertThat(object.body()).isEqualTo("<h1>Report</h1><script>window.top.xss = 1</script>");
        assertThat(object.headers().firstValue("Content-Security-Policy")).hasValue("sandbox; default-src 'none';"
                + " style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'");
        assertThat(page).contains("<iframe class=\"report\" sandbox title=\"s3://reports/r1/summary.html\""
                + " src=\"/dags/web_fixture/runs/report_run/tasks/extract/objects/0\"></iframe>");
        HttpResponse<String> missing = Http.get(web.url("/dags/web_fixture/runs/report_run/tasks/extract/objects/1"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("the XCom value of task extract of run report_run names 1 object(s);"
                + " there is no object 1");
    }

    @Test
    void followsARunningTryALineAtATimeAndCompletesItOnceTheTryEnds() throws Exception {
        Instant now = Instant.now();
        io.dagctl.internal.store.TaskInstance running = io.dagctl.internal.store.TaskInstance
                .fresh("web_fixture", "running_run", "extract", 1).startedTry(now, "here", 1);
        web.store.write(tx -> {
            tx.insertRun(new io.dagctl.internal.store.DagRun("web_fixture", "running_run", RunState.RUNNING,
                    io.dagctl.internal.store.RunType.MANUAL, now, now, now, java.util.Map.of(), now,
                    Optional.of(now), Optional.empty(), Optional.empty(), Optional.empty()));
            tx.insertTasks(List.of(running));
        });
        java.nio.file.Path log = io.dagctl.internal.logging.TaskLogs.under(web.home)
                .pathOf("web_fixture", "running_run", "extract", 1);
        java.nio.file.Files.createDirectories(log.getParent());
        java.nio.file.Files.writeString(log, "line one\nhalf a li");
        String url = "dags/web_fixture/dagRuns/running_run/taskInstances/extract/logs/1";

        JsonNode whileRunning = Http.body(Http.get(api(url)));
        JsonNode tailWhileRunning = Http.body(Http.get(api(url + "?tail=true")));
        web.store.write(tx -> tx.updateTasks(List.of(running.endedTry(io.dagctl.TaskState.SUCCESS, Instant.now(),
                Optional.empty(), Optional.empty()))));
        JsonNode afterEnd = Http.body(Http.get(api(url + "?offset=" + whileRunning.get("next_offset").asLong())));

        assertThat(whileRunning.get("content").asText()).isEqualTo("line one\n");
        assertThat(whileRunning.get("next_offset").asLong()).isEqualTo(9);
        assertThat(whileRunning.get("complete").asBoolean()).isFalse();
        assertThat(tailWhileRunning).isEqualTo(whileRunning);
        assertThat(afterEnd.get("content").asText()).isEqualTo("half a li");
        assertThat(afterEnd.get("complete").asBoolean()).isTrue();
    }

    @Test
    void showsTheTailOfALongLogAndPagesBackThroughItAWholeLineAtATime() throws Exception {
        Instant now = Instant.now();
        web.store.write(tx -> {
            tx.insertRun(new io.dagctl.internal.store.DagRun("web_fixture", "long_log_run", RunState.SUCCESS,
                    io.dagctl.internal.store.RunType.MANUAL, now, now, now, java.util.Map.of(), now,
                    Optional.of(now), Optional.of(now), Optional.empty(), Optional.empty()));
            tx.insertTasks(List.of(io.dagctl.internal.store.TaskInstance.fresh("web_fixture", "long_log_run",
                    "extract", 1).startedTry(now, "here", 1).endedTry(io.dagctl.TaskState.SUCCESS, now,
                    Optional.empty(), Optional.empty())));
        });
        StringBuilder written = new StringBuilder();
        for (int i = 0; written.length() < 2 * Api.LOG_CHUNK_BYTES + 1000; i++) {
            written.append("line ").append(i).append(" of a long log\n");
        }
        java.nio.file.Path log = io.dagctl.internal.logging.TaskLogs.under(web.home)
                .pathOf("web_fixture", "long_log_run", "extract", 1);
        java.nio.file.Files.createDirectories(log.getParent());
        java.nio.file.Files.writeString(log, written);
        String url = "dags/web_fixture/dagRuns/long_log_run/taskInstances/extract/logs/1";

        JsonNode tail = Http.body(Http.get(api(url + "?tail=true")));
        List<JsonNode> pages = new java.util.ArrayList<>(List.of(tail));
        while (pages.get(0).get("offset").asLong() > 0) {
            pages.add(0, Http.body(Http.get(api(url + "?before=" + pages.get(0).get("offset").asLong()))));
        }

        assertThat(tail.get("content").asText()).endsWith("of a long log\n").startsWith("line ")
                .hasSizeLessThanOrEqualTo(Api.LOG_CHUNK_BYTES);
        assertThat(tail.get("next_offset").asLong()).isEqualTo(written.length());
        assertThat(tail.get("complete").asBoolean()).isTrue();
        assertThat(pages).hasSize(3);
        for (int i = 1; i < pages.size(); i++) {
            assertThat(pages.get(i - 1).get("next_offset").asLong()).isEqualTo(pages.get(i).get("offset").asLong());
        }
        assertThat(pages.stream().map(p -> p.get("content").asText()).collect(java.util.stream.Collectors.joining()))
                .isEqualTo(written.toString());
        assertThat(Http.get(api(url + "?download=true")).body()).isEqualTo(written.toString());
        assertProblem(Http.get(api(url + "?before=x")), 400, "before must be a whole number, not 'x'");
    }

    @Test
    void refusesABodyThatIsNotJson() {
        HttpResponse<String> response = Http.json("POST", api("dags/web_fixture/dagRuns"), "{conf");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.body(response).get("detail").asText()).startsWith("the request body is not JSON: ");
    }
}
