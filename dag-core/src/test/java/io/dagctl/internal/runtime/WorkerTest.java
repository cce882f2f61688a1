package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.FailWithoutRetryException;
import io.dagctl.Expand;
import io.dagctl.From;
import io.dagctl.RunState;
import io.dagctl.SkipTaskException;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.TaskState;
import io.dagctl.TriggerRule;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.store.WorkQueue;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Workers on a real PostgreSQL, in this JVM: runs handed to them, mapping, limits and pools, zombies. */
@Timeout(60)
class WorkerTest {
    static final Queue<String> CALLS = new ConcurrentLinkedQueue<>();
    static final Map<String, AtomicInteger> FAILURES_LEFT = new ConcurrentHashMap<>();

    @TempDir
    Path home;
    Map<String, String> environment;
    MetadataStore store;
    final List<DagRuntime> runtimes = new ArrayList<>();
    final List<Worker> workers = new ArrayList<>();

    @BeforeEach
    void openDatabase() {
        CALLS.clear();
        FAILURES_LEFT.clear();
        environment = Map.of(StoreLocation.DB_URL_VARIABLE, SharedPostgres.freshDatabase("workers"));
        store = MetadataStore.open(StoreLocation.fromEnvironment(environment, home));
    }

    @AfterEach
    void close() {
        workers.forEach(Worker::close);
        runtimes.forEach(DagRuntime::close);
        store.close();
    }

    private DagRuntime runtime(ExecutionMode mode, int parallelism, DagSpec... dags) {
        DagRuntime runtime = DagRuntime.builder()
                .environment(environment)
                .home(home)
                .store(store)
                .parallelism(parallelism)
                .executor(mode)
                .heartbeatEvery(Duration.ofMillis(200))
                .zombieTimeout(Duration.ofSeconds(3))
                .connections(Connections.of(Map.of()))
                .dags(List.of(dags))
                .resumeInterruptedOnOpen(false)
                .build();
        runtimes.add(runtime);
        return runtime;
    }

    private Worker startWorker(int threads, DagSpec... dags) {
        Worker worker = runtime(ExecutionMode.WORKERS, threads, dags).worker();
        Thread thread = new Thread(worker::run, "test-worker-" + workers.size());
        thread.setDaemon(true);
        thread.start();
        workers.add(worker);
        return worker;
    }

    private RunResult runOnWorkers(DagSpec dag) {
        DagRuntime trigger = runtime(ExecutionMode.WORKERS, 1, dag);
        return awaitEnd(dag.id(), trigger.trigger(dag, RunRequest.manual()));
    }

    /** The run once it has ended; when it does not within 30 s, a failure listing its task instances. */
    private RunResult awaitEnd(String dagId, String runId) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            var run = store.findRun(dagId, runId).orElseThrow();
            if (run.state().isFinished()) {
                return new RunResult(run, store.taskInstances(dagId, runId));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("run " + runId + " did not end: " + store.findRun(dagId, runId).orElseThrow()
                + "\n" + String.join("\n", store.taskInstances(dagId, runId).stream().map(Object::toString).toList()));
    }

    @Dag(id = "mapped", retries = 1, retryDelay = "PT0.01S")
    static class Mapped {
        @Task
        List<String> cities() {
            return List.of("oslo", "lima", "pune");
        }

        @Task
        String shout(@Expand("cities") String city, TaskContext context) {
            CALLS.add("shout " + city);
            AtomicInteger failures = FAILURES_LEFT.get(city);
            if (failures != null && failures.get() < 0) {
                throw new FailWithoutRetryException(city + " is not to be shouted at, ever");
            }
            if (failures != null && failures.getAndDecrement() > 0) {
                throw new IllegalStateException("no shouting in " + city + " today");
            }
            return city.toUpperCase() + "!";
        }

        @Task
        String joined(@From("shout") List<String> shouted) {
            CALLS.add("joined " + shouted);
            return String.join(" ", shouted);
        }
    }

    @Dag(id = "wide")
    static class Wide {
        static final int WIDTH = 300;

        @Task
        List<Integer> numbers() {
            return IntStream.range(0, WIDTH).boxed().toList();
        }

        @Task
        int square(@Expand("numbers") int number) {
            return number * number;
        }

        @Task
        int sum(@From("square") List<Integer> squares) {
            return squares.stream().mapToInt(Integer::intValue).sum();
        }
    }

