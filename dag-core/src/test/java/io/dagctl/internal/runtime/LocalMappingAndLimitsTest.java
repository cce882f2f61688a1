package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.Expand;
import io.dagctl.From;
import io.dagctl.Param;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.TaskState;
import io.dagctl.TriggerRule;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.WorkerTest.Limited;
import io.dagctl.internal.runtime.WorkerTest.Mapped;
import io.dagctl.internal.runtime.WorkerTest.MappedOverNothing;
import io.dagctl.internal.runtime.WorkerTest.Pooled;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.store.WorkQueue;
import io.dagctl.spec.DagSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The DAGs of {@link WorkerTest}, mapped and limited, run by one process on H2 as {@code dagctl trigger} does. */
@Timeout(60)
class LocalMappingAndLimitsTest {
    @TempDir
    Path home;
    MetadataStore store;
    DagRuntime runtime;

    @BeforeEach
    void openRuntime() {
        WorkerTest.CALLS.clear();
        WorkerTest.FAILURES_LEFT.clear();
        store = MetadataStore.open(StoreLocation.h2InMemory("local-mapping-" + UUID.randomUUID()));
        runtime = DagRuntime.builder().environment(Map.of()).home(home).store(store).parallelism(8)
                .connections(Connections.of(Map.of())).build();
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
        store.close();
    }

    @Test
    void mapsATaskOverAListAndHandsTheResultsDownstreamInIndexOrder() {
        RunResult result = runtime.run(DagDiscovery.load(Mapped.class), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.tasks()).filteredOn(t -> t.taskId().equals("shout"))
                .extracting(TaskInstance::label, TaskInstance::state)
                .containsExactlyInAnyOrder(tuple("shout[0]", TaskState.SUCCESS), tuple("shout[1]", TaskState.SUCCESS),
                        tuple("shout[2]", TaskState.SUCCESS));
        assertThat(WorkerTest.CALLS).contains("joined [OSLO!, LIMA!, PUNE!]");
        assertThat(runtime.xcomJson("mapped", result.runId(), "shout")).contains("[\"OSLO!\",\"LIMA!\",\"PUNE!\"]");
        assertThat(runtime.logPath("mapped", result.runId(), "shout[1]", 1)).content().contains("shout[1]");
    }

