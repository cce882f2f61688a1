package io.dagctl.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.internal.processor.InProcessCompiler.Reported;
import io.dagctl.internal.processor.InProcessCompiler.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduling rules as javac reports them: on the {@code @Dag} annotation, or on the task method at fault. */
class ScheduleProcessorTest {
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
    void aTriggeredDagWithAValidConditionAndAssetsCompilesCleanly() {
        Result result = compile("""
                @Dag(id = "retrain", params = Retrain.P.class, endDate = "2030-01-01")
                @TriggeredBy(dag = "detect_data_drift", when = "detect_drift.datasetDrift == true",
                        params = "report = detect_drift.htmlReport")
                class Retrain {
                    record P(@Param(defaultValue = "") String report) {
                    }

                    @Task
                    @Updates("s3://bike-sharing/model.json")
                    void publish() {
                    }
                }
                """);
        assertThat(result.errors()).isEmpty();
        assertThat(result.success()).isTrue();
    }

    @Test
    void aBadConditionAndABadAssetAreCompileErrorsWhereTheyAre() {
        Result result = compile("""
                @Dag(id = "retrain")
                @TriggeredBy(dag = "detect_data_drift", when = "detect_drift.datasetDrift === true")
                class Retrain {
                    @Task
                    @Updates("model.json")
                    void publish() {
                    }
                }
                """);
        assertThat(result.success()).isFalse();
        assertThat(result.errors()).containsExactly(
                new Reported(8, "Dag", "Retrain: @TriggeredBy(when): condition 'detect_drift.datasetDrift === true' "
                        + "compares with '= true', which is not a JSON literal; use true, false, null, a number or a "
                        + "\"quoted string\""),
                new Reported(13, "publish", "Retrain.publish: @Updates asset 'model.json' has no scheme://; write "
                        + "scheme://where, e.g. \"s3://bike-sharing/model.json\" or \"postgres://bike_db/current\""));
    }

    private Result compile(String body) {
        return InProcessCompiler.compile(temp.resolve("with-processor"), "fixtures.Retrain", HEADER + body, true);
    }
}
