package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path of a new user, in processes as a shell runs them: unpack the distribution, put it on the PATH, {@code dagctl
 * init} a project, {@code mvn verify} it, and run its sample DAG from its directory. Runs after {@code package}: it
 * needs the archive, and the artifacts the build copied to the root's target/repository, which the project's build
 * takes dagctl from (third-party artifacts come from the user's local repository, through a private copy).
 */
class DagProjectIT {
    private static final String VERSION = InitCommand.dagctlVersion();

    @TempDir
    Path temp;

    @Test
    void aProjectMadeByInitBuildsPassesItsTestsAndRunsItsSampleDagWithTheDistribution() throws Exception {
        Path distribution = Path.of(required("dagctl.distribution"));
        run(temp, List.of("tar", "xzf", distribution.toString()), Map.of(), 60);
        Path bin = temp.resolve("dagctl-" + VERSION + "/bin");
        Map<String, String> onPath = Map.of("PATH", bin + ":" + System.getenv("PATH"), "DAGCTL_PARALLELISM", "2");

        Result init = run(temp, List.of("dagctl", "init", "hello-dags", "--group", "org.acme"), onPath, 120);
        Path project = temp.resolve("hello-dags");
        assertThat(init.exitCode()).as(init.output()).isZero();
        assertThat(project.resolve("src/main/java/org/acme/dags/HelloDagctl.java")).exists();
        assertThat(Files.readString(project.resolve(".gitignore"))).contains(".dagctl/");

        Path settings = Files.writeString(temp.resolve("settings.xml"), settings());
        Result verify = run(project, List.of("mvn", "-B", "-o", "-s", settings.toString(),
                "-Daether.offline.protocols=file", "verify"), Map.of(), 600);
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0").contains("BUILD SUCCESS");

        Result trigger = run(project, List.of("dagctl", "--dags-path", ".", "trigger", "hello_dagctl",
                "-p", "name=Ada Lovelace"), onPath, 300);
        assertThat(trigger.exitCode()).as(trigger.output()).isZero();
        assertThat(trigger.output()).contains("run manual__").contains(": success")
                .contains("count_words returned 3");
        assertThat(project.resolve(".dagctl")).isDirectory();

        Result list = run(project, List.of("dagctl", "--dags-path", "target/hello-dags-0.1.0-SNAPSHOT.jar", "list"),
                Map.of("PATH", onPath.get("PATH"), "DAGCTL_LOAD_EXAMPLES", "false"), 120);
        assertThat(list.output()).isEqualTo("""
                DAG           SCHEDULE  PAUSED  TASKS  TAGS  DESCRIPTION
                hello_dagctl  manual    no      2            Writes a greeting to S3 and counts its words
                """);
    }

    /**
     * dagctl's artifacts from this build's repository; everything else from the user's local repository, read as a
     * remote one so that this build writes only to its own temporary local repository.
     */
    private String settings() {
        String userRepository = Path.of(required("dagctl.user-repository")).toUri().toString();
        String buildRepository = Path.of(required("dagctl.build-repository")).toUri().toString();
        return """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors>
                    <mirror><id>user-repository</id><mirrorOf>*,!dagctl-build</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                  <profiles><profile><id>dagctl-build</id><repositories>
                    <repository><id>dagctl-build</id><url>%s</url><snapshots><enabled>true</enabled></snapshots></repository>
                  </repositories></profile></profiles>
                  <activeProfiles><activeProfile>dagctl-build</activeProfile></activeProfiles>
                </settings>
                """.formatted(temp.resolve("m2"), userRepository, buildRepository);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new AssertionError(property + " is not set: run this test with mvn verify, which builds the "
                    + "distribution first");
        }
        return value;
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(Path directory, List<String> command, Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile(temp, "output", ".txt");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DAGCTL_"));
        builder.environment().putAll(environment);
        // The shell finds dagctl on the PATH given to it, as a user's shell would.
        builder.command().set(0, which(command.get(0), builder.environment().get("PATH")));
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutSeconds + " s:\n"
                    + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output));
    }

    private static String which(String program, String path) {
        if (program.contains("/")) {
            return program;
        }
        for (String directory : path.split(":")) {
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return program;
    }
}
