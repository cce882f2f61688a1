package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.embedded.testing.SharedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL classes the launcher records for its class-data archive, with no PostgreSQL, as it runs them. */
class ClassDataRecordingPostgresTest {
    @TempDir
    Path temp;

    @Test
    void recordsEveryClassOfTheDriverAndThePoolThatACommandOnPostgresLoads() throws Exception {
        Map<String, String> onPostgres = Map.of("DAGCTL_DB_URL", SharedPostgres.freshDatabase("class_recording"),
                "DAGCTL_HOME", temp.resolve("home").toString());

        Set<String> loaded = driverAndPoolClasses(classesLoaded("runs", onPostgres, Main.class.getName(), "runs"));
        Set<String> recorded = driverAndPoolClasses(classesLoaded("recording", Map.of(),
                ClassDataRecordingPostgres.class.getName()));

        assertThat(loaded).contains("org/postgresql/Driver", "com/zaxxer/hikari/pool/HikariPool");
        assertThat(recorded).containsAll(loaded);
    }

    private static Set<String> driverAndPoolClasses(List<String> classList) {
        return classList.stream().filter(c -> c.startsWith("org/postgresql/") || c.startsWith("com/zaxxer/hikari/"))
                .map(c -> c.split(" ")[0]).collect(Collectors.toSet());
    }

    /** The class list {@code -XX:DumpLoadedClassList} writes, as the launcher records it. */
    private List<String> classesLoaded(String name, Map<String, String> environment, String... mainAndArgs)
            throws IOException, InterruptedException {
        Path classList = temp.resolve(name + ".classes");
        Path output = temp.resolve(name + ".txt");
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:DumpLoadedClassList=" + classList, "-cp", System.getProperty("java.class.path")));
        java.addAll(List.of(mainAndArgs));
        ProcessBuilder builder = new ProcessBuilder(java).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(name).isTrue();
        assertThat(process.exitValue()).as(Files.readString(output)).isZero();
        return Files.readAllLines(classList);
    }
}
