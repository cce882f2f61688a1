package io.dagctl.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.internal.processor.InProcessCompiler.Reported;
import io.dagctl.internal.processor.InProcessCompiler.Result;
import io.dagctl.spec.DagDefinitionException;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule as javac reports it through the processor, on the element at fault, and as the reflective loader
 * reports it for the same class compiled without the processor. Sources put the {@code @Dag} annotation on line 8,
 * the class on line 9 and the first member on line 10.
 */
class DagProcessorTest {
    private static final String HEADER = """
            package fixtures;

            import io.dagctl.*;
            import java.net.URI;
            import java.time.*;
            import java.util.*;

            """;

    @TempDir
    Path temp;

    @Test
    void compilesAGoodDagCleanlyAndIndexesIt() throws IOException {
        Result result = compile("""
                @Dag(id = "bookings", schedule = "0 3 * * 1-5", params = Bookings.Params.class)
                class Bookings {
                    record Params(@Param(defaultValue = "2011-03-01") LocalDate startDate, int limit, Mode mode) {
                    }

                    enum Mode { FULL, SAMPLE }

                    @Task
                    ArrayList<String> extractFeatures(Params params) {
                        return new ArrayList<>();
                    }

                    @Task(retries = 2, retryDelay = "PT30S")
                    int count(@From("extract_features") Collection<String> keys) {
                        return keys.size();
                    }

                    @Task(after = "count", shortCircuit = true)
                    Boolean worthPublishing(Integer count, TaskContext context) {
                        return count > 0;
                    }

                    @Task(branch = true)
                    Set<String> choose(@From("extract_features") List<String> keys) {
                        return Set.of("publish");
                    }

                    @Task
                    void publish(@From("worth_publishing") boolean worth) {
                    }

                    @Task
                    Map<String, ? extends Number> measure() {
                        return Map.of();
                    }

                    @Task
                    void report(Map<String, ? extends Number> measures) {
                    }

                    String notATask() {
                        return "";
                    }
                }
                """);

        assertThat(result.errors()).isEmpty();
        assertThat(result.success()).isTrue();
        assertThat(Files.readString(result.classes().resolve(DagDiscovery.INDEX))).isEqualTo("fixtures.Bookings\n");
        List<DagSpec> discovered = DagDiscovery.discover(loaderOf(result.classes()));
        assertThat(discovered).extracting(DagSpec::id).containsExactly("bookings");
        assertThat(discovered.get(0).tasks()).extracting(TaskSpec::id)
                .containsExactly("extract_features", "count", "worth_publishing", "choose", "publish", "measure", "report");
        assertThat(discovered.get(0).task("report").upstream()).containsExactly("measure");
    }

    @Test
    void reportsAnUnknownFromTaskWithTheClosestId() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    String extractFeatures() {
                        return "";
                    }

