package io.dagctl.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.HookFactory;
import io.dagctl.Notification;
import io.dagctl.Notifier;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.inject.DagInjector;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.spec.DagSpec;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunHooksTest {
    /** A hook numbered in the order it was made, that says when it is closed. */
    public static final class Counter implements AutoCloseable {
        final int number;

        Counter(int number) {
            this.number = number;
        }

        @Override
        public void close() {
            CLOSED.add(number);
        }
    }

    static final AtomicInteger MADE = new AtomicInteger();
    static final Queue<Integer> CLOSED = new ConcurrentLinkedQueue<>();
    static final AtomicInteger CONFIGURED = new AtomicInteger();
    static final Queue<Integer> NOTIFIED_WITH = new ConcurrentLinkedQueue<>();

    static final class CounterModule extends AbstractModule {
        @Override
        protected void configure() {
            CONFIGURED.incrementAndGet();
            Multibinder.newSetBinder(binder(), DagInjector.HOOK_FACTORIES).addBinding().toInstance(
                    new HookFactory<Counter>() {
                        @Override
                        public Class<Counter> hookType() {
                            return Counter.class;
                        }

                        @Override
                        public String defaultConnectionId() {
                            return "counter_default";
                        }

                        @Override
                        public Counter create(ConnectionUri connection) {
                            return new Counter(MADE.incrementAndGet());
                        }
                    });
        }
    }

    /** Tells which hook it was given: the one its run's DAG instance has. */
    public static final class CounterNotifier implements Notifier {
        private final Counter counter;

        @Inject
        public CounterNotifier(Counter counter) {
            this.counter = counter;
        }

        @Override
        public void notify(Notification notification) {
            NOTIFIED_WITH.add(counter.number);
        }
    }

    @Dag(id = "counted", onSuccess = CounterNotifier.class)
    public static final class Counted {
        private final Counter counter;

        @Inject
        public Counted(Counter counter) {
            this.counter = counter;
        }

        @Task
        public int first() {
            return counter.number;
        }

        @Task
        public int second(@From("first") int first) {
            return first == counter.number ? counter.number : -1;
        }
    }

    @TempDir
    Path home;

    @Test
    void theRunsOfADagShareOneInjectorAndEachGetsItsOwnHooksClosedAtItsEnd() {
        DagSpec dag = DagDiscovery.load(Counted.class);
        try (MetadataStore store = MetadataStore.open(StoreLocation.h2InMemory("hooks-" + UUID.randomUUID()));
             DagRuntime runtime = DagRuntime.builder().environment(Map.of()).home(home).store(store).parallelism(2)
                     .connections(Connections.of(Map.of("counter_default",
                             ConnectionUri.parse("counter_default", "counter://localhost"))))
                     .modules(List.of(new CounterModule())).build()) {
            int configuredBefore = CONFIGURED.get();
            int madeBefore = MADE.get();
            for (int run = 1; run <= 3; run++) {
                RunResult result = runtime.run(dag, RunRequest.manual().withRunId("run_" + run));
                assertThat(result.state()).isEqualTo(RunState.SUCCESS);
                assertThat(runtime.xcom("counted", "run_" + run, "second", Integer.class))
                        .contains(madeBefore + run);
            }

            assertThat(CONFIGURED.get() - configuredBefore).as("injectors made").isEqualTo(1);
            assertThat(MADE.get() - madeBefore).as("hooks made").isEqualTo(3);
            assertThat(CLOSED).containsExactly(madeBefore + 1, madeBefore + 2, madeBefore + 3);
            assertThat(NOTIFIED_WITH).containsExactly(madeBefore + 1, madeBefore + 2, madeBefore + 3);
        }
    }
}