    @Test
    void retriesOneFailingMappedInstanceWithoutRerunningTheOthers() {
        WorkerTest.FAILURES_LEFT.put("lima", new AtomicInteger(1));
        RunResult result = runtime.run(DagDiscovery.load(Mapped.class), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(WorkerTest.CALLS).filteredOn(c -> c.startsWith("shout ")).containsExactlyInAnyOrder(
                "shout oslo", "shout lima", "shout lima", "shout pune");
        assertThat(instance(result, "shout[1]").tryNumber()).isEqualTo(2);
        assertThat(instance(result, "shout[0]").tryNumber()).isEqualTo(1);
    }

    @Test
    void failsTheRunWhenAMappedInstanceRunsOutOfTries() {
        WorkerTest.FAILURES_LEFT.put("pune", new AtomicInteger(2));
        RunResult result = runtime.run(DagDiscovery.load(Mapped.class), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.FAILED);
        TaskInstance pune = instance(result, "shout[2]");
        assertThat(pune.state()).isEqualTo(TaskState.FAILED);
        assertThat(pune.error()).contains("java.lang.IllegalStateException: no shouting in pune today");
        assertThat(result.taskState("joined")).isEqualTo(TaskState.UPSTREAM_FAILED);
    }

    @Test
    void skipsAMappedTaskWhoseListIsEmpty() {
        RunResult result = runtime.run(DagDiscovery.load(MappedOverNothing.class), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.task("twice").mapIndex()).isEqualTo(-1);
        assertThat(result.taskState("twice")).isEqualTo(TaskState.SKIPPED);
        assertThat(WorkerTest.CALLS).containsExactly("report []");
    }

    @Test
    void clearingTheFailedInstancesOfAMappedTaskRerunsOnlyThem() {
        DagSpec dag = DagDiscovery.load(Mapped.class);
        WorkerTest.FAILURES_LEFT.put("pune", new AtomicInteger(2));
        RunResult failed = runtime.run(dag, RunRequest.manual().withRunId("again"));
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        WorkerTest.CALLS.clear();

        runtime.clear("mapped", "again", List.of("shout"), true);
        RunResult cleared = runtime.execute("mapped", "again");

        assertThat(cleared.state()).isEqualTo(RunState.SUCCESS);
        assertThat(WorkerTest.CALLS).containsExactly("shout pune", "joined [OSLO!, LIMA!, PUNE!]");
    }

    @Test
    void neverRunsMoreTasksOfADagAtOnceThanItsMaxActiveTasksAcrossItsRuns() {
        Limited.MOST.set(0);
        DagSpec dag = DagDiscovery.load(Limited.class);
        CompletableFuture<RunResult> first = runtime.submit("limited", runtime.trigger(dag, RunRequest.manual()
                .withRunId("first")));
        CompletableFuture<RunResult> second = runtime.submit("limited", runtime.trigger(dag, RunRequest.manual()
                .withRunId("second")));

        assertThat(DagRuntime.await(first).state()).isEqualTo(RunState.SUCCESS);
        assertThat(DagRuntime.await(second).state()).isEqualTo(RunState.SUCCESS);
        assertThat(Limited.MOST.get()).isEqualTo(3);
    }

    @Test
    void holdsAPoolsSlotsAndLetsTasksOfAnUndefinedPoolWait() throws InterruptedException {
        Pooled.MOST.set(0);
        DagSpec dag = DagDiscovery.load(Pooled.class);
        String runId = runtime.trigger(dag, RunRequest.manual());
        CompletableFuture<RunResult> run = runtime.submit("pooled", runId);
        Thread.sleep(1500);
        assertThat(store.taskInstances("pooled", runId)).filteredOn(t -> t.taskId().equals("load"))
                .extracting(TaskInstance::state).containsOnly(TaskState.SCHEDULED);

        WorkQueue.setPool(store, new WorkQueue.Pool("postgres", 5, "the demo database"));

        assertThat(DagRuntime.await(run).state()).isEqualTo(RunState.SUCCESS);
        assertThat(Pooled.MOST.get()).isEqualTo(4);
    }

    @Dag(id = "greetings", params = Greetings.Params.class)
    static class Greetings {
        record Params(@Param(defaultValue = "Hello") String salutation) {
        }

        @Task
        List<String> names() {
            return List.of("ada", "grace", "alan");
        }

        @Task
        String mark() {
            WorkerTest.CALLS.add("mark");
            return "!";
        }

        @Task
        String greet(@Expand("names") String name, @From("mark") String mark, TaskContext context) {
            return context.params(Params.class).salutation() + " " + name + mark;
        }

        @Task
        void collect(@From("greet") List<String> greetings) {
            WorkerTest.CALLS.add("collect " + greetings);
        }
    }

    @Test
    void givesEveryMappedInstanceTheSameConstantArguments() {
        RunResult result = runtime.run(DagDiscovery.load(Greetings.class),
                RunRequest.manual().withParams(Map.of("salutation", "Hi")));

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.tasks()).extracting(TaskInstance::label).containsExactlyInAnyOrder("names", "mark",
                "greet[0]", "greet[1]", "greet[2]", "collect");
        assertThat(WorkerTest.CALLS).containsExactly("mark", "collect [Hi ada!, Hi grace!, Hi alan!]");
    }

    @Dag(id = "mapped_over_null")
    static class MappedOverNull {
        @Task
        List<String> cities() {
            return null;
        }

        @Task
        String shout(@Expand("cities") String city) {
            WorkerTest.CALLS.add("shout " + city);
            return city;
        }

        @Task
        void joined(@From("shout") List<String> shouted) {
            WorkerTest.CALLS.add("joined " + shouted);
        }
    }

    @Test
    void failsAMappedTaskWhoseUpstreamReturnedNoList() {
        RunResult result = runtime.run(DagDiscovery.load(MappedOverNull.class), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.FAILED);
        TaskInstance shout = result.task("shout");
        assertThat(shout.mapIndex()).isEqualTo(-1);
        assertThat(shout.state()).isEqualTo(TaskState.FAILED);
        assertThat(shout.error()).contains("task 'shout' is expanded over the value of 'cities', which is not a list;"
                + " 'cities' must return a List");
        assertThat(result.taskState("joined")).isEqualTo(TaskState.UPSTREAM_FAILED);
        assertThat(WorkerTest.CALLS).isEmpty();
    }