    @Test
    void aFollowerOfAWorkerRunReadsEachChangeOnceAndMissesNoneWhileTwoWorkersCommit() throws InterruptedException {
        DagSpec dag = DagDiscovery.load(Wide.class);
        startWorker(8, dag);
        startWorker(8, dag);
        DagRuntime trigger = runtime(ExecutionMode.WORKERS, 1, dag);
        String runId = trigger.trigger(dag, RunRequest.manual());
        RunChanges changes = trigger.changes(dag.id(), runId);
        Map<String, TaskInstance> followed = new HashMap<>();
        int read = 0;
        int polls = 0;
        while (!store.findRun(dag.id(), runId).orElseThrow().state().isFinished()) {
            Collection<TaskInstance> changed = changes.next();
            read += changed.size();
            polls++;
            changed.forEach(task -> followed.put(task.label(), task));
            Thread.sleep(1);
        }
        changes.next().forEach(task -> followed.put(task.label(), task));
        RunResult result = awaitEnd(dag.id(), runId);

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(polls).isGreaterThan(20);
        // Each instance is written when created (the mapped ones when expanded), queued, claimed and ended, and each
        // write is read at most once: never the whole run again per poll.
        assertThat(read).isLessThanOrEqualTo(4 * (Wide.WIDTH + 3));
        assertThat(result.tasks()).hasSize(Wide.WIDTH + 2)
                .allSatisfy(task -> assertThat(followed.get(task.label())).isEqualTo(task));
    }

    @Test
    void mapsATaskOverAListAndHandsTheResultsDownstreamInIndexOrder() {
        DagSpec dag = DagDiscovery.load(Mapped.class);
        startWorker(4, dag);
        RunResult result = runOnWorkers(dag);

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.tasks()).filteredOn(t -> t.taskId().equals("shout"))
                .extracting(TaskInstance::mapIndex, TaskInstance::state)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(0, TaskState.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple(1, TaskState.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple(2, TaskState.SUCCESS));
        assertThat(CALLS).contains("joined [OSLO!, LIMA!, PUNE!]");
        assertThat(runtimes.get(0).xcom("mapped", result.runId(), "joined", String.class))
                .contains("OSLO! LIMA! PUNE!");
    }

    @Test
    void retriesOneFailingMappedInstanceWithoutRerunningTheOthers() {
        FAILURES_LEFT.put("lima", new AtomicInteger(1));
        DagSpec dag = DagDiscovery.load(Mapped.class);
        startWorker(4, dag);
        RunResult result = runOnWorkers(dag);

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(CALLS).filteredOn(c -> c.startsWith("shout ")).containsExactlyInAnyOrder(
                "shout oslo", "shout lima", "shout lima", "shout pune");
        TaskInstance lima = result.tasks().stream().filter(t -> t.taskId().equals("shout") && t.mapIndex() == 1)
                .findFirst().orElseThrow();
        assertThat(lima.tryNumber()).isEqualTo(2);
    }

    @Test
    void failsTheRunWhenAMappedInstanceRunsOutOfTries() {
        FAILURES_LEFT.put("pune", new AtomicInteger(2));
        DagSpec dag = DagDiscovery.load(Mapped.class);
        startWorker(4, dag);
        RunResult result = runOnWorkers(dag);

        assertThat(result.state()).isEqualTo(RunState.FAILED);
        TaskInstance pune = result.tasks().stream().filter(t -> t.taskId().equals("shout") && t.mapIndex() == 2)
                .findFirst().orElseThrow();
        assertThat(pune.state()).isEqualTo(TaskState.FAILED);
        assertThat(pune.tryNumber()).isEqualTo(2);
        assertThat(pune.error()).contains("java.lang.IllegalStateException: no shouting in pune today");
        assertThat(result.taskState("joined")).isEqualTo(TaskState.UPSTREAM_FAILED);
    }

