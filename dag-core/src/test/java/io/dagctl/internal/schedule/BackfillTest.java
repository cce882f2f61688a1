package io.dagctl.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.RunResult;
import io.dagctl.internal.schedule.Backfill.Action;
import io.dagctl.internal.schedule.Backfill.Reprocess;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.RunType;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.spec.DagSpec;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillTest {
    static final Set<String> FAIL_ON = ConcurrentHashMap.newKeySet();

    @Dag(id = "daily_load", schedule = "@daily", timezone = "Europe/Berlin", startDate = "2024-01-01",
            maxActiveRuns = 2)
    static final class DailyLoad {
        @Task
        void load(TaskContext context) {
            if (FAIL_ON.contains(context.runId())) {
                throw new IllegalStateException("no data for " + context.runId());
            }
        }
    }

    @Dag(id = "unscheduled")
    static final class Unscheduled {
        @Task
        void work() {
        }
    }

    @TempDir
    Path home;
    MetadataStore metadata;
    DagRuntime runtime;
    final DagSpec dag = DagDiscovery.load(DailyLoad.class);

    @BeforeEach
    void open() {
        FAIL_ON.clear();
        metadata = MetadataStore.open(StoreLocation.h2InMemory("backfill-" + UUID.randomUUID()));
        runtime = DagRuntime.builder().environment(Map.of()).home(home).store(metadata).parallelism(4)
                .connections(Connections.of(Map.of())).build();
    }

    @AfterEach
    void close() {
        runtime.close();
        metadata.close();
    }

    private List<Backfill.Step> plan(Reprocess reprocess) {
        return Backfill.plan(runtime, dag, LocalDate.parse("2024-03-30"), LocalDate.parse("2024-04-01"), reprocess);
    }

    @Test
    void backfillRunsEachIntervalOfTheDaysInTheDagsZoneOldestFirst() {
        FAIL_ON.add("backfill__2024-03-30T23:00:00+00:00");
        List<String> ended = new ArrayList<>();
        List<RunResult> results = Backfill.execute(runtime, dag, plan(Reprocess.NONE), Map.of(),
                r -> ended.add(r.runId() + " " + r.state().label()));
        assertThat(results).hasSize(3);
        assertThat(ended).containsExactly("backfill__2024-03-29T23:00:00+00:00 success",
                "backfill__2024-03-30T23:00:00+00:00 failed", "backfill__2024-03-31T22:00:00+00:00 success");
        assertThat(results).extracting(r -> r.run().runType()).containsOnly(RunType.BACKFILL);
    }

    @Test
    void existingRunsAreSkippedOrRerunAsReprocessSays() {
        FAIL_ON.add("backfill__2024-03-30T23:00:00+00:00");
        Backfill.execute(runtime, dag, plan(Reprocess.NONE), Map.of(), r -> { });
        FAIL_ON.clear();

        assertThat(plan(Reprocess.NONE)).extracting(Backfill.Step::action).containsOnly(Action.SKIP_EXISTING);
        assertThat(plan(Reprocess.FAILED)).extracting(Backfill.Step::action)
                .containsExactly(Action.SKIP_EXISTING, Action.RERUN_FAILED_TASKS, Action.SKIP_EXISTING);
        assertThat(plan(Reprocess.COMPLETED)).extracting(Backfill.Step::action).containsOnly(Action.RERUN_ALL_TASKS);

        List<String> ended = new ArrayList<>();
        Backfill.execute(runtime, dag, plan(Reprocess.FAILED), Map.of(), r -> ended.add(r.runId() + " " + r.state().label()));
        assertThat(ended).containsExactly("backfill__2024-03-30T23:00:00+00:00 success");
    }

    @Test
    void aDagWithoutAScheduleCannotBeBackfilled() {
        assertThatThrownBy(() -> Backfill.plan(runtime, DagDiscovery.load(Unscheduled.class),
                LocalDate.parse("2024-01-01"), LocalDate.parse("2024-01-02"), Reprocess.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DAG unscheduled has no schedule, so it has no intervals to backfill; trigger it instead");
        assertThatThrownBy(() -> Backfill.plan(runtime, dag, LocalDate.parse("2024-01-02"),
                LocalDate.parse("2024-01-01"), Reprocess.NONE))
                .hasMessage("backfill of DAG daily_load: --to 2024-01-01 is before --from 2024-01-02");
    }
}