    /** Counts the bodies running at once, and the most seen. */
    static final class Overlap {
        private final AtomicInteger running = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        void during(long millis) {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @Dag(id = "six_at_most_two", maxActiveTasks = 2)
    static class SixAtMostTwo {
        static final Overlap OVERLAP = new Overlap();

        @Task
        void a() {
            OVERLAP.during(100);
        }

        @Task
        void b() {
            OVERLAP.during(100);
        }

        @Task
        void c() {
            OVERLAP.during(100);
        }

        @Task
        void d() {
            OVERLAP.during(100);
        }

        @Task
        void e() {
            OVERLAP.during(100);
        }

        @Task
        void f() {
            OVERLAP.during(100);
        }
    }

    @Test
    void runsSixIndependentTasksTwoAtATimeUnderMaxActiveTasksOfTwo() {
        SixAtMostTwo.OVERLAP.most.set(0);
        RunResult result = runtime.run(DagDiscovery.load(SixAtMostTwo.class), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.tasks()).hasSize(6).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.SUCCESS));
        assertThat(SixAtMostTwo.OVERLAP.most.get()).isEqualTo(2);
    }

    /** The one connection two DAGs share, as a pool of one slot. */
    static final Overlap SINGLE_CONNECTION = new Overlap();

    @Dag(id = "nightly_export")
    static class NightlyExport {
        @Task(pool = "single_connection")
        void exportUsers() {
            SINGLE_CONNECTION.during(60);
        }

        @Task(pool = "single_connection")
        void exportOrders() {
            SINGLE_CONNECTION.during(60);
        }

        @Task(pool = "single_connection")
        void exportItems() {
            SINGLE_CONNECTION.during(60);
        }
    }

    @Dag(id = "hourly_import")
    static class HourlyImport {
        @Task(pool = "single_connection")
        void importUsers() {
            SINGLE_CONNECTION.during(60);
        }

        @Task(pool = "single_connection")
        void importOrders() {
            SINGLE_CONNECTION.during(60);
        }

        @Task(pool = "single_connection")
        void importItems() {
            SINGLE_CONNECTION.during(60);
        }
    }

    @Test
    void neverOverlapsTheTasksOfTwoDagsThatShareAPoolOfOneSlot() {
        SINGLE_CONNECTION.most.set(0);
        WorkQueue.setPool(store, new WorkQueue.Pool("single_connection", 1, "one connection"));
        DagSpec export = DagDiscovery.load(NightlyExport.class);
        DagSpec importing = DagDiscovery.load(HourlyImport.class);
        CompletableFuture<RunResult> exported = runtime.submit("nightly_export", runtime.trigger(export,
                RunRequest.manual()));
        CompletableFuture<RunResult> imported = runtime.submit("hourly_import", runtime.trigger(importing,
                RunRequest.manual()));

        assertThat(DagRuntime.await(exported).state()).isEqualTo(RunState.SUCCESS);
        assertThat(DagRuntime.await(imported).state()).isEqualTo(RunState.SUCCESS);
        assertThat(SINGLE_CONNECTION.most.get()).isEqualTo(1);
    }

    @Dag(id = "changing_cities")
    static class ChangingCities {
        static final List<String> CITIES = new CopyOnWriteArrayList<>();

        @Task
        List<String> cities() {
            return List.copyOf(CITIES);
        }

        @Task
        String shout(@Expand("cities") String city) {
            WorkerTest.CALLS.add("shout " + city);
            return city.toUpperCase() + "!";
        }

        @Task
        void joined(@From("shout") List<String> shouted) {
            WorkerTest.CALLS.add("joined " + shouted);
        }
    }

    @Test
    void clearingTheListTaskExpandsTheMappedTaskAgainOverTheNewList() {
        ChangingCities.CITIES.clear();
        ChangingCities.CITIES.addAll(List.of("oslo", "lima", "pune"));
        DagSpec dag = DagDiscovery.load(ChangingCities.class);
        assertThat(runtime.run(dag, RunRequest.manual().withRunId("changing")).state()).isEqualTo(RunState.SUCCESS);
        ChangingCities.CITIES.clear();
        ChangingCities.CITIES.addAll(List.of("rome", "kyiv"));
        WorkerTest.CALLS.clear();

        assertThat(runtime.clear("changing_cities", "changing", List.of("cities"), false))
                .containsExactly("cities", "shout", "joined");
        assertThat(store.taskInstances("changing_cities", "changing")).filteredOn(t -> t.taskId().equals("shout"))
                .extracting(TaskInstance::mapIndex, TaskInstance::state).containsExactly(tuple(-1, TaskState.NONE));
        RunResult cleared = runtime.execute("changing_cities", "changing");

        assertThat(cleared.state()).isEqualTo(RunState.SUCCESS);
        assertThat(cleared.tasks()).filteredOn(t -> t.taskId().equals("shout"))
                .extracting(TaskInstance::label, TaskInstance::state)
                .containsExactlyInAnyOrder(tuple("shout[0]", TaskState.SUCCESS), tuple("shout[1]", TaskState.SUCCESS));
        assertThat(WorkerTest.CALLS).containsExactlyInAnyOrder("shout rome", "shout kyiv", "joined [ROME!, KYIV!]");
        assertThat(runtime.xcomJson("changing_cities", "changing", "shout")).contains("[\"ROME!\",\"KYIV!\"]");
    }

