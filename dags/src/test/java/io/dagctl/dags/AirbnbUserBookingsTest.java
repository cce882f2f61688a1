package io.dagctl.dags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.dagctl.ConnectionUri;
import io.dagctl.RunState;
import io.dagctl.TaskContext;
import io.dagctl.TaskState;
import io.dagctl.dags.AirbnbUserBookings.SyntheticDataset;
import io.dagctl.dags.demo.DemoData;
import io.dagctl.embedded.testing.SharedLocalS3;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.postgres.PostgresHookException;
import io.dagctl.hooks.postgres.PostgresHookModule;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3HookFactory;
import io.dagctl.hooks.s3.S3HookModule;
import io.dagctl.hooks.s3.S3Key;
import io.dagctl.synthetics.SyntheticsHook;
import io.dagctl.synthetics.SyntheticsHookFactory;
import io.dagctl.synthetics.SyntheticsHookModule;
import io.dagctl.synthetics.service.LocalSyntheticsService;
import io.dagctl.testkit.DagRunResult;
import io.dagctl.testkit.DagTestKit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** airbnb_user_bookings against embedded PostgreSQL, local S3 and the local synthetic-data service. */
class AirbnbUserBookingsTest {
    private static final String BUCKET = "booking-features";
    private static final String HEADER = "user_id,gender,age,language,signup_method,date_account_created,"
            + "number_of_actions_taken,number_of_unique_actions,avg_session_time_seconds,min_session_time_seconds,"
            + "max_session_time_seconds";
    /** Small enough for the synthesizer to train in seconds. */
    private static final int SMALL_DEMO_USERS = 500;

    private static String s3Uri;
    private static S3Hook s3;
    private static SyntheticsHook synthetics;
    private static String smallDemoUri;
    private static PostgresHook smallDemo;

    @BeforeAll
    static void startServicesAndSeedASmallDemo() {
        s3Uri = SharedLocalS3.connectionUri(BUCKET);
        s3 = new S3HookFactory().create(ConnectionUri.parse("s3_default", s3Uri));
        synthetics = new SyntheticsHookFactory().create(
                ConnectionUri.parse("synthetics_default", TestServices.syntheticsUri()));
        smallDemoUri = SharedPostgres.freshDatabase("bookings_small");
        smallDemo = new PostgresHook(ConnectionUri.parse("booking_db", smallDemoUri));
        DemoData.seed(smallDemo, SMALL_DEMO_USERS, DemoData.DEFAULT_SEED);
    }

