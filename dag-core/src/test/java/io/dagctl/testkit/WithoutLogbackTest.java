package io.dagctl.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.Dag;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * dagctl-core leaves the logging backend to the application: a user's test whose class path has the SLF4J API but
 * no Logback runs its DAG, quietly, and the try logs say why they hold no lines.
 */
@Timeout(120)
class WithoutLogbackTest {
    @Dag(id = "quiet_greeting")
    public static class QuietGreeting {
        @Task
        public String greet(TaskContext context) {
            context.log().info("greeting the world");
            return "hello";
        }
    }

    /** Runs in the child JVM. */
    public static void main(String[] args) {
        DagRunResult result = DagTestKit.forDag(QuietGreeting.class).run();
        System.out.println(result);
        System.out.print(result.log("greet"));
    }

    @Test
    void runsADagQuietlyWithoutLogbackAndSaysWhyTheTryLogIsEmpty() throws IOException, InterruptedException {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("logback"))
                .collect(Collectors.joining(File.pathSeparator));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, WithoutLogbackTest.class.getName()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("run manual__").contains("of DAG quiet_greeting: success {greet=SUCCESS}")
                .contains("the lines of this try are not captured: task logs need Logback "
                        + "(ch.qos.logback:logback-classic) as the SLF4J provider, found "
                        + "org.slf4j.helpers.NOPLoggerFactory")
                .doesNotContain("DEBUG").doesNotContain("INFO");
    }
}
