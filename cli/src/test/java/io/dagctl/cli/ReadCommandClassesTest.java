package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the commands that only read load in a JVM of their own: every class is start-up time, so a command that shows
 * no JSON makes no JSON mapper, and one that runs no task leaves the task logs' capture alone.
 */
class ReadCommandClassesTest {
    private static final String OBJECT_MAPPER = " com.fasterxml.jackson.databind.ObjectMapper source:";
    private static final String TASK_LOG_APPENDER = " io.dagctl.internal.logging.TaskLogAppender source:";

    @TempDir
    Path temp;

    @Test
    void readingDagsAndRunsMakesNoJsonMapperAndCapturesNoTaskLogs() throws Exception {
        Path bundle = ClassDataRecordingDagTest.bundleNamingIt(temp.resolve("dags"));
        Path home = temp.resolve("home");
        CliRunner.Result trigger = new CliRunner(home).with("DAGCTL_DAGS_PATH", bundle.toString())
                .run("trigger", "dagctl_class_data_recording", "--run-id", "r");
        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();

        for (List<String> command : List.of(List.of("list"), List.of("runs"), List.of("status", "r"))) {
            List<String> loaded = classesLoadedBy(home, bundle, command);

            assertThat(loaded).as("dagctl %s was logged", command)
                    .filteredOn(line -> line.contains(" io.dagctl.cli.Main source:")).hasSize(1);
            assertThat(loaded).as("classes loaded by dagctl %s", command)
                    .filteredOn(line -> line.contains(OBJECT_MAPPER) || line.contains(TASK_LOG_APPENDER)).isEmpty();
        }
    }

    private List<String> classesLoadedBy(Path home, Path bundle, List<String> command)
            throws IOException, InterruptedException {
        Path log = temp.resolve("classes-" + command.get(0) + ".log");
        Path output = temp.resolve("output-" + command.get(0) + ".txt");
        List<String> java = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load:file=" + log, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        java.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(java).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("DAGCTL_HOME", home.toString());
        builder.environment().put("DAGCTL_DAGS_PATH", bundle.toString());
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(command.toString()).isTrue();
        assertThat(process.exitValue()).as(Files.readString(output)).isZero();
        return Files.readAllLines(log);
    }
}