    @Test
    void clearingTheFailedInstancesOfAMappedTaskRerunsOnlyThemOnWorkers() {
        FAILURES_LEFT.put("pune", new AtomicInteger(2));
        DagSpec dag = DagDiscovery.load(Mapped.class);
        startWorker(4, dag);
        DagRuntime trigger = runtime(ExecutionMode.WORKERS, 1, dag);
        String runId = trigger.trigger(dag, RunRequest.manual());
        assertThat(awaitEnd("mapped", runId).state()).isEqualTo(RunState.FAILED);
        CALLS.clear();

        assertThat(trigger.clear("mapped", runId, List.of("shout"), true)).containsExactly("shout", "joined");
        RunResult cleared = awaitEnd("mapped", runId);

        assertThat(cleared.state()).isEqualTo(RunState.SUCCESS);
        assertThat(CALLS).containsExactly("shout pune", "joined [OSLO!, LIMA!, PUNE!]");
    }

    @Test
    void clearingTheListTaskExpandsTheMappedTaskAgainOnWorkers() {
        DagSpec dag = DagDiscovery.load(Mapped.class);
        startWorker(4, dag);
        DagRuntime trigger = runtime(ExecutionMode.WORKERS, 1, dag);
        String runId = trigger.trigger(dag, RunRequest.manual());
        assertThat(awaitEnd("mapped", runId).state()).isEqualTo(RunState.SUCCESS);
        CALLS.clear();

        assertThat(trigger.clear("mapped", runId, List.of("cities"), false))
                .containsExactly("cities", "shout", "joined");
        RunResult cleared = awaitEnd("mapped", runId);

        assertThat(cleared.state()).isEqualTo(RunState.SUCCESS);
        assertThat(cleared.tasks()).filteredOn(t -> t.taskId().equals("shout")).hasSize(3)
                .allSatisfy(t -> assertThat(t.tryNumber()).isEqualTo(1));
        assertThat(CALLS).filteredOn(c -> c.startsWith("shout ")).hasSize(3);
    }

    @Test
    void aMappedInstanceThatRefusesRetriesFailsAtItsFirstTryOnWorkers() {
        FAILURES_LEFT.put("oslo", new AtomicInteger(-1));
        DagSpec dag = DagDiscovery.load(Mapped.class);
        startWorker(4, dag);
        RunResult result = runOnWorkers(dag);

        assertThat(result.state()).isEqualTo(RunState.FAILED);
        TaskInstance oslo = result.tasks().stream().filter(t -> t.label().equals("shout[0]")).findFirst()
                .orElseThrow();
        assertThat(oslo.tryNumber()).isEqualTo(1);
        assertThat(oslo.error()).contains("oslo is not to be shouted at, ever");
    }

    @Dag(id = "mapped_over_nothing")
    static class MappedOverNothing {
        @Task
        List<Integer> nothing() {
            return List.of();
        }

        @Task
        int twice(@Expand("nothing") int value) {
            CALLS.add("twice " + value);
            return 2 * value;
        }

        @Task(triggerRule = TriggerRule.ALL_DONE)
        void report(@From("twice") List<Integer> values) {
            CALLS.add("report " + values);
        }
    }