                    @Task
                    void publish(@From("extract_featurs") String features) {
                    }
                }
                """,
                new Reported(16, "features", "Bookings.publish: @From(\"extract_featurs\") names no task of DAG "
                        + "bookings; did you mean 'extract_features'?"));
    }

    @Test
    void reportsExpansionsWhoseTypesDoNotFit() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    List<String> cities() {
                        return List.of();
                    }

                    @Task
                    URI count() {
                        return null;
                    }

                    @Task
                    int shout(@Expand("cities") int city) {
                        return 0;
                    }

                    @Task
                    void each(@Expand("count") URI uri) {
                    }

                    @Task
                    void total(@From("shout") int shouted) {
                    }
                }
                """,
                new Reported(21, "city", "Bookings.shout: parameter 1 (int) cannot take the elements of task 'cities',"
                        + " which returns List<String>; declare the parameter as String"),
                new Reported(26, "uri", "Bookings.each: parameter 1 (URI) is expanded over task 'count', which"
                        + " returns URI; return a List of URI from it"),
                new Reported(30, "shouted", "Bookings.total: parameter 1 (int) cannot take the values of mapped task"
                        + " 'shout', which returns int per instance; declare the parameter as a List of int"));
    }

    @Test
    void compilesAMappedTaskAndItsDownstreamList() throws IOException {
        Result result = compile("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    ArrayList<String> cities() {
                        return new ArrayList<>();
                    }

                    @Task
                    Integer shout(@Expand("cities") String city, TaskContext context) {
                        return city.length();
                    }

                    @Task
                    void total(@From("shout") List<Integer> lengths) {
                    }
                }
                """);

        assertThat(result.errors()).isEmpty();
        assertThat(result.success()).isTrue();
    }

    @Test
    void reportsAnUnknownAfterTaskListingTheTasksWhenNoneIsClose() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    void extract() {
                    }

                    @Task(after = "vacuum_tables")
                    void publish() {
                    }
                }
                """,
                new Reported(15, "publish", "Bookings.publish: after \"vacuum_tables\" names no task of DAG bookings; "
                        + "its tasks are 'extract' and 'publish'"));
    }

    @Test
    void reportsAnUnannotatedParameterTwoTasksCouldFeed() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    URI extractBookings() {
                        return null;
                    }

                    @Task
                    URI extractUsers() {
                        return null;
                    }

                    @Task
                    void publish(TaskContext context, URI dataset) {
                    }
                }
                """,
                new Reported(21, "dataset", "Bookings.publish: parameter 2 (URI) is returned by tasks "
                        + "'extract_bookings' and 'extract_users'; choose one with @From(\"extract_bookings\")"));
    }

    @Test
    void reportsAParameterNoTaskReturns() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    List<String> extract() {
                        return List.of();
                    }

                    @Task
                    void publish(List<Integer> counts) {
                    }
                }
                """,
                new Reported(16, "counts", "Bookings.publish: parameter 1 (List<Integer>) is returned by no other task "
                        + "of DAG bookings; take it from a task with @From(\"task_id\"), or declare TaskContext or "
                        + "the DAG's params record"));
    }

    @Test
    void reportsAParameterThatCannotTakeTheUpstreamValue() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    List<String> extract() {
                        return List.of();
                    }

                    @Task
                    void publish(@From("extract") List<Integer> counts, @From("extract") Collection<String> keys,
                            @From("extract") Set<String> unique) {
                    }
                }
                """,
                new Reported(16, "counts", "Bookings.publish: parameter 1 (List<Integer>) cannot take the value of "
                        + "task 'extract', which returns List<String>; declare the parameter as List<String> or bind "
                        + "it to another task"),
                new Reported(17, "unique", "Bookings.publish: parameter 3 (Set<String>) cannot take the value of "
                        + "task 'extract', which returns List<String>; declare the parameter as List<String> or bind "
                        + "it to another task"));
    }

    @Test
    void reportsAParameterBoundToATaskReturningNothing() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    void extract() {
                    }

                    @Task
                    void publish(@From("extract") String key) {
                    }
                }
                """,
                new Reported(15, "key", "Bookings.publish: parameter 1 (String) is bound to task 'extract', which "
                        + "returns nothing; return a value from it, or use @Task(after = \"extract\") to only run "
                        + "after it"));
    }

    @Test
    void reportsACycleFromItsFirstDeclaredTask() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    void start() {
                    }

                    @Task(after = {"start", "publish"})
                    String extract() {
                        return "";
                    }

                    @Task
                    long transform(String extracted) {
                        return 0;
                    }

                    @Task
                    void publish(long transformed) {
                    }
                }
                """,
                new Reported(15, "extract", "Bookings.extract: tasks form a cycle extract -> transform -> publish -> "
                        + "extract; remove one of these dependencies"));
    }

    @Test
    void reportsADuplicateTaskIdNamingBothMethods() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    void extractFeatures() {
                    }

                    @Task(id = "extract_features")
                    void extractAgain() {
                    }
                }
                """,
                new Reported(15, "extractAgain", "Bookings.extractAgain: task id 'extract_features' is already used by "
                        + "Bookings.extractFeatures; give one of them another @Task(id)"));
    }

    @Test
    void reportsAParameterWhoseTypeIsATypeVariable() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    String extract() {
                        return "";
                    }

                    @Task
                    <T> void publish(@From("extract") T value, @From("extract") List<? extends T> values) {
                    }
                }
                """,
                new Reported(16, "value", "Bookings.publish: parameter 1 (T) has a type variable, which no task value "
                        + "can be read as; declare a concrete type"),
                new Reported(16, "values", "Bookings.publish: parameter 2 (List<? extends T>) has a type variable, "
                        + "which no task value can be read as; declare a concrete type"));
    }

    @Test
    void reportsScheduleTimezoneStartDateAndDagRetryProblemsOnTheClass() {
        assertRejected("""
                @Dag(id = "bookings", schedule = "0 3 * *", timezone = "Europe/Atlantis", startDate = "2011-13-01",
                        retries = -1, retryDelay = "30s", maxActiveRuns = 0)
                class Bookings {
                    @Task
                    void extract() {
                    }
                }
                """,
                new Reported(8, "Dag", "Bookings: schedule '0 3 * *' is not a cron expression (Cron expression "
                        + "contains 4 parts but we expect one of [5]); use five fields (minute hour day-of-month month "
                        + "day-of-week), one of @hourly, @daily, @weekly, @monthly, @yearly, or \"\" for manual runs "
                        + "only"),
                new Reported(8, "Dag", "Bookings: timezone 'Europe/Atlantis' is not a time zone id; use a region "
                        + "such as \"Europe/Berlin\" or \"UTC\""),
                new Reported(8, "Dag", "Bookings: startDate '2011-13-01' is not an ISO date; write yyyy-MM-dd, "
                        + "e.g. \"2011-01-01\""),
                new Reported(8, "Dag", "Bookings: maxActiveRuns is 0; allow at least 1 active run"),
                new Reported(8, "Dag", "Bookings: retries is -1; use 0 or more"),
                new Reported(8, "Dag", "Bookings: retryDelay '30s' is not an ISO-8601 duration; write e.g. "
                        + "\"PT30S\", \"PT5M\" or \"PT1H\""));
    }

    @Test
    void reportsInvalidTaskDurationsAndRetriesOnTheMethod() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task(retries = -2, maxRetryDelay = "1 hour", executionTimeout = "-PT5M")
                    void extract() {
                    }
                }
                """,
                new Reported(11, "extract", "Bookings.extract: retries is -2; use 0 or more, or -1 to take the DAG's"),
                new Reported(11, "extract", "Bookings.extract: maxRetryDelay '1 hour' is not an ISO-8601 duration; "
                        + "write e.g. \"PT30S\", \"PT5M\" or \"PT1H\""),
                new Reported(11, "extract", "Bookings.extract: executionTimeout '-PT5M' is negative; use a positive "
                        + "duration"));
    }

    @Test
    void reportsPrivateAndStaticTaskMethods() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    private void extract() {
                    }

                    @Task
                    static void publish() {
                    }
                }
                """,
                new Reported(11, "extract", "Bookings.extract: @Task method is private; make it package-private or "
                        + "public"),
                new Reported(15, "publish", "Bookings.publish: @Task method is static; make it an instance method"));
    }

    @Test
    void reportsPoolNamesOutsideTheGrammarInsteadOfLettingTheirTasksWaitForever() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task(pool = "Big Pool!")
                    void extract() {
                    }

                    @Task(pool = "")
                    void publish() {
                    }
                }
                """,
                new Reported(11, "extract", "Bookings.extract: pool 'Big Pool!' is not valid: a pool name is 1 to 250 "
                        + "letters, digits and _ - ."),
                new Reported(15, "publish", "Bookings.publish: pool '' is not valid: a pool name is 1 to 250 "
                        + "letters, digits and _ - ."));
    }

    @Test
    void reportsADagWithoutTasksAndAnIdThatIsNotLowerSnakeCase() {
        assertRejected("""
                @Dag(id = "BookingsDaily")
                class Bookings {
                    void extract() {
                    }
                }
                """,
                new Reported(8, "Dag", "Bookings: DAG id 'BookingsDaily' is not lower snake case; use lower-case "
                        + "letters, digits and underscores, e.g. @Dag(id = \"bookings_daily\")"),
                new Reported(8, "Dag", "Bookings: DAG has no tasks; annotate at least one method with @Task"));
    }

    @Test
    void reportsShortCircuitAndBranchTasksReturningTheWrongType() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task(shortCircuit = true)
                    String check() {
                        return "";
                    }

                    @Task(branch = true)
                    List<Integer> choose() {
                        return List.of();
                    }

                    @Task(branch = true, shortCircuit = true)
                    boolean both() {
                        return true;
                    }
                }
                """,
                new Reported(11, "check", "Bookings.check: shortCircuit task returns String; return boolean (false "
                        + "skips everything downstream)"),
                new Reported(16, "choose", "Bookings.choose: branch task returns List<Integer>; return the String id or "
                        + "a Collection<String> of ids of the downstream tasks to follow"),
                new Reported(21, "both", "Bookings.both: a task is either shortCircuit or branch, not both; keep one"));
    }

    @Test
    void reportsParamsComponentsOfUnsupportedTypeOrWithDefaultsThatDoNotParse() {
        assertRejected("""
                @Dag(id = "bookings", params = Bookings.Params.class)
                class Bookings {
                    record Params(@Param(defaultValue = "2011-13-01") LocalDate startDate, List<String> regions,
                                  @Param(defaultValue = "PARTIAL") Mode mode, @Param(defaultValue = "ten") int limit) {
                    }

                    enum Mode { FULL, SAMPLE }

                    @Task
                    void extract(Params params) {
                    }
                }
                """,
                new Reported(10, "startDate", "Bookings: params Params.startDate default '2011-13-01' is not a date "
                        + "(yyyy-MM-dd); fix @Param(defaultValue)"),
                new Reported(10, "regions", "Bookings: params Params.regions has unsupported type List<String>; use "
                        + "String, boolean, int, long, double (or their boxes), LocalDate, LocalDateTime, Instant, "
                        + "Duration, URI or an enum"),
                new Reported(11, "mode", "Bookings: params Params.mode default 'PARTIAL' is not one of FULL, SAMPLE; "
                        + "fix @Param(defaultValue)"),
                new Reported(11, "limit", "Bookings: params Params.limit default 'ten' is not an int; fix "
                        + "@Param(defaultValue)"));
    }

    @Test
    void reportsATaskMethodInAClassWithoutDag() {
        Result result = compile("""
                class Bookings {
                    @Task
                    void extract() {
                    }
                }
                """);

        assertThat(result.errors()).containsExactly(new Reported(10, "extract", "Bookings.extract: @Task method in a "
                + "class without @Dag; annotate Bookings with @Dag(id = \"bookings\") or remove @Task"));
    }

    @Test
    void keepsTheDagsOfAnEarlierIndexThatAreStillDags() throws IOException {
        Path classes = temp.resolve("with-processor");
        InProcessCompiler.compile(classes, "fixtures.Users", """
                package fixtures;

                @io.dagctl.Dag(id = "users")
                class Users {
                    @io.dagctl.Task
                    void load() {
                    }
                }
                """, true);
        Files.writeString(classes.resolve(DagDiscovery.INDEX), "fixtures.Users\nfixtures.Deleted\n");

        Result result = compile("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    void extract() {
                    }
                }
                """);

        assertThat(result.errors()).isEmpty();
        assertThat(Files.readString(classes.resolve(DagDiscovery.INDEX))).isEqualTo("fixtures.Users\nfixtures.Bookings\n");
    }

    private Result compile(String body) {
        return InProcessCompiler.compile(temp.resolve("with-processor"), "fixtures.Bookings", HEADER + body, true);
    }

    /** The processor reports exactly these errors, and the loader the same messages for a -proc:none build. */
    @Test
    void reportsAnAbstractDagClassAsOneDagctlCannotConstruct() {
        assertRejected("""
                @Dag(id = "bookings")
                abstract class Bookings {
                    @Task
                    void extract() {
                    }
                }
                """,
                new Reported(8, "Dag", "Bookings: class is abstract, so dagctl cannot construct it; make it a "
                        + "concrete class"));
    }

    @Test
    void reportsADagClassWithoutAConstructorGuiceCanCall() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    private final String table;

                    Bookings(String table) {
                        this.table = table;
                    }

                    @Task
                    void extract() {
                    }
                }
                """,
                new Reported(8, "Dag", "Bookings: class has neither an @Inject constructor nor one without "
                        + "parameters, so dagctl cannot construct it; annotate the constructor dagctl should call "
                        + "with @Inject"));
    }

    @Test
    void reportsAPrivateConstructorWithoutParametersAndTwoInjectConstructors() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    private Bookings() {
                    }

                    @Task
                    void extract() {
                    }
                }
                """,
                new Reported(8, "Dag", "Bookings: its constructor without parameters is private, so dagctl cannot "
                        + "construct it; make it package-private or public, or annotate a constructor with @Inject"));
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @jakarta.inject.Inject
                    Bookings() {
                    }

                    @jakarta.inject.Inject
                    Bookings(TaskContext unused) {
                    }

                    @Task
                    void extract() {
                    }
                }
                """,
                new Reported(8, "Dag", "Bookings: 2 constructors are annotated @Inject; annotate only the one "
                        + "dagctl should call"));
    }

    @Test
    void acceptsAnInjectConstructorWithParametersAndAPrivateOneBeside() throws IOException {
        Result result = compile("""
                @Dag(id = "bookings")
                public class Bookings {
                    private final String table;

                    @jakarta.inject.Inject
                    public Bookings(TaskContext unused) {
                        this("bookings");
                    }

                    private Bookings(String table) {
                        this.table = table;
                    }

                    @Task
                    String extract() {
                        return table;
                    }
                }
                """);

        assertThat(result.errors()).isEmpty();
        assertThat(DagDiscovery.discover(loaderOf(result.classes()))).extracting(DagSpec::id)
                .containsExactly("bookings");
    }

    @Test
    void reportsEmptyAndInvalidPoolNamesAndFewerThanOnePoolSlot() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task(pool = "")
                    void extract() {
                    }

                    @Task(pool = "booking db", poolSlots = 0)
                    void load() {
                    }

                    @Task(pool = "postgres-main.v2_eu", poolSlots = 2)
                    void publish() {
                    }
                }
                """,
                new Reported(11, "extract", "Bookings.extract: pool '' is not valid: a pool name is 1 to 250 letters, "
                        + "digits and _ - ."),
                new Reported(15, "load", "Bookings.load: poolSlots is 0; a try takes at least 1 pool slot"),
                new Reported(15, "load", "Bookings.load: pool 'booking db' is not valid: a pool name is 1 to 250 "
                        + "letters, digits and _ - ."));
    }

    @Test
    void reportsAPrimitiveBoundToAnUpstreamThatMayNotHaveSucceeded() {
        assertRejected("""
                @Dag(id = "bookings")
                class Bookings {
                    @Task
                    int count() {
                        return 1;
                    }

                    @Task(triggerRule = TriggerRule.ALL_DONE)
                    void report(int count, @From("count") Integer boxed) {
                    }
                }
                """,
                new Reported(16, "count", "Bookings.report: parameter 1 (int) takes the value of task 'count' under "
                        + "trigger rule ALL_DONE, which runs this task with null when 'count' did not succeed; declare "
                        + "the parameter as Integer"));
    }

    @Test
    void suggestsThePresetAMistypedOneMeantAndAValidIdForAnInvalidOne() {
        assertRejected("""
                @Dag(id = "bookings", schedule = "@dialy")
                class Bookings {
                    @Task(id = "Load Orders")
                    void load() {
                    }
                }
                """,
                new Reported(8, "Dag", "Bookings: schedule '@dialy' is not a preset (did you mean '@daily'?); the "
                        + "presets are @hourly, @daily, @weekly, @monthly, @yearly"),
                new Reported(11, "load", "Bookings.load: task id 'Load Orders' is not lower snake case; use "
                        + "lower-case letters, digits and underscores, e.g. @Task(id = \"load_orders\")"));
    }

    private void assertRejected(String body, Reported... expected) {
        Result result = compile(body);
        assertThat(result.success()).isFalse();
        assertThat(result.errors()).containsExactly(expected);

        Result plain = InProcessCompiler.compile(temp.resolve("without-processor"), "fixtures.Bookings",
                HEADER + body, false);
        assertThat(plain.errors()).isEmpty();
        assertThatThrownBy(() -> DagDiscovery.load(loaderOf(plain.classes()).loadClass("fixtures.Bookings")))
                .isInstanceOfSatisfying(DagDefinitionException.class,
                        e -> assertThat(e.problems()).isEqualTo(result.messages()));
    }

    private static ClassLoader loaderOf(Path classes) {
        try {
            return new URLClassLoader(new URL[] {classes.toUri().toURL()}, DagProcessorTest.class.getClassLoader());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
