package io.dagctl.dags;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.RunState;
import io.dagctl.dags.TrainModel.TrainedModel;
import io.dagctl.dags.demo.DemoData;
import io.dagctl.embedded.testing.SharedLocalS3;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.hooks.http.HttpHookModule;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.postgres.PostgresHookModule;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3HookFactory;
import io.dagctl.hooks.s3.S3HookModule;
import io.dagctl.hooks.s3.S3Key;
import io.dagctl.hooks.slack.SlackHookModule;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.runtime.ExecutionMode;
import io.dagctl.internal.runtime.RunRequest;
import io.dagctl.internal.runtime.Worker;
import io.dagctl.internal.schedule.ObjectSource;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.schedule.SchedulerStore;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.RunType;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.spec.DagSpec;
import io.dagctl.training.RidgeModel;
import io.dagctl.training.TrainingData;
import io.dagctl.training.TrainingHook;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train_model as the scheduler runs it: after a detect_data_drift run that found drift, and not after one that did
 * not, in one process and on a worker; against embedded PostgreSQL and local S3, with a MockWebServer as Slack.
 */
class TrainModelTest {
    private static final String WEBHOOK_PATH = "/services/T0DAGCTL/B0DRIFT/trainModelToken";

    @TempDir
    Path home;
    MockWebServer slack;
    MetadataStore metadata;
    SchedulerStore schedulerStore;
    DagRuntime runtime;
    S3Hook s3;
    PostgresHook bikes;
    Connections connections;

