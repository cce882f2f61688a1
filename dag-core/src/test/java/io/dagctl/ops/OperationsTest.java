package io.dagctl.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.RunState;
import io.dagctl.Task;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.spec.DagSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operations as every face calls them, over a real store and runtime. */
class OperationsTest {
    @Dag(id = "ingest")
    static final class Ingest {
        @Task
        String load() {
            return "loaded";
        }

        @Task
        int check(@From("load") String loaded) {
            return loaded.length();
        }
    }

    /** {@link Ingest} after its load task was taken out. */
    @Dag(id = "ingest")
    static final class IngestWithoutLoad {
        @Task
        int check() {
            return 0;
        }
    }

    @Dag(id = "report")
    static final class Report {
        @Task
        String render() {
            return "rendered";
        }
    }

    @TempDir
    Path home;

    private final List<DagSpec> dags = List.of(DagDiscovery.load(Ingest.class), DagDiscovery.load(Report.class));
    private MetadataStore store;
    private DagRuntime runtime;
    private Operations operations;

    @BeforeEach
    void open() {
        store = MetadataStore.open(StoreLocation.h2InMemory("ops-" + UUID.randomUUID()));
        runtime = DagRuntime.builder().environment(Map.of()).home(home).store(store).parallelism(2)
                .connections(Connections.of(Map.of())).dags(dags).build();
        operations = new Operations(() -> dags, () -> store, () -> runtime, TaskLogs.under(home), ObjectReader.NONE,
                false);
    }

    @AfterEach
    void close() {
        runtime.close();
        store.close();
    }

    private void run(String dagId, String runId) {
        DagSpec dag = dags.stream().filter(d -> d.id().equals(dagId)).findFirst().orElseThrow();
        assertThat(runtime.run(dag, RunRequest.manual().withRunId(runId)).state()).isEqualTo(RunState.SUCCESS);
    }

    @Test
    void findsARunByItsIdAloneAndAsksForTheDagWhenTwoDagsHaveARunOfThatId() {
        run("ingest", "nightly");
        run("ingest", "shared");
        run("report", "shared");

        assertThat(operations.findRun(Optional.empty(), "nightly").dagId()).isEqualTo("ingest");
        assertThat(operations.findRun(Optional.of("report"), "shared").dagId()).isEqualTo("report");
        assertThatThrownBy(() -> operations.findRun(Optional.empty(), "shared"))
                .isInstanceOf(OperationException.class)
                .hasMessage("run id 'shared' exists in DAGs ingest, report; name one with --dag");
        assertThatThrownBy(() -> operations.findRun(Optional.empty(), "nigthly"))
                .hasMessage("unknown run 'nigthly' (did you mean 'nightly'?)");
        assertThatThrownBy(() -> operations.findRun(Optional.of("ingest"), "nigthly"))
                .hasMessage("unknown run 'nigthly' of DAG ingest (did you mean 'nightly'?)");
        assertThatThrownBy(() -> operations.findRun(Optional.empty(), "a/b"))
                .hasMessage("run id 'a/b' is not valid: " + Ids.RUN_ID_RULE);
    }

    @Test
    void listsTheTaskInstancesOfTasksTheDagNoLongerHasAfterItsOwn() {
        run("ingest", "before");
        Operations afterTheChange = new Operations(() -> List.of(DagDiscovery.load(IngestWithoutLoad.class)),
                () -> store, () -> runtime, TaskLogs.under(home), ObjectReader.NONE, false);

        assertThat(afterTheChange.taskInstances("ingest", "before")).extracting(Operations.TaskInstanceState::taskId)
                .containsExactly("check", "load");
    }

    @Test
    void aDagTheSchedulerHasNotSeenIsShownPausedWhenDagsStartPaused() {
        Operations startingPaused = new Operations(() -> dags, () -> store, () -> runtime, TaskLogs.under(home),
                ObjectReader.NONE, true);
        startingPaused.setPaused("report", false);

        assertThat(startingPaused.isPaused("ingest")).isTrue();
        assertThat(startingPaused.pausedStates()).isEqualTo(Map.of("ingest", true, "report", false));
        assertThat(startingPaused.dags()).extracting(Operations.DagSummary::paused).containsExactly(true, false);
        assertThat(operations.isPaused("ingest")).isFalse();
    }

    @Test
    void readsALineLongerThanOneReadInPiecesCutBetweenCharacters() throws IOException {
        run("ingest", "long");
        String line = "é".repeat(50) + "\n";
        Path log = TaskLogs.under(home).pathOf("ingest", "long", "load", 1);
        Files.writeString(log, line + "end\n", StandardCharsets.UTF_8);

        StringBuilder read = new StringBuilder();
        long offset = 0;
        Operations.LogChunk chunk;
        do {
            chunk = operations.log("ingest", "long", "load", Optional.empty(), offset, 41);
            assertThat(chunk.nextOffset()).as("read from %d", offset).isGreaterThan(offset);
            read.append(chunk.text());
            offset = chunk.nextOffset();
        } while (!chunk.complete());

        assertThat(read.toString()).isEqualTo(line + "end\n");
    }
}