    @Test
    void clearingAMappedTaskItselfRunsAllItsInstancesAgain() {
        ChangingCities.CITIES.clear();
        ChangingCities.CITIES.addAll(List.of("oslo", "lima", "pune"));
        DagSpec dag = DagDiscovery.load(ChangingCities.class);
        assertThat(runtime.run(dag, RunRequest.manual().withRunId("again")).state()).isEqualTo(RunState.SUCCESS);
        WorkerTest.CALLS.clear();

        assertThat(runtime.clear("changing_cities", "again", List.of("shout"), false))
                .containsExactly("shout", "joined");
        RunResult cleared = runtime.execute("changing_cities", "again");

        assertThat(cleared.state()).isEqualTo(RunState.SUCCESS);
        assertThat(cleared.tasks()).filteredOn(t -> t.taskId().equals("shout")).hasSize(3)
                .allSatisfy(t -> assertThat(t.tryNumber()).isEqualTo(1));
        assertThat(WorkerTest.CALLS).containsExactlyInAnyOrder("shout oslo", "shout lima", "shout pune",
                "joined [OSLO!, LIMA!, PUNE!]");
    }

    @Dag(id = "checked_cities", retries = 0)
    static class CheckedCities {
        @Task
        List<String> cities() {
            return List.of("oslo", "lima");
        }

        @Task
        void check() {
            WorkerTest.CALLS.add("check");
            AtomicInteger failures = WorkerTest.FAILURES_LEFT.get("check");
            if (failures != null && failures.getAndDecrement() > 0) {
                throw new IllegalStateException("the check failed");
            }
        }

        @Task(after = "check", triggerRule = TriggerRule.ALL_DONE)
        String shout(@Expand("cities") String city) {
            WorkerTest.CALLS.add("shout " + city);
            AtomicInteger failures = WorkerTest.FAILURES_LEFT.get(city);
            if (failures != null && failures.getAndDecrement() > 0) {
                throw new IllegalStateException("no shouting in " + city + " today");
            }
            return city.toUpperCase() + "!";
        }
    }

    @Test
    void clearingFailedTasksRunsAMappedTaskBelowAnotherOfThemWhole() {
        WorkerTest.FAILURES_LEFT.put("check", new AtomicInteger(1));
        WorkerTest.FAILURES_LEFT.put("lima", new AtomicInteger(1));
        RunResult failed = runtime.run(DagDiscovery.load(CheckedCities.class), RunRequest.manual().withRunId("r"));
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(instance(failed, "shout[0]").state()).isEqualTo(TaskState.SUCCESS);
        WorkerTest.CALLS.clear();

        assertThat(runtime.clear("checked_cities", "r", List.of("check", "shout"), true))
                .containsExactly("check", "shout");
        RunResult cleared = runtime.execute("checked_cities", "r");

        assertThat(cleared.state()).isEqualTo(RunState.SUCCESS);
        assertThat(WorkerTest.CALLS).containsExactlyInAnyOrder("check", "shout oslo", "shout lima");
    }

    @Dag(id = "mapped_twice")
    static class MappedTwice {
        @Task
        List<Integer> numbers() {
            return List.of(1, 2, 3);
        }

        @Task
        int squared(@Expand("numbers") int number) {
            return number * number;
        }

        @Task
        String described(@Expand("squared") int square) {
            return "square " + square;
        }

        @Task
        void listed(@From("described") List<String> descriptions) {
            WorkerTest.CALLS.add("listed " + descriptions);
        }
    }

    @Test
    void mapsATaskOverTheResultsOfAnotherMappedTask() {
        RunResult result = runtime.run(DagDiscovery.load(MappedTwice.class), RunRequest.manual());

        assertThat(result.state()).isEqualTo(RunState.SUCCESS);
        assertThat(result.tasks()).filteredOn(t -> t.taskId().equals("described")).extracting(TaskInstance::label)
                .containsExactlyInAnyOrder("described[0]", "described[1]", "described[2]");
        assertThat(WorkerTest.CALLS).containsExactly("listed [square 1, square 4, square 9]");
    }

    private static TaskInstance instance(RunResult result, String label) {
        return result.tasks().stream().filter(t -> t.label().equals(label)).findFirst().orElseThrow();
    }
}