    @BeforeEach
    void start() throws IOException {
        slack = new MockWebServer();
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setBody("ok");
            }
        });
        slack.start();
        String database = SharedPostgres.freshDatabase("train");
        bikes = new PostgresHook(ConnectionUri.parse("bike_db", database));
        DemoData.seedBikes(bikes);
        String s3Uri = SharedLocalS3.connectionUri("train-runs");
        s3 = new S3HookFactory().create(ConnectionUri.parse("s3_default", s3Uri));
        Connections connections = TestServices.connections(Map.of("bike_db", database, "s3_default", s3Uri,
                "http_default", slack.url("/").toString(), "slack_default", slack.url(WEBHOOK_PATH).toString()));
        this.connections = connections;
        metadata = MetadataStore.open(StoreLocation.h2InMemory("train-" + UUID.randomUUID()));
        schedulerStore = SchedulerStore.open(metadata.location());
        runtime = runtime(Map.of(), ExecutionMode.LOCAL);
    }

    private DagRuntime runtime(Map<String, String> environment, ExecutionMode mode) {
        return DagRuntime.builder().environment(environment).home(home).store(metadata).parallelism(2)
                .executor(mode)
                .modules(List.of(new PostgresHookModule(), new S3HookModule(), new HttpHookModule(),
                        new SlackHookModule()))
                .connections(connections).build();
    }

    @AfterEach
    void stop() throws IOException {
        runtime.close();
        schedulerStore.close();
        metadata.close();
        s3.close();
        slack.shutdown();
    }

    @Test
    void retrainingLeavesOutDaysWithAMissingFeatureOrCount() {
        bikes.jdbi().useHandle(handle -> {
            handle.execute("INSERT INTO current SELECT * FROM reference");
            handle.execute("UPDATE current SET hum = NULL WHERE dteday IN ('2011-01-05', '2011-01-06')");
            handle.execute("UPDATE current SET cnt = NULL WHERE dteday = '2011-01-20'");
            handle.execute("UPDATE current SET casual = NULL WHERE dteday = '2011-01-21'");
        });

        TrainedModel trained = new BikeModelTraining(bikes, s3, new TrainingHook())
                .retrain("gaps", org.slf4j.LoggerFactory.getLogger(TrainModelTest.class));

        RidgeModel model;
        try (InputStream in = s3.open(trained.artifact())) {
            model = RidgeModel.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(model.trainingRows() + model.testRows()).as("28 reference days, 3 incomplete; casual is no feature")
                .isEqualTo(25);
    }

    @Test
    void aDriftFoundByDetectDataDriftRetrainsAndPublishesTheModelAndNoDriftDoesNot() throws IOException {
        DagSpec detect = TestServices.withoutRetries(DagDiscovery.load(DetectDataDrift.class));
        DagSpec train = DagDiscovery.load(TrainModel.class);
        Scheduler scheduler = new Scheduler(runtime, schedulerStore, List.of(detect, train),
                Clock.fixed(Instant.now().minusSeconds(60), ZoneOffset.UTC), ObjectSource.NONE, false);
        scheduler.tick();

        DagRun calm = runtime.run(detect, RunRequest.manual().withRunId("february")
                .withParams(Map.of("startDate", "2011-02-01", "endDate", "2011-02-28"))).run();
        assertThat(calm.state()).isEqualTo(RunState.SUCCESS);
        scheduler.tick();
        assertThat(runtime.runs(Optional.of("train_model"), 10)).isEmpty();

        DagRun drifted = runtime.run(detect, RunRequest.manual().withRunId("march")).run();
        assertThat(drifted.state()).isEqualTo(RunState.SUCCESS);
        scheduler.tick();
        assertThat(scheduler.awaitInFlight(Duration.ofMinutes(1))).isTrue();
        scheduler.tick();
        assertThat(scheduler.awaitInFlight(Duration.ofMinutes(1))).isTrue();

        // Once: the drift run itself no longer retrains, and a run is judged once.
        assertThat(runtime.taskInstances("detect_data_drift", "march")).extracting(t -> t.taskId())
                .doesNotContain("retrain_model", "publish_model");
        List<DagRun> trainings = runtime.runs(Optional.of("train_model"), 10);
        assertThat(trainings).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo("dag_triggered__detect_data_drift__march");
            assertThat(run.state()).isEqualTo(RunState.SUCCESS);
            assertThat(run.params()).containsEntry("driftShare", "0.6")
                    .containsEntry("driftReport", "s3://train-runs/march/drift_report.html");
        });
        TrainedModel trained = runtime.xcom("train_model", trainings.get(0).runId(), "retrain_model",
                TrainedModel.class).orElseThrow();
        assertThat(runtime.xcom("train_model", trainings.get(0).runId(), "publish_model", S3Key.class))
                .contains(BikeModelTraining.PUBLISHED_MODEL);
        RidgeModel model;
        try (InputStream in = s3.open(BikeModelTraining.PUBLISHED_MODEL)) {
            model = RidgeModel.load(in);
        }
        assertThat(model.alpha()).isEqualTo(trained.alpha());
        assertThat(trained.artifact()).isEqualTo(new S3Key("bike-sharing",
                "models/dag_triggered__detect_data_drift__march/model.json"));
        assertThat(model.trainingRows() + model.testRows()).as("February and March in current").isEqualTo(59);
        assertThat(model.dataWindow()).isEqualTo(new RidgeModel.DataWindow(LocalDate.of(2011, 2, 1),
                LocalDate.of(2011, 3, 31)));
        assertThat(model.featureNames()).isEqualTo(TrainingData.BIKE_FEATURES);
        // 2011-03-15: 2,056 rentals. A model trained on 47 days of February and March lands in the right order of
        // magnitude.
        Map<String, Double> features = new HashMap<>();
        String[] day = "74,2011-03-15,1,0,3,0,2,1,2,0.317391,0.318178,0.655652,0.184309,289,1767,2056".split(",");
        TrainingData.BIKE_FEATURES.forEach(f -> features.put(f, Double.parseDouble(day[BikeRides.COLUMNS.indexOf(f)])));
        assertThat(model.predict(features)).isBetween(2056 / 3.0, 2056 * 3.0);
    }

    @Test
    void onWorkersTheSchedulerTriggersTrainModelAfterADriftAndAWorkerRunsIt() throws Exception {
        runtime.close();
        schedulerStore.close();
        metadata.close();
        Map<String, String> environment = Map.of(StoreLocation.DB_URL_VARIABLE,
                SharedPostgres.freshDatabase("train_metadata"));
        metadata = MetadataStore.open(StoreLocation.fromEnvironment(environment, home));
        schedulerStore = SchedulerStore.open(metadata.location());
        runtime = runtime(environment, ExecutionMode.WORKERS);
        DagSpec detect = TestServices.withoutRetries(DagDiscovery.load(DetectDataDrift.class));
        DagSpec train = DagDiscovery.load(TrainModel.class);
        Scheduler scheduler = new Scheduler(runtime, schedulerStore, List.of(detect, train),
                Clock.fixed(Instant.now().minusSeconds(60), ZoneOffset.UTC), ObjectSource.NONE, false);
        scheduler.tick();
        Worker worker = runtime.worker();
        Thread workerThread = new Thread(worker::run, "train-model-worker");
        workerThread.start();
        try {
            DagRun drifted = runtime.follow("detect_data_drift",
                    runtime.trigger(detect, RunRequest.manual().withRunId("march"))).run();
            assertThat(drifted.state()).isEqualTo(RunState.SUCCESS);
            scheduler.tick();

            DagRun training = runtime.follow("train_model", "dag_triggered__detect_data_drift__march").run();
            assertThat(training.state()).isEqualTo(RunState.SUCCESS);
            assertThat(training.runType()).isEqualTo(RunType.DAG_TRIGGERED);
            assertThat(runtime.taskInstances("train_model", training.runId())).allSatisfy(t -> assertThat(
                    t.hostname()).isPresent());
            TrainedModel trained = runtime.xcom("train_model", training.runId(), "retrain_model", TrainedModel.class)
                    .orElseThrow();
            try (InputStream in = s3.open(BikeModelTraining.PUBLISHED_MODEL)) {
                assertThat(RidgeModel.load(in).alpha()).isEqualTo(trained.alpha());
            }
        } finally {
            worker.close();
            workerThread.join(10_000);
        }
    }
}
