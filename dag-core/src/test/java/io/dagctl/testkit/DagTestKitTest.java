package io.dagctl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import io.dagctl.Connection;
import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.FailWithoutRetryException;
import io.dagctl.From;
import io.dagctl.HookFactory;
import io.dagctl.Param;
import io.dagctl.RunState;
import io.dagctl.SkipTaskException;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.TaskState;
import io.dagctl.TriggerRule;
import io.dagctl.internal.inject.DagInjector;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DagTestKitTest {
    /** A hook that only remembers the host of its connection. */
    public record Greeter(String host) {
        String greet(String name) {
            return "hello " + name + " from " + host;
        }
    }

    static final class GreeterFactory implements HookFactory<Greeter> {
        @Override
        public Class<Greeter> hookType() {
            return Greeter.class;
        }

        @Override
        public String defaultConnectionId() {
            return "greeter_default";
        }

        @Override
        public Greeter create(ConnectionUri connection) {
            return new Greeter(connection.host());
        }
    }

    static final class GreeterModule extends AbstractModule {
        @Override
        protected void configure() {
            Multibinder.newSetBinder(binder(), DagInjector.HOOK_FACTORIES).addBinding().to(GreeterFactory.class);
        }
    }

    public record Window(@Param(defaultValue = "2011-03-01") LocalDate startDate,
                         @Param(defaultValue = "2") int stations) {
    }

    @Dag(id = "station_greetings", params = Window.class)
    static class StationGreetings {
        private final Greeter greeter;
        private final Greeter loud;

        @Inject
        StationGreetings(Greeter greeter, @Connection("loud_greeter") Greeter loud) {
            this.greeter = greeter;
            this.loud = loud;
        }

        @Task
        List<String> stations(Window window) {
            return List.of("Dupont Circle", "Union Station", "Eastern Market").subList(0, window.stations());
        }

        @Task
        String greet(@From("stations") List<String> stations, TaskContext context) {
            context.log().info("greeting {} stations", stations.size());
            return greeter.greet(String.join(" and ", stations)) + " on "
                    + context.params(Window.class).startDate();
        }

        @Task(after = "greet")
        String shout() {
            return loud.greet("everyone");
        }
    }

    private static final Connections CONNECTIONS = Connections.of(Map.of(
            "greeter_default", ConnectionUri.parse("greeter_default", "http://quiet.example"),
            "loud_greeter", ConnectionUri.parse("loud_greeter", "http://loud.example")));

    @Test
    void runsAWholeDagWithHooksFromConnectionsAndParams() {
        DagRunResult result = DagTestKit.forDag(StationGreetings.class)
                .modules(new GreeterModule())
                .connections(CONNECTIONS)
                .param("stations", "3")
                .run();

        assertThat(result.runState()).isEqualTo(RunState.SUCCESS);
        assertThat(result.taskStates()).containsExactly(Map.entry("stations", TaskState.SUCCESS),
                Map.entry("greet", TaskState.SUCCESS), Map.entry("shout", TaskState.SUCCESS));
        assertThat(result.xcom("greet", String.class)).isEqualTo(
                "hello Dupont Circle and Union Station and Eastern Market from quiet.example on 2011-03-01");
        assertThat(result.xcom("shout", String.class)).isEqualTo("hello everyone from loud.example");
        assertThat(result.log("greet")).contains("greeting 3 stations");
    }

    @Test
    void passesAStubbedOutputDownstreamWithoutInvokingTheTask() {
        DagRunResult result = DagTestKit.forDag(StationGreetings.class)
                .modules(new GreeterModule())
                .connections(CONNECTIONS)
                .stub("stations", List.of("Navy Yard"))
                .run();

        assertThat(result.xcom("greet", String.class)).isEqualTo("hello Navy Yard from quiet.example on 2011-03-01");
        assertThat(result.xcom("stations", List.class)).isEqualTo(List.of("Navy Yard"));
    }

    @Test
    void failsTheTaskWhoseHookHasNoConnection() {
        DagRunResult result = DagTestKit.forDag(StationGreetings.class)
                .modules(new GreeterModule())
                .run();

        assertThat(result.runState()).isEqualTo(RunState.FAILED);
        assertThat(result.taskState("stations")).isEqualTo(TaskState.FAILED);
        assertThat(result.error("stations")).hasValueSatisfying(error -> assertThat(error).contains(
                "StationGreetings needs a Greeter: connection 'greeter_default' is not configured: set"
                        + " DAGCTL_CONN_GREETER_DEFAULT to its URI"));
        assertThat(result.taskState("greet")).isEqualTo(TaskState.UPSTREAM_FAILED);
    }

    @Test
    void refusesToStubATaskTheDagDoesNotHave() {
        assertThatThrownBy(() -> DagTestKit.forDag(StationGreetings.class).stub("stationz", List.of()))
                .hasMessage("DAG station_greetings has no task 'stationz' to stub; its tasks are"
                        + " [stations, greet, shout]");
    }

    @Test
    void saysWhyATaskLeftNoValue() {
        DagRunResult result = DagTestKit.forDag(StationGreetings.class).modules(new GreeterModule()).run();

        assertThatThrownBy(() -> result.xcom("greet", String.class))
                .hasMessage("task 'greet' of DAG station_greetings left no value in XCom (it is upstream_failed)");
    }

    @Test
    void reportsAStubbedTaskAsSucceededWithoutATry() {
        DagRunResult result = DagTestKit.forDag(StationGreetings.class)
                .modules(new GreeterModule())
                .connections(CONNECTIONS)
                .stub("stations", List.of("Navy Yard"))
                .run();

        assertThat(result.taskState("stations")).isEqualTo(TaskState.SUCCESS);
        assertThat(result.tries("stations")).isZero();
        assertThat(result.tries("greet")).isEqualTo(1);
        assertThat(result.log("stations")).contains("Task stations is stubbed: its value is the test's, the method is"
                + " not called").doesNotContain("Starting try");
    }

    @Dag(id = "flaky_export", retries = 3, retryDelay = "PT1H")
    static class FlakyExport {
        static final java.util.concurrent.atomic.AtomicInteger FAILURES_LEFT =
                new java.util.concurrent.atomic.AtomicInteger();

        @Task
        String export() {
            if (FAILURES_LEFT.getAndDecrement() > 0) {
                throw new IllegalStateException("the database is restarting");
            }
            return "exported";
        }
    }

    @Test
    // Not a speed check: the policy's delay is an hour, so without the override the second try never starts in time.
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shortensRetryDelaysWhenTheTestAsks() {
        FlakyExport.FAILURES_LEFT.set(2);

        DagRunResult result = DagTestKit.forDag(FlakyExport.class).maxRetryDelay(Duration.ZERO).run();

        assertThat(result.runState()).isEqualTo(RunState.SUCCESS);
        assertThat(result.tries("export")).isEqualTo(3);
    }

    @Test
    void refusesANegativeRetryDelay() {
        assertThatThrownBy(() -> DagTestKit.forDag(FlakyExport.class).maxRetryDelay(Duration.ofSeconds(-1)).run())
                .hasMessage("the longest retry delay must not be negative: PT-1S");
    }

    @Dag(id = "daily_drop", retries = 2, retryDelay = "PT5M")
    static class DailyDrop {
        static final List<String> CALLS = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Task
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
    void aTaskThatSkipsItselfSkipsItsDownstreamAsABranchWould() {
        DailyDrop.CALLS.clear();

        DagRunResult result = DagTestKit.forDag(DailyDrop.class).run();

        assertThat(result.runState()).isEqualTo(RunState.SUCCESS);
        assertThat(result.taskStates()).containsExactly(Map.entry("fetch", TaskState.SKIPPED),
                Map.entry("load", TaskState.SKIPPED), Map.entry("report", TaskState.SUCCESS));
        assertThat(result.tries("fetch")).isEqualTo(1);
        assertThat(result.error("fetch")).isEmpty();
        assertThat(result.log("fetch")).contains("Task fetch skipped itself: no new file today");
        assertThat(DailyDrop.CALLS).containsExactly("fetch", "report");
    }

    @Dag(id = "count_or_nothing")
    static class CountOrNothing {
        static volatile boolean fail;

        @Task
        Integer count() {
            if (fail) {
                throw new FailWithoutRetryException("the source is gone");
            }
            return 3;
        }

        @Task(triggerRule = TriggerRule.ALL_DONE)
        String report(Integer count) {
            return count == null ? "no count" : count + " rows";
        }
    }

    @Test
    void aTaskRunByItsTriggerRuleAfterAFailedUpstreamReceivesNullForItsValue() {
        CountOrNothing.fail = true;
        DagRunResult failed = DagTestKit.forDag(CountOrNothing.class).run();
        CountOrNothing.fail = false;
        DagRunResult succeeded = DagTestKit.forDag(CountOrNothing.class).run();

        assertThat(failed.taskState("count")).isEqualTo(TaskState.FAILED);
        assertThat(failed.xcom("report", String.class)).isEqualTo("no count");
        assertThat(succeeded.xcom("report", String.class)).isEqualTo("3 rows");
    }
}
