package io.dagctl.testkit;

import com.google.inject.Module;
import io.dagctl.Connections;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.inject.DagInjector;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.xcom.XComCodec;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Runs a whole DAG in-process, through the real runtime on a private in-memory store, and returns what happened
 * for assertions (JUnit's {@code EngineTestKit} is the model). The hook modules on the class path are bound as
 * {@code dagctl} binds them, so a DAG asking for a {@code PostgresHook} or an {@code S3Hook} gets one made from
 * {@link #connections}:
 *
 * <pre>{@code
 * DagRunResult result = DagTestKit.forDag(AirbnbUserBookings.class)
 *         .modules(new FakeS3Module())
 *         .param("startDate", "2011-03-01")
 *         .stub("extract_features", new S3Key("bucket", "features.csv"))
 *         .run();
 * assertThat(result.runState()).isEqualTo(RunState.SUCCESS);
 * assertThat(result.xcom("upload_synthetic_features", S3Key.class)).isEqualTo(...);
 * }</pre>
 */
public final class DagTestKit {
    private final DagSpec dag;
    private final List<Module> modules = new ArrayList<>();
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, Object> stubs = new LinkedHashMap<>();
    private Connections connections = Connections.of(Map.of());
    private Instant logicalDate;
    private int parallelism = 4;
    private Duration maxRetryDelay;

    private DagTestKit(DagSpec dag) {
        this.dag = dag;
    }

    /** A kit for a {@code @Dag} class, read as {@code dagctl} reads it (its definition errors are thrown here). */
    public static DagTestKit forDag(Class<?> dagClass) {
        return new DagTestKit(DagDiscovery.load(dagClass));
    }

    /** A kit for a DAG already read, by {@code DagDiscovery} or another kit. */
    public static DagTestKit forDag(DagSpec dag) {
        return new DagTestKit(Objects.requireNonNull(dag));
    }

    /**
     * More Guice modules for the DAG's constructor: fakes, notifiers, hooks not on the class path. A binding made here
     * wins over the hook made from a connection.
     */
    public DagTestKit modules(Module... userModules) {
        modules.addAll(List.of(userModules));
        return this;
    }

    /** The connections hooks are made from; none by default, so that a test never reaches a real service by accident. */
    public DagTestKit connections(Connections source) {
        this.connections = Objects.requireNonNull(source);
        return this;
    }

    /** A run parameter in its text form, as {@code -p name=value} gives it. */
    public DagTestKit param(String name, String value) {
        params.put(name, value);
        return this;
    }

    /** The run's logical date; now by default. */
    public DagTestKit logicalDate(Instant date) {
        this.logicalDate = Objects.requireNonNull(date);
        return this;
    }

    /** How many tries run at once; 4 by default. */
    public DagTestKit parallelism(int tries) {
        this.parallelism = tries;
        return this;
    }

    /**
     * No retry waits longer than {@code delay} ({@code Duration.ZERO} retries at once), so that a test of a task
     * with {@code retryDelay = "PT5M"} does not take minutes. The task's own policy applies by default.
     */
    public DagTestKit maxRetryDelay(Duration delay) {
        this.maxRetryDelay = Objects.requireNonNull(delay);
        return this;
    }

    /**
     * {@code taskId} is not invoked: {@code value} is its result, passed downstream through XCom as if returned. The
     * task ends successful without a try ({@link DagRunResult#tries} gives 0); its log says it was stubbed.
     */
    public DagTestKit stub(String taskId, Object value) {
        if (dag.findTask(taskId).isEmpty()) {
            throw new IllegalArgumentException("DAG " + dag.id() + " has no task '" + taskId + "' to stub; its tasks"
                    + " are " + dag.tasks().stream().map(TaskSpec::id).toList());
        }
        stubs.put(taskId, value);
        return this;
    }

    /** Runs the DAG to its end and returns the states, values and logs it left. */
    public DagRunResult run() {
        Path home;
        try {
            home = Files.createTempDirectory("dagctl-testkit-");
            TemporaryHomes.deleteOnExit(home);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a directory for the task logs", e);
        }
        try (MetadataStore store = MetadataStore.open(StoreLocation.h2InMemory("testkit-" + UUID.randomUUID()))) {
            DagRuntime.Builder builder = DagRuntime.builder()
                    .environment(Map.of())
                    .home(home)
                    .store(store)
                    .parallelism(parallelism)
                    .modules(DagInjector.hookModules(dag.dagClass().getClassLoader()))
                    .modules(modules)
                    .connections(connections)
                    .resumeInterruptedOnOpen(false);
            stubs.forEach(builder::stub);
            if (maxRetryDelay != null) {
                builder.maxRetryDelay(maxRetryDelay);
            }
            try (DagRuntime runtime = builder.build()) {
                RunRequest request = RunRequest.manual().withParams(params);
                if (logicalDate != null) {
                    request = request.withLogicalDate(logicalDate);
                }
                RunResult result = runtime.run(dag, request);
                Map<String, String> values = new LinkedHashMap<>();
                for (TaskSpec task : dag.tasks()) {
                    runtime.xcomJson(dag.id(), result.runId(), task.id()).ifPresent(v -> values.put(task.id(), v));
                }
                return new DagRunResult(dag, result, values, stubs.keySet(), new XComCodec(),
                        (taskId, attempt) -> runtime.logPath(dag.id(), result.runId(), taskId, attempt));
            }
        }
    }
}
