package io.dagctl.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.TriggerRule;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagDefinitionException;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.RetryPolicy;
import io.dagctl.spec.TaskKind;
import io.dagctl.spec.TaskSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DagDiscoveryTest {

    @Dag(id = "booking_features", description = "Booking features", schedule = "@daily", timezone = "Europe/Berlin",
            startDate = "2011-01-01", tags = {"synthetics", "s3"}, retries = 2, retryDelay = "PT1M",
            executionTimeout = "PT1H", params = BookingFeatures.Params.class)
    static class BookingFeatures {
        static int constructed;

        BookingFeatures() {
            constructed++;
        }

        record Params(@Param(defaultValue = "2011-03-01", description = "first day") LocalDate startDate,
                      @Param(defaultValue = "10") int limit) {
        }

        @Task(retries = 5, retryDelay = "PT30S", retryExponentialBackoff = true, executionTimeout = "PT5M")
        URI publish(TaskContext context, @From("extract_features") List<String> keys) {
            return URI.create("s3://bucket/" + keys.size());
        }

        @Task
        List<String> extractFeatures(Params params) {
            return List.of(params.startDate().toString());
        }

        @Task(triggerRule = TriggerRule.ALL_DONE)
        void cleanUp(URI published) {
        }

        @Task(after = "extract_features", shortCircuit = true)
        boolean notifyStart() {
            return true;
        }

        @Task(branch = true)
        String loadS3Key() {
            return "x";
        }
    }

    @Test
    void readsTheDagAttributesWithoutInstantiatingTheClass() {
        DagSpec spec = DagDiscovery.load(BookingFeatures.class);

        assertThat(BookingFeatures.constructed).isZero();
        assertThat(spec.id()).isEqualTo("booking_features");
        assertThat(spec.dagClass()).isEqualTo(BookingFeatures.class);
        assertThat(spec.description()).isEqualTo("Booking features");
        assertThat(spec.schedule()).isEqualTo("@daily");
        assertThat(spec.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(spec.startDate()).contains(LocalDate.of(2011, 1, 1));
        assertThat(spec.tags()).containsExactly("synthetics", "s3");
        assertThat(spec.defaultRetry()).isEqualTo(new RetryPolicy(2, Duration.ofMinutes(1), false, Duration.ofHours(24)));
        assertThat(spec.executionTimeout()).contains(Duration.ofHours(1));
        assertThat(spec.params().type()).isEqualTo(BookingFeatures.Params.class);
        assertThat(spec.params().params()).extracting(p -> p.name() + ":" + p.type().getSimpleName() + "="
                + p.defaultValue().orElse("") + " " + p.description())
                .containsExactly("startDate:LocalDate=2011-03-01 first day", "limit:int=10 ");
    }

    @Test
    void ordersTasksUpstreamFirstAndOtherwiseInDeclarationOrder() {
        DagSpec spec = DagDiscovery.load(BookingFeatures.class);

        assertThat(spec.tasks()).extracting(TaskSpec::id)
                .containsExactly("extract_features", "publish", "clean_up", "notify_start", "load_s3_key");
    }

    @Test
    void bindsContextParamsNamedAndTypedUpstreamValues() throws Exception {
        DagSpec spec = DagDiscovery.load(BookingFeatures.class);

        TaskSpec publish = spec.task("publish");
        assertThat(publish.arguments()).containsExactly(new ArgumentSpec.Context(),
                new ArgumentSpec.Upstream("extract_features",
                        BookingFeatures.class.getDeclaredMethod("publish", TaskContext.class, List.class)
                                .getGenericParameterTypes()[1]));
        assertThat(publish.upstream()).containsExactly("extract_features");
        assertThat(spec.task("extract_features").arguments())
                .containsExactly(new ArgumentSpec.Params(BookingFeatures.Params.class));
        assertThat(spec.task("clean_up").arguments()).containsExactly(new ArgumentSpec.Upstream("publish", URI.class));
        assertThat(spec.task("notify_start").upstream()).containsExactly("extract_features");
        assertThat(spec.downstream("extract_features")).containsExactly("publish", "notify_start");
    }

    @Test
    void letsTasksOverrideTheRetryPolicyAndTimeoutOfTheDag() {
        DagSpec spec = DagDiscovery.load(BookingFeatures.class);

        TaskSpec publish = spec.task("publish");
        assertThat(publish.retry()).isEqualTo(new RetryPolicy(5, Duration.ofSeconds(30), true, Duration.ofHours(24)));
        assertThat(publish.executionTimeout()).contains(Duration.ofMinutes(5));
        assertThat(spec.task("clean_up").retry()).isEqualTo(spec.defaultRetry());
        assertThat(spec.task("clean_up").executionTimeout()).contains(Duration.ofHours(1));
        assertThat(spec.task("clean_up").triggerRule()).isEqualTo(TriggerRule.ALL_DONE);
        assertThat(spec.task("clean_up").returnsValue()).isFalse();
    }

    @Test
    void marksShortCircuitAndBranchTasks() {
        DagSpec spec = DagDiscovery.load(BookingFeatures.class);

        assertThat(spec.task("notify_start").kind()).isEqualTo(TaskKind.SHORT_CIRCUIT);
        assertThat(spec.task("load_s3_key").kind()).isEqualTo(TaskKind.BRANCH);
        assertThat(spec.task("publish").kind()).isEqualTo(TaskKind.PLAIN);
    }

    @Dag(id = "Broken-Dag", schedule = "0 25 * * *", timezone = "Mars/Olympus", retryDelay = "5m")
    static class Broken {
        @Task
        private String extractFeatures() {
            return "";
        }

        @Task
        void publish(@From("extract_featurs") String features, Object unknown) {
        }
    }

    @Test
    void listsEveryProblemOnItsOwnLine() {
        assertThatThrownBy(() -> DagDiscovery.load(Broken.class))
                .isInstanceOf(DagDefinitionException.class)
                .hasMessage(String.join("\n",
                        "Broken: DAG id 'Broken-Dag' is not lower snake case; use lower-case letters, digits and "
                                + "underscores, e.g. @Dag(id = \"broken_dag\")",
                        "Broken: schedule '0 25 * * *' is not a cron expression (Failed to parse cron expression. "
                                + "Value 25 not in range [0, 23]); use five fields (minute hour day-of-month month "
                                + "day-of-week), one of @hourly, @daily, @weekly, @monthly, @yearly, or \"\" for "
                                + "manual runs only",
                        "Broken: timezone 'Mars/Olympus' is not a time zone id; use a region such as "
                                + "\"Europe/Berlin\" or \"UTC\"",
                        "Broken: retryDelay '5m' is not an ISO-8601 duration; write e.g. \"PT30S\", \"PT5M\" or "
                                + "\"PT1H\"",
                        "Broken.extractFeatures: @Task method is private; make it package-private or public",
                        "Broken.publish: @From(\"extract_featurs\") names no task of DAG Broken-Dag; did you mean "
                                + "'extract_features'?",
                        "Broken.publish: parameter 2 (Object) is returned by no other task of DAG Broken-Dag; take it "
                                + "from a task with @From(\"task_id\"), or declare TaskContext or the DAG's params "
                                + "record"));
    }

    static class NotADag {
    }

    @Test
    void refusesAClassWithoutDag() {
        assertThatThrownBy(() -> DagDiscovery.load(NotADag.class))
                .hasMessage("NotADag: class is not annotated @Dag; annotate it with @Dag(id = \"not_a_dag\")");
    }

    @Dag(id = "booking_features")
    static class SameId {
        @Task
        void only() {
        }
    }

    @Test
    void discoversTheDagsOfEveryIndexAndRejectsADagIdUsedTwice(@TempDir Path first, @TempDir Path second)
            throws IOException {
        writeIndex(first, BookingFeatures.class.getName());
        writeIndex(second, "# written by the processor\n" + SameId.class.getName() + "\n");

        assertThat(DagDiscovery.discover(loaderOf(first))).extracting(DagSpec::id).containsExactly("booking_features");
        assertThatThrownBy(() -> DagDiscovery.discover(loaderOf(first, second)))
                .hasMessage("SameId: DAG id 'booking_features' is also the id of "
                        + BookingFeatures.class.getName() + " (this class is " + SameId.class.getName()
                        + "); give one of them another @Dag(id)");
    }

    @Test
    void reportsAnIndexedClassThatCannotBeLoaded(@TempDir Path root) throws IOException {
        writeIndex(root, "io.example.Gone");

        assertThatThrownBy(() -> DagDiscovery.discover(loaderOf(root)))
                .hasMessage("io.example.Gone: listed in META-INF/dagctl/dags.index but cannot be loaded "
                        + "(java.lang.ClassNotFoundException: io.example.Gone); rebuild the project that declares it");
    }

    private static void writeIndex(Path root, String content) throws IOException {
        Path index = root.resolve(DagDiscovery.INDEX);
        Files.createDirectories(index.getParent());
        Files.writeString(index, content);
    }

    private static ClassLoader loaderOf(Path... roots) throws IOException {
        URL[] urls = new URL[roots.length];
        for (int i = 0; i < roots.length; i++) {
            urls[i] = roots[i].toUri().toURL();
        }
        // the parent sees the test classes but no index of its own, so only the given indexes count
        return new URLClassLoader(urls, DagDiscoveryTest.class.getClassLoader()) {
            @Override
            public java.util.Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(DagDiscovery.INDEX) ? findResources(name) : super.getResources(name);
            }
        };
    }

}