    @Test
    void skipsAMappedTaskWhoseListIsEmpty() {
        DagSpec dag = DagDiscovery.load(MappedOverNothing.class);
        startWorker(2, dag);
        RunResult result = runOnWorkers(dag);

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.task("twice").mapIndex()).isEqualTo(-1);
        assertThat(result.taskState("twice")).isEqualTo(TaskState.SKIPPED);
        assertThat(CALLS).containsExactly("report []");
    }

    @Dag(id = "limited", maxActiveTasks = 3)
    static class Limited {
        static final AtomicInteger RUNNING = new AtomicInteger();
        static final AtomicInteger MOST = new AtomicInteger();

        @Task
        List<Integer> items() {
            return java.util.stream.IntStream.range(0, 12).boxed().toList();
        }

        @Task
        void work(@Expand("items") int item) throws InterruptedException {
            MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            Thread.sleep(50);
            RUNNING.decrementAndGet();
        }
    }

    @Test
    void neverRunsMoreTasksOfADagAtOnceThanItsMaxActiveTasksAcrossWorkers() {
        Limited.MOST.set(0);
        DagSpec dag = DagDiscovery.load(Limited.class);
        startWorker(4, dag);
        startWorker(4, dag);
        RunResult result = runOnWorkers(dag);

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(Limited.MOST.get()).isEqualTo(3);
    }

    @Dag(id = "pooled", maxActiveTasks = 100)
    static class Pooled {
        static final AtomicInteger SLOTS_HELD = new AtomicInteger();
        static final AtomicInteger MOST = new AtomicInteger();

        @Task
        List<Integer> items() {
            return java.util.stream.IntStream.range(0, 10).boxed().toList();
        }

        @Task(pool = "postgres", poolSlots = 2)
        void load(@Expand("items") int item) throws InterruptedException {
            MOST.accumulateAndGet(SLOTS_HELD.addAndGet(2), Math::max);
            Thread.sleep(50);
            SLOTS_HELD.addAndGet(-2);
        }
    }

    @Test
    void holdsAPoolsSlotsAcrossWorkersAndLetsTasksOfAnUndefinedPoolWait() throws InterruptedException {
        Pooled.MOST.set(0);
        DagSpec dag = DagDiscovery.load(Pooled.class);
        startWorker(4, dag);
        startWorker(4, dag);
        DagRuntime trigger = runtime(ExecutionMode.WORKERS, 1, dag);
        String runId = trigger.trigger(dag, RunRequest.manual());
        Thread.sleep(1500);
        assertThat(store.taskInstances("pooled", runId)).filteredOn(t -> t.taskId().equals("load"))
                .extracting(TaskInstance::state).containsOnly(TaskState.SCHEDULED);

        WorkQueue.setPool(store, new WorkQueue.Pool("postgres", 5, "the demo database"));
        RunResult result = awaitEnd("pooled", runId);

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(Pooled.MOST.get()).isEqualTo(4);
    }

    @Dag(id = "fan_out")
    static class FanOut {
        static final int WIDTH = 1_000;
        static final CountDownLatch RELEASED = new CountDownLatch(1);

        @Task
        int source() {
            return 1;
        }

        @Task
        int next(@From("source") int value) throws InterruptedException {
            RELEASED.await();
            return value + 1;
        }

        /** The source and {@link #WIDTH} tasks taking its value, each a copy of {@code next}. */
        static DagSpec spec() {
            DagSpec declared = Specs.of(FanOut.class, "source", "next");
            TaskSpec next = declared.tasks().get(1);
            List<TaskSpec> tasks = new ArrayList<>(List.of(declared.tasks().get(0)));
            for (int i = 0; i < WIDTH; i++) {
                tasks.add(new TaskSpec("next_" + i, next.method(), next.returnType(), next.arguments(),
                        next.upstream(), next.triggerRule(), next.kind(), next.retry(), next.executionTimeout(),
                        next.onFailure(), next.onSuccess(), next.pool(), next.poolSlots()));
            }
            return new DagSpec(declared.id(), declared.dagClass(), declared.description(), declared.schedule(),
                    declared.timezone(), declared.startDate(), declared.catchup(), declared.tags(), declared.params(),
                    declared.maxActiveRuns(), declared.defaultRetry(), declared.executionTimeout(),
                    declared.onFailure(), declared.onSuccess(), tasks, declared.endDate(), declared.triggers(),
                    declared.maxActiveTasks());
        }
    }

    /**
     * A run's instances are inserted as none, with the statistics renewed then; once the source's end schedules
     * a thousand of them, statements naming one instance must still read it through the primary key, not every
     * scheduled instance through the index on the state; once the run has ended, a queuing pass must not scan the
     * table for scheduled instances that are gone.
     */
    @Test
    void queuesOneOfAThousandScheduledTasksThroughThePrimaryKey() throws InterruptedException {
        DagSpec dag = FanOut.spec();
        startWorker(2, dag);
        DagRuntime trigger = runtime(ExecutionMode.WORKERS, 1, dag);
        String runId = trigger.trigger(dag, RunRequest.manual());
        Instant deadline = Instant.now().plusSeconds(30);
        while (store.taskInstances("fan_out", runId).stream().noneMatch(t -> t.state() == TaskState.RUNNING
                && t.taskId().startsWith("next_")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        String scheduled = store.taskInstances("fan_out", runId).stream()
                .filter(t -> t.state() == TaskState.SCHEDULED).findFirst().orElseThrow().taskId();

        List<String> plan = store.withHandle(h -> h.createQuery("EXPLAIN UPDATE task_instance SET state = 'queued'"
                        + " WHERE dag_id = 'fan_out' AND run_id = :runId AND task_id = :taskId AND map_index = -1"
                        + " AND state = 'scheduled'")
                .bind("runId", runId).bind("taskId", scheduled)
                .mapTo(String.class).list());
        FanOut.RELEASED.countDown();

        assertThat(String.join("\n", plan)).contains("Index Scan using task_instance_pk");
        assertThat(awaitEnd("fan_out", runId).state()).isEqualTo(RunState.SUCCESS);
        List<String> afterTheRun = store.withHandle(h -> h.createQuery("EXPLAIN SELECT * FROM task_instance"
                + " WHERE state = 'scheduled' LIMIT 256").mapTo(String.class).list());
        assertThat(String.join("\n", afterTheRun)).as("once the run has ended, few instances are scheduled")
                .doesNotContain("Seq Scan");
    }

    @Dag(id = "slow_one", retries = 1, retryDelay = "PT0S")
    static class SlowOne {
        @Task
        String only() {
            CALLS.add("only");
            return "done";
        }
    }

    @Test
    void givesUpTheTryOfAWorkerThatStoppedHeartbeatingAndRetriesItElsewhere() {
        DagSpec dag = DagDiscovery.load(SlowOne.class);
        DagRuntime trigger = runtime(ExecutionMode.WORKERS, 1, dag);
        String runId = trigger.trigger(dag, RunRequest.manual());
        // A worker that starts the run and claims its task, then goes silent.
        Worker silent = trigger.worker();
        store.write(tx -> {
            var run = WorkQueue.lockRun(tx, "slow_one", runId).orElseThrow();
            tx.updateRun(run.started(Instant.now(), WorkQueue.WORKERS));
            tx.updateTasks(List.of(store.taskInstances("slow_one", runId).get(0).withState(TaskState.QUEUED)));
        });
        store.write(tx -> assertThat(WorkQueue.claim(tx, List.of("slow_one"), 1, "lost-host:1:gone", "lost-host", 1,
                Instant.now())).hasSize(1));
        silent.close();

        startWorker(2, dag);
        RunResult result = awaitEnd("slow_one", runId);

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.task("only").tryNumber()).isEqualTo(2);
        assertThat(CALLS).containsExactly("only");
        assertThat(trigger.logPath("slow_one", runId, "only", 1)).doesNotExist();
    }

    @Dag(id = "long_one", retries = 1, retryDelay = "PT0S")
    static class LongOne {
        @Task
        void only() throws InterruptedException {
            CALLS.add("only");
            Thread.sleep(8000);
        }
    }

    @Test
    void keepsHeartbeatingForARunningTryWhileEveryPooledConnectionIsTaken() throws Exception {
        DagSpec dag = DagDiscovery.load(LongOne.class);
        DagRuntime busy = DagRuntime.builder().environment(environment).home(home).parallelism(1)
                .executor(ExecutionMode.WORKERS).zombieTimeout(Duration.ofSeconds(3))
                .connections(Connections.of(Map.of())).dags(List.of(dag)).resumeInterruptedOnOpen(false).build();
        runtimes.add(busy);
        Worker worker = busy.worker();
        Thread thread = new Thread(worker::run, "test-busy-worker");
        thread.setDaemon(true);
        thread.start();
        workers.add(worker);
        String runId = runtime(ExecutionMode.WORKERS, 1, dag).trigger(dag, RunRequest.manual());
        while (CALLS.isEmpty()) {
            Thread.sleep(10);
        }
        // The worker's NOTIFY listener holds one connection; the test takes all the others.
        int free = MetadataStore.POOL_SIZE - 1;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(free);
        ExecutorService holders = Executors.newFixedThreadPool(free);
        for (int i = 0; i < free; i++) {
            holders.execute(() -> busy.store().withHandle(handle -> {
                held.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        assertThat(held.await(10, TimeUnit.SECONDS)).as("every pooled connection taken").isTrue();
        // Another worker, with a pool of its own, looks for zombies meanwhile.
        startWorker(1, dag);
        Thread.sleep(Duration.ofSeconds(6).toMillis());
        release.countDown();
        holders.shutdown();

        RunResult result = awaitEnd("long_one", runId);

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.task("only").tryNumber()).as("never given up as a zombie").isEqualTo(1);
        assertThat(CALLS).containsExactly("only");
    }

    @Test
    void refusesAZombieTimeoutTooShortForItsHeartbeats() {
        assertThatThrownBy(() -> DagRuntime.builder().environment(Map.of("DAGCTL_ZOMBIE_TIMEOUT", "2.5")).home(home)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DAGCTL_ZOMBIE_TIMEOUT of 2.5 s is too short: workers heartbeat every third of it, and one"
                        + " slow heartbeat would have live tries given up; use at least 3 s");
    }

    @Test
    void refusesWorkersOnH2() {
        assertThatThrownBy(() -> DagRuntime.builder().environment(Map.of()).home(home)
                .executor(ExecutionMode.WORKERS).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DAGCTL_EXECUTOR=workers needs a PostgreSQL metadata database that the"
                        + " workers share: set DAGCTL_DB_URL (it is jdbc:h2:file:");
    }

    @Test
    void createsARunOnceWhenTwoTriggerersRaceForIt() throws Exception {
        DagSpec dag = DagDiscovery.load(SlowOne.class);
        List<DagRuntime> triggerers = List.of(runtime(ExecutionMode.WORKERS, 1, dag),
                runtime(ExecutionMode.WORKERS, 1, dag));
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        List<java.util.concurrent.CompletableFuture<String>> attempts = triggerers.stream()
                .map(t -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    try {
                        return t.trigger(dag, RunRequest.manual().withRunId("nightly"));
                    } catch (IllegalArgumentException e) {
                        return e.getMessage();
                    }
                }))
                .toList();

        List<String> outcomes = attempts.stream().map(java.util.concurrent.CompletableFuture::join).toList();

        assertThat(outcomes).containsExactlyInAnyOrder("nightly", "DAG slow_one already has a run nightly");
        assertThat(store.runs(java.util.Optional.of("slow_one"), 10)).hasSize(1);
        assertThat(store.taskInstances("slow_one", "nightly")).hasSize(1);
    }

    @Test
    void clearingTheListTaskExpandsTheMappedTaskAgainOverTheNewListOnWorkers() {
        LocalMappingAndLimitsTest.ChangingCities.CITIES.clear();
        LocalMappingAndLimitsTest.ChangingCities.CITIES.addAll(List.of("oslo", "lima", "pune"));
        DagSpec dag = DagDiscovery.load(LocalMappingAndLimitsTest.ChangingCities.class);
        startWorker(4, dag);
        DagRuntime trigger = runtime(ExecutionMode.WORKERS, 1, dag);
        String runId = trigger.trigger(dag, RunRequest.manual());
        assertThat(awaitEnd("changing_cities", runId).state()).isEqualTo(RunState.SUCCESS);
        LocalMappingAndLimitsTest.ChangingCities.CITIES.clear();
        LocalMappingAndLimitsTest.ChangingCities.CITIES.addAll(List.of("rome", "kyiv"));
        CALLS.clear();

        assertThat(trigger.clear("changing_cities", runId, List.of("cities"), false))
                .containsExactly("cities", "shout", "joined");
        RunResult cleared = awaitEnd("changing_cities", runId);

        assertThat(cleared.state()).isEqualTo(RunState.SUCCESS);
        assertThat(cleared.tasks()).filteredOn(t -> t.taskId().equals("shout"))
                .extracting(TaskInstance::label).containsExactlyInAnyOrder("shout[0]", "shout[1]");
        assertThat(CALLS).containsExactlyInAnyOrder("shout rome", "shout kyiv", "joined [ROME!, KYIV!]");
    }

    @Dag(id = "skips_itself")
    static class SkipsItself {
        @Task(retries = 2)
        String fetch() {
            CALLS.add("fetch");
            throw new SkipTaskException("no new file today");
        }

        @Task
        String load(@From("fetch") String file) {
            CALLS.add("load");
            return file;
        }

        @Task(after = "load", triggerRule = TriggerRule.NONE_FAILED)
        void report() {
            CALLS.add("report");
        }
    }

    @Test
    void aTaskThatSkipsItselfOnAWorkerSkipsItsDownstream() {
        DagSpec dag = DagDiscovery.load(SkipsItself.class);
        startWorker(2, dag);
        RunResult result = runOnWorkers(dag);

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.taskState("fetch")).isEqualTo(TaskState.SKIPPED);
        assertThat(result.task("fetch").tryNumber()).isEqualTo(1);
        assertThat(result.taskState("load")).isEqualTo(TaskState.SKIPPED);
        assertThat(result.taskState("report")).isEqualTo(TaskState.SUCCESS);
        assertThat(CALLS).containsExactly("fetch", "report");
    }
}