    @Test
    void extractFeaturesStreamsOneRowPerUserWithSessionsToS3UnderTheRunId() {
        PostgresHook bookings = new PostgresHook(ConnectionUri.parse("booking_db",
                SharedPostgres.freshDatabase("bookings_default")));
        DemoData.seed(bookings, DemoData.DEFAULT_USERS, DemoData.DEFAULT_SEED);
        AirbnbUserBookings dag = new AirbnbUserBookings(bookings, s3, synthetics);

        S3Key features = dag.extractFeatures(TaskContext.forTest().runId("r1").build());

        assertThat(features).isEqualTo(new S3Key(BUCKET, "r1_booking_features.csv"));
        assertThat(s3.exists(features)).isTrue();
        List<String> lines = lines(features);
        assertThat(lines.get(0)).isEqualTo(HEADER);
        assertThat(lines).hasSize(1 + DemoData.DEFAULT_USERS);
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(11));
    }

    @Test
    void extractFeaturesLeavesNoObjectWhenPostgresDiesMidCopyAndItsRetryWritesTheWholeFile() throws Exception {
        String database = smallDemoUri.substring(smallDemoUri.lastIndexOf('/') + 1);
        int port = SharedPostgres.server().port();
        // The features of the small demo are about 30 KB: the first connection dies after a third of them.
        try (ConnectionCuttingProxy dying = new ConnectionCuttingProxy(port, 10_000)) {
            PostgresHook flaky = new PostgresHook(ConnectionUri.parse("booking_db",
                    smallDemoUri.replace(":" + port + "/" + database, ":" + dying.port() + "/" + database)));
            AirbnbUserBookings dag = new AirbnbUserBookings(flaky, s3, synthetics);
            TaskContext firstTry = TaskContext.forTest().runId("r3").tryNumber(1).build();

            assertThatThrownBy(() -> dag.extractFeatures(firstTry))
                    .isInstanceOf(PostgresHookException.class)
                    .hasMessageContaining("COPY out of postgresql://postgres:***@127.0.0.1:" + dying.port());
            S3Key features = new S3Key(BUCKET, "r3_booking_features.csv");
            assertThat(s3.exists(features)).isFalse();

            S3Key retried = dag.extractFeatures(TaskContext.forTest().runId("r3").tryNumber(2).build());

            assertThat(retried).isEqualTo(features);
            assertThat(lines(features)).hasSize(1 + SMALL_DEMO_USERS);
        }
    }

    @Test
    void synthesizesAPrivateCopyWithTheSameColumnsAndPublishesItAndItsReportToS3() {
        AirbnbUserBookings dag = new AirbnbUserBookings(smallDemo, s3, synthetics);
        TaskContext context = TaskContext.forTest().dagId("airbnb_user_bookings").runId("r2").build();
        S3Key features = dag.extractFeatures(context);

        SyntheticDataset dataset = dag.generateSyntheticFeatures(context, features);
        S3Key published = dag.uploadSyntheticFeatures(context, dataset);

        assertThat(dataset.report()).isEqualTo(new S3Key(BUCKET, "r2_synthetic_quality_report.html"));
        assertThat(text(dataset.report())).contains("<html").contains("Synthetic Quality Score");
        assertThat(dataset.qualityScore()).isBetween(0, 100);
        assertThat(published).isEqualTo(new S3Key(BUCKET, "r2_booking_features_synthetic.csv"));
        List<String> synthetic = lines(published);
        assertThat(synthetic.get(0)).isEqualTo(HEADER);
        assertThat(synthetic).hasSize(1 + SMALL_DEMO_USERS);
        // A private copy: new user ids, and no training row comes back even under a new id.
        List<String> training = lines(features).subList(1, SMALL_DEMO_USERS + 1);
        assertThat(synthetic.subList(1, synthetic.size()).stream().map(AirbnbUserBookingsTest::userId))
                .doesNotContainAnyElementsOf(training.stream().map(AirbnbUserBookingsTest::userId).toList());
        assertThat(synthetic.subList(1, synthetic.size()).stream().map(AirbnbUserBookingsTest::withoutUserId))
                .doesNotContainAnyElementsOf(training.stream().map(AirbnbUserBookingsTest::withoutUserId).toList());
    }

    @Test
    void publishesTheSameSyntheticCopyAndScoreWhenRunAgainOnTheSameFeatures() {
        AirbnbUserBookings dag = new AirbnbUserBookings(smallDemo, s3, synthetics);
        TaskContext first = TaskContext.forTest().dagId("airbnb_user_bookings").runId("r5").build();
        TaskContext second = TaskContext.forTest().dagId("airbnb_user_bookings").runId("r6").build();

        SyntheticDataset once = dag.generateSyntheticFeatures(first, dag.extractFeatures(first));
        SyntheticDataset again = dag.generateSyntheticFeatures(second, dag.extractFeatures(second));

        assertThat(again.qualityScore()).isEqualTo(once.qualityScore());
        assertThat(lines(dag.uploadSyntheticFeatures(second, again)))
                .isEqualTo(lines(dag.uploadSyntheticFeatures(first, once)));
    }

    @Test
    void uploadsTheSyntheticRecordsWhenResumedInAProcessWhoseSyntheticsServiceListensElsewhere(@TempDir Path models) {
        TaskContext context = TaskContext.forTest().dagId("airbnb_user_bookings").runId("r7").build();
        SyntheticDataset dataset;
        try (LocalSyntheticsService earlier = LocalSyntheticsService.start(0, models, Optional.of("earlier-key"))) {
            AirbnbUserBookings dag = new AirbnbUserBookings(smallDemo, s3, syntheticsAt(earlier, "earlier-key"));
            dataset = dag.generateSyntheticFeatures(context, dag.extractFeatures(context));
            // The process that ran the task dies; the resumed run's process starts the service on its models anew.
            try (LocalSyntheticsService later = LocalSyntheticsService.start(0, models, Optional.of("later-key"))) {
                earlier.close();
                AirbnbUserBookings resumed = new AirbnbUserBookings(smallDemo, s3, syntheticsAt(later, "later-key"));

                S3Key published = resumed.uploadSyntheticFeatures(context, dataset);

                assertThat(later.baseUri()).isNotEqualTo(earlier.baseUri());
                assertThat(lines(published)).hasSize(1 + SMALL_DEMO_USERS).first().isEqualTo(HEADER);
            }
        }
    }

    private static SyntheticsHook syntheticsAt(LocalSyntheticsService service, String apiKey) {
        return new SyntheticsHookFactory().create(ConnectionUri.parse("synthetics_default",
                service.baseUri() + "?api_key=" + apiKey));
    }

    @Test
    void runsTheWholeDagInProcessAndLeavesTheKeysOfItsObjectsInXCom() {
        DagRunResult result = DagTestKit.forDag(AirbnbUserBookings.class)
                .modules(new PostgresHookModule(), new S3HookModule(), new SyntheticsHookModule())
                .connections(TestServices.connections(Map.of("booking_db", smallDemoUri, "s3_default", s3Uri,
                        "synthetics_default", TestServices.syntheticsUri())))
                .run();

        assertThat(result.runState()).as(result.toString()).isEqualTo(RunState.SUCCESS);
        assertThat(result.taskStates()).containsExactly(entry("extract_features", TaskState.SUCCESS),
                entry("generate_synthetic_features", TaskState.SUCCESS),
                entry("upload_synthetic_features", TaskState.SUCCESS));
        String run = result.runId();
        assertThat(result.xcom("extract_features", S3Key.class))
                .isEqualTo(new S3Key(BUCKET, run + "_booking_features.csv"));
        SyntheticDataset dataset = result.xcom("generate_synthetic_features", SyntheticDataset.class);
        assertThat(dataset.report()).isEqualTo(new S3Key(BUCKET, run + "_synthetic_quality_report.html"));
        assertThat(dataset.qualityScore()).isBetween(0, 100);
        S3Key published = result.xcom("upload_synthetic_features", S3Key.class);
        assertThat(published).isEqualTo(new S3Key(BUCKET, run + "_booking_features_synthetic.csv"));
        assertThat(lines(published)).hasSize(1 + SMALL_DEMO_USERS).first().isEqualTo(HEADER);
        assertThat(result.log("generate_synthetic_features"))
                .contains("completed with a Synthetic Quality Score of " + dataset.qualityScore() + "\n");
    }

    private static String userId(String line) {
        return line.substring(0, line.indexOf(','));
    }

    private static String withoutUserId(String line) {
        return line.substring(line.indexOf(','));
    }

    private static String text(S3Key key) {
        try (InputStream in = s3.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(S3Key key) {
        return text(key).lines().toList();
    }
}
