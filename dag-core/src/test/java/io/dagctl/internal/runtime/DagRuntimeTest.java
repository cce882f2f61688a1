package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.Dag;
import io.dagctl.FailWithoutRetryException;
import io.dagctl.From;
import io.dagctl.Notification;
import io.dagctl.Notifier;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.TaskState;
import io.dagctl.TriggerRule;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DagRuntimeTest extends RuntimeFixture {

    @Dag(id = "skips")
    static class SkipPropagation {
        @Task(shortCircuit = true)
        boolean gate() {
            called("gate");
            return false;
        }

        @Task(after = "gate")
        void a() {
            called("a");
        }

        @Task(after = "a", triggerRule = TriggerRule.ALL_DONE)
        void cleanup() {
            called("cleanup");
        }

        @Task
        void independent() {
            called("independent");
        }

        @Task(after = {"independent", "a"}, triggerRule = TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
        void join() {
            called("join");
        }
    }

    @Test
    void aFalseShortCircuitSkipsEverythingDownstreamWhateverItsTriggerRule() {
        DagSpec dag = Specs.of(SkipPropagation.class, "gate", "independent", "a", "cleanup", "join");

        RunResult result = runtime.run(dag, RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.taskState("gate")).isEqualTo(TaskState.SUCCESS);
        assertThat(result.taskState("a")).isEqualTo(TaskState.SKIPPED);
        assertThat(result.taskState("cleanup")).isEqualTo(TaskState.SKIPPED);
        assertThat(result.taskState("join")).isEqualTo(TaskState.SKIPPED);
        assertThat(result.taskState("independent")).isEqualTo(TaskState.SUCCESS);
        assertThat(CALLS).containsExactlyInAnyOrder("gate", "independent");
    }

    @Dag(id = "branching")
    static class Branching {
        @Task(branch = true)
        String choose() {
            return "fast";
        }

        @Task(after = "choose")
        void fast() {
            called("fast");
        }

        @Task(after = "choose")
        void slow() {
            called("slow");
        }

        @Task(after = "slow")
        void afterSlow() {
            called("afterSlow");
        }

        @Task(after = {"fast", "afterSlow"}, triggerRule = TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
        void join() {
            called("join");
        }

        @Task(after = {"fast", "afterSlow"})
        void strictJoin() {
            called("strictJoin");
        }
    }

    @Test
    void aBranchSkipsTheOtherPathAndSkipsPropagateByTriggerRule() {
        DagSpec dag = Specs.of(Branching.class, "choose", "fast", "slow", "afterSlow", "join", "strictJoin");

        RunResult result = runtime.run(dag, RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.taskState("fast")).isEqualTo(TaskState.SUCCESS);
        assertThat(result.taskState("slow")).isEqualTo(TaskState.SKIPPED);
        assertThat(result.taskState("afterSlow")).isEqualTo(TaskState.SKIPPED);
        assertThat(result.taskState("join")).isEqualTo(TaskState.SUCCESS);
        assertThat(result.taskState("strictJoin")).isEqualTo(TaskState.SKIPPED);
        assertThat(CALLS).containsExactlyInAnyOrder("fast", "join");
        assertThat(runtime.xcomJson("branching", result.runId(), "choose")).contains("\"fast\"");
    }

    @Dag(id = "bad_branch")
    static class BadBranch {
        @Task(branch = true)
        List<String> choose() {
            return List.of("fast", "nowhere");
        }

        @Task(after = "choose")
        void fast() {
        }
    }

    @Test
    void aBranchToATaskThatIsNotDirectlyDownstreamFailsTheTask() {
        RunResult result = runtime.run(Specs.of(BadBranch.class, "choose", "fast"), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.FAILED);
        assertThat(result.task("choose").error()).contains("branch task 'choose' returned 'nowhere', which is not"
                + " directly downstream of it; its direct downstream tasks are [fast]");
        assertThat(result.taskState("fast")).isEqualTo(TaskState.UPSTREAM_FAILED);
    }

    @Dag(id = "failures")
    static class Failures {
        @Task
        void breaks() {
            called("breaks");
            throw new IllegalStateException("the source is empty");
        }

        @Task(after = "breaks")
        void next() {
            called("next");
        }

        @Task(after = "next", triggerRule = TriggerRule.ALL_DONE)
        void teardown() {
            called("teardown");
        }

        @Task(after = "breaks", triggerRule = TriggerRule.ONE_FAILED)
        void alert() {
            called("alert");
        }

        @Task(after = "breaks", triggerRule = TriggerRule.ALL_FAILED)
        void onlyOnFailure() {
            called("onlyOnFailure");
        }
    }

    @Test
    void aFailureMarksDownstreamUpstreamFailedAndRunsTheTasksThatWaitForIt() {
        DagSpec dag = Specs.of(Failures.class, "breaks", "next", "teardown", "alert", "onlyOnFailure");

        RunResult result = runtime.run(dag, RunRequest.manual());

        assertThat(result.taskState("breaks")).isEqualTo(TaskState.FAILED);
        assertThat(result.task("breaks").error()).contains("java.lang.IllegalStateException: the source is empty");
        assertThat(result.taskState("next")).isEqualTo(TaskState.UPSTREAM_FAILED);
        assertThat(result.taskState("teardown")).isEqualTo(TaskState.SUCCESS);
        assertThat(result.taskState("alert")).isEqualTo(TaskState.SUCCESS);
        assertThat(result.taskState("onlyOnFailure")).isEqualTo(TaskState.SUCCESS);
        assertThat(CALLS).containsExactlyInAnyOrder("breaks", "teardown", "alert", "onlyOnFailure");
        // Airflow's rule: every leaf succeeded, so the run did.
        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
    }

    @Dag(id = "flaky")
    static class Flaky {
        static final AtomicInteger TRIES = new AtomicInteger();
        static final Queue<Instant> STARTS = new ConcurrentLinkedQueue<>();

        @Task(retries = 3, retryDelay = "PT0.1S", retryExponentialBackoff = true, maxRetryDelay = "PT0.25S")
        int flaky(TaskContext context) {
            STARTS.add(Instant.now());
            if (TRIES.incrementAndGet() < 4) {
                throw new IllegalStateException("try " + context.tryNumber() + " failed");
            }
            return context.tryNumber();
        }
    }

    @Test
    void retriesAFailingTaskWithExponentialBackoffUpToItsCap() {
        Flaky.TRIES.set(0);
        Flaky.STARTS.clear();

        DagSpec dag = Specs.of(Flaky.class, "flaky");

        RunResult result = runtime.run(dag, RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.task("flaky").tryNumber()).isEqualTo(4);
        assertThat(runtime.xcom("flaky", result.runId(), "flaky", Integer.class)).contains(4);
        TaskSpec flaky = dag.tasks().get(0);
        assertThat(List.of(2, 3, 4)).map(nextTry -> runtime.retryDelay(flaky, nextTry))
                .containsExactly(ms(100), ms(200), ms(250));
        // Each retry waited its delay at least; a loaded machine may only make the wait longer.
        List<Instant> starts = List.copyOf(Flaky.STARTS);
        assertThat(Duration.between(starts.get(0), starts.get(1))).isGreaterThanOrEqualTo(ms(100));
        assertThat(Duration.between(starts.get(1), starts.get(2))).isGreaterThanOrEqualTo(ms(200));
        assertThat(Duration.between(starts.get(2), starts.get(3))).isGreaterThanOrEqualTo(ms(250));
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(runtime.logPath("flaky", result.runId(), "flaky", attempt)).exists();
        }
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Dag(id = "refusing")
    static class Refusing {
        static final AtomicInteger TRIES = new AtomicInteger();

        @Task(retries = 3, retryDelay = "PT0.1S")
        int refuse() {
            TRIES.incrementAndGet();
            throw new FailWithoutRetryException("column 'cnt' is missing: another try would read the same file");
        }
    }

    @Test
    void failsATaskThatRefusesRetriesAtItsFirstTry() {
        Refusing.TRIES.set(0);

        RunResult result = runtime.run(Specs.of(Refusing.class, "refuse"), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.FAILED);
        TaskInstance refused = result.task("refuse");
        assertThat(refused.state()).isEqualTo(TaskState.FAILED);
        assertThat(refused.tryNumber()).isEqualTo(1);
        assertThat(refused.error()).contains("column 'cnt' is missing: another try would read the same file");
        assertThat(Refusing.TRIES).hasValue(1);
        assertThat(runtime.logPath("refusing", result.runId(), "refuse", 1)).content()
                .contains("Try 1 of task refuse failed, without retry: column 'cnt' is missing");
    }

    @Test
    void failsATaskOnceItsRetriesAreSpent() {
        Flaky.TRIES.set(-10);

        RunResult result = runtime.run(Specs.of(Flaky.class, "flaky"), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.FAILED);
        TaskInstance flaky = result.task("flaky");
        assertThat(flaky.state()).isEqualTo(TaskState.FAILED);
        assertThat(flaky.tryNumber()).isEqualTo(4);
        assertThat(flaky.error()).contains("java.lang.IllegalStateException: try 4 failed");
    }

    @Dag(id = "slow")
    static class Slow {
        @Task(executionTimeout = "PT0.3S")
        void sleepy() throws InterruptedException {
            called("sleepy");
            Thread.sleep(10_000);
            called("woke");
        }
    }

    @Test
    void interruptsATryThatExceedsItsExecutionTimeout() {
        RunResult result = runtime.run(Specs.of(Slow.class, "sleepy"), RunRequest.manual());

        assertThat(result.taskState("sleepy")).isEqualTo(TaskState.FAILED);
        assertThat(result.task("sleepy").error()).contains("execution timeout of PT0.3S exceeded");
        assertThat(CALLS).containsExactly("sleepy");
    }

    record Station(String name, LocalDate opened, URI page) {
    }

    @Dag(id = "typed")
    static class Typed {
        @Task
        List<Station> stations() {
            return List.of(new Station("Dupont Circle", LocalDate.of(2010, 9, 20), URI.create("https://example.org/d")),
                    new Station("Union Station", LocalDate.of(2011, 1, 5), URI.create("https://example.org/u")));
        }

        @Task
        Map<String, Instant> seen() {
            return Map.of("first", Instant.parse("2011-03-01T08:15:30.5Z"));
        }

        @Task
        String describe(@From("stations") List<Station> stations, @From("seen") Map<String, Instant> seen) {
            Station first = stations.get(0);
            return first.name() + " opened " + first.opened().getYear() + " at " + first.page().getHost()
                    + ", first seen " + seen.get("first").getEpochSecond();
        }
    }

    @Test
    void passesRecordsTimesAndUrisThroughXComAsTheirDeclaredGenericTypes() {
        RunResult result = runtime.run(Specs.of(Typed.class, "stations", "seen", "describe"), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(runtime.xcom("typed", result.runId(), "describe", String.class))
                .contains("Dupont Circle opened 2010 at example.org, first seen 1298967330");
        assertThat(runtime.xcomJson("typed", result.runId(), "stations")).contains(
                "[{\"name\":\"Dupont Circle\",\"opened\":\"2010-09-20\",\"page\":\"https://example.org/d\"},"
                        + "{\"name\":\"Union Station\",\"opened\":\"2011-01-05\",\"page\":\"https://example.org/u\"}]");
    }

    @Dag(id = "big")
    static class Big {
        @Task
        String huge() {
            return "x".repeat(60_000);
        }
    }

    @Test
    void refusesAValueOverTheXComLimitNamingTheTaskAndTheSize() {
        RunResult result = runtime.run(Specs.of(Big.class, "huge"), RunRequest.manual());

        assertThat(result.taskState("huge")).isEqualTo(TaskState.FAILED);
        assertThat(result.task("huge").error()).contains("task 'huge' returned 60,002 bytes of JSON, over the XCom"
                + " limit of 49,152 bytes; return a reference to the data (an object key, a path) instead, or raise"
                + " DAGCTL_XCOM_MAX_BYTES");
        assertThat(runtime.xcomJson("big", result.runId(), "huge")).isEmpty();
    }

    @Dag(id = "leaky")
    static class Leaky {
        @Task
        String token(TaskContext context) {
            context.log().info("calling the API with token tok-9f8e7d6c");
            return "Bearer tok-9f8e7d6c";
        }
    }

    @Test
    void refusesToStoreASecretInXComAndMasksItInTheTaskLog() throws Exception {
        io.dagctl.Secrets.register("tok-9f8e7d6c");

        RunResult result = runtime.run(Specs.of(Leaky.class, "token"), RunRequest.manual());

        assertThat(result.taskState("token")).isEqualTo(TaskState.FAILED);
        assertThat(result.task("token").error()).contains("task 'token' returned a value that contains a secret"
                + " (a connection password or token); it is not stored in XCom");
        String log = Files.readString(runtime.logPath("leaky", result.runId(), "token", 1));
        assertThat(log).contains("calling the API with token ***").doesNotContain("tok-9f8e7d6c");
    }

    @Dag(id = "logging")
    static class Logging {
        @Task
        void talk(TaskContext context) {
            context.log().info("rows read: {}", 42);
            org.slf4j.LoggerFactory.getLogger("some.library").warn("a library speaks too");
            throw new IllegalArgumentException("bad row with password hunter22-secret");
        }
    }

    @Test
    void writesEachTryToItsOwnFileInAirflowsLayoutWithExceptionsMasked() throws Exception {
        io.dagctl.Secrets.register("hunter22-secret");

        RunResult result = runtime.run(Specs.of(Logging.class, "talk"), RunRequest.manual());

        assertThat(runtime.logPath("logging", result.runId(), "talk", 1)).isEqualTo(home.resolve("logs")
                .resolve("dag_id=logging").resolve("run_id=" + result.runId()).resolve("task_id=talk")
                .resolve("attempt=1.log"));
        String log = Files.readString(runtime.logPath("logging", result.runId(), "talk", 1));
        assertThat(log).contains("Starting try 1 of 1 of task talk", "rows read: 42", "a library speaks too",
                "java.lang.IllegalArgumentException: bad row with password ***", "at io.dagctl.internal.runtime")
                .doesNotContain("hunter22-secret");
        assertThat(result.task("talk").error()).contains("java.lang.IllegalArgumentException: bad row with password ***");
    }

    static final Queue<Notification> NOTIFIED = new ConcurrentLinkedQueue<>();

    static class Recording implements Notifier {
        @Override
        public void notify(Notification notification) {
            NOTIFIED.add(notification);
        }
    }

    static class Broken implements Notifier {
        @Override
        public void notify(Notification notification) {
            throw new IllegalStateException("the chat service is down");
        }
    }

    @Dag(id = "told", onFailure = {Broken.class, Recording.class}, onSuccess = Recording.class)
    static class Told {
        @Task(onSuccess = Recording.class)
        void fine() {
        }

        @Task(after = "fine", onFailure = {Broken.class, Recording.class})
        void breaks() {
            throw new IllegalStateException("no");
        }
    }

    @Test
    void tellsTaskAndRunNotifiersEvenWhenOneOfThemFails() {
        NOTIFIED.clear();

        RunResult result = runtime.run(Specs.of(Told.class, "fine", "breaks"), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.FAILED);
        assertThat(NOTIFIED).extracting(n -> n.taskId().orElse("(run)") + " " + n.state())
                .containsExactly("fine success", "breaks failed", "(run) failed");
        assertThat(NOTIFIED).last().extracting(Notification::error)
                .isEqualTo(java.util.Optional.of("tasks failed: [breaks]"));
    }

    /** What the tasks of {@link Hops} saw, by what: which thread ran or told what, and the states they read. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();
    static volatile Thread coordinator;
    static volatile MetadataStore hopStore;

    static class ThreadRecording implements Notifier {
        @Override
        public void notify(Notification notification) {
            SEEN.put("told " + notification.taskId().orElseThrow(), Thread.currentThread().getName());
        }
    }

    @Dag(id = "hops")
    static class Hops {
        @Task(onSuccess = ThreadRecording.class)
        int first() throws InterruptedException {
            // The coordinator is parked waiting for outcomes once it has started this try: the end of it finds no
            // turn in progress, whatever the machine's load.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (coordinator.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            SEEN.put("first", Thread.currentThread().getName());
            return 1;
        }

        @Task
        int second(TaskContext context, @From("first") int value) {
            SEEN.put("second", Thread.currentThread().getName());
            for (TaskInstance task : hopStore.taskInstances("hops", context.runId())) {
                SEEN.put(task.taskId() + " as second starts", task.state().label());
            }
            return value + 1;
        }
    }

    @Test
    void runsAChainsNextTaskOnTheThreadThatEndedItsUpstreamOnceTheCommitRecordingBothReturned() throws Exception {
        SEEN.clear();
        hopStore = store;
        AtomicReference<RunResult> result = new AtomicReference<>();
        coordinator = new Thread(() -> result.set(runtime.run(Specs.of(Hops.class, "first", "second"),
                RunRequest.manual())), "coordinator");
        coordinator.start();
        coordinator.join();

        assertThat(result.get().state()).isEqualTo(RunState.SUCCESS);
        assertThat(SEEN.get("first")).startsWith("dagctl-task-");
        assertThat(SEEN).containsEntry("told first", SEEN.get("first"))
                .containsEntry("second", SEEN.get("first"))
                .containsEntry("first as second starts", "success")
                .containsEntry("second as second starts", "running");
    }

    @Test
    void clearsAFailedTaskAndItsDownstreamAndRunsThemAgain() {
        DagSpec dag = Specs.of(Flaky.class, "flaky");
        Flaky.TRIES.set(-10);
        RunResult failed = runtime.run(dag, RunRequest.manual());
        assertThat(failed.state()).isEqualTo(RunState.FAILED);

        Flaky.TRIES.set(3);
        List<String> cleared = runtime.clear("flaky", failed.runId(), List.of("flaky"), true);
        assertThat(cleared).containsExactly("flaky");
        assertThat(runtime.findRun("flaky", failed.runId()).orElseThrow().state()).isEqualTo(RunState.QUEUED);

        RunResult again = runtime.execute("flaky", failed.runId());
        assertThat(again.state()).isEqualTo(RunState.SUCCESS);
        assertThat(again.task("flaky").tryNumber()).isEqualTo(5);
        assertThat(runtime.xcom("flaky", failed.runId(), "flaky", Integer.class)).contains(5);
    }

    @Test
    void clearingTasksAlsoClearsEverythingDownstream() {
        DagSpec dag = Specs.of(Branching.class, "choose", "fast", "slow", "afterSlow", "join", "strictJoin");
        RunResult first = runtime.run(dag, RunRequest.manual());

        List<String> cleared = runtime.clear("branching", first.runId(), List.of("slow"), false);

        assertThat(cleared).containsExactly("slow", "afterSlow", "join", "strictJoin");
        assertThat(runtime.taskInstances("branching", first.runId()))
                .filteredOn(t -> cleared.contains(t.taskId())).allMatch(t -> t.state() == TaskState.NONE);
    }

    @Test
    void refusesASecondRunWithTheSameId() {
        DagSpec dag = Specs.of(Big.class, "huge");
        runtime.trigger(dag, RunRequest.manual().withRunId("nightly"));

        assertThatThrownBy(() -> runtime.trigger(dag, RunRequest.manual().withRunId("nightly")))
                .hasMessage("DAG big already has a run nightly");
    }

    @Test
    void refusesToRunASecondRunWithTheSameIdWithoutTouchingTheFirst() {
        DagSpec dag = Specs.of(Big.class, "huge");
        runtime.trigger(dag, RunRequest.manual().withRunId("nightly"));

        assertThatThrownBy(() -> runtime.run(dag, RunRequest.manual().withRunId("nightly")))
                .hasMessage("DAG big already has a run nightly");

        assertThat(store.findRun("big", "nightly").orElseThrow().state()).isEqualTo(RunState.QUEUED);
        assertThat(runtime.logPath("big", "nightly", "huge", 1)).doesNotExist();
        assertThat(runtime.run(Specs.of(Big.class, "huge"), RunRequest.manual()).taskState("huge"))
                .as("every slot the refused run claimed is given back").isEqualTo(TaskState.FAILED);
    }

    @Dag(id = "wide")
    static class Wide {
        static final AtomicInteger RUNNING = new AtomicInteger();
        static final AtomicInteger MOST = new AtomicInteger();

        @Task
        void a() throws InterruptedException {
            work();
        }

        @Task
        void b() throws InterruptedException {
            work();
        }

        @Task
        void c() throws InterruptedException {
            work();
        }

        @Task
        void d() throws InterruptedException {
            work();
        }

        @Task
        void e() throws InterruptedException {
            work();
        }

        @Task
        void f() throws InterruptedException {
            work();
        }

        private static void work() throws InterruptedException {
            MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            Thread.sleep(100);
            RUNNING.decrementAndGet();
        }
    }

    @Test
    void runsIndependentTasksInParallelUpToTheParallelism() {
        Wide.MOST.set(0);

        RunResult result = runtime.run(Specs.of(Wide.class, "a", "b", "c", "d", "e", "f"), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(Wide.MOST.get()).isEqualTo(4);
    }
}
