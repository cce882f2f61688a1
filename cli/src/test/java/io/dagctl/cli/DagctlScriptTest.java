package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./dagctl} script's first build, with a stand-in for Maven that prints what Maven prints. */
class DagctlScriptTest {
    @TempDir
    Path checkout;

    @Test
    void theFirstBuildSaysWhatItDoesHowLongItMayTakeAndEachModuleItBuilds() throws Exception {
        Result first = runScript("""
                echo "[INFO] Scanning for projects..."
                echo "[INFO] Building dagctl SQL 0.1.0-SNAPSHOT                                    [1/2]"
                echo "[INFO] Building jar: $PWD/sql/target/dagctl-sql.jar"
                echo "[INFO] Building dagctl CLI 0.1.0-SNAPSHOT                                    [2/2]"
                mkdir -p cli/target && touch cli/target/dagctl-cli.jar
                echo "[INFO] BUILD SUCCESS"
                """);

        assertThat(first.err()).startsWith("""
                dagctl: first use: building the CLI with Maven, tests skipped. The first build downloads the \
                dependencies into ~/.m2 and takes 2 to 5 minutes; later builds reuse them.
                dagctl:   building 1/2 dagctl SQL
                dagctl:   building 2/2 dagctl CLI
                dagctl: built; preparing the class-data archive that makes later starts fast...
                """);

        Files.writeString(checkout.resolve("Changed.java"), "class Changed {}");
        Files.setLastModifiedTime(checkout.resolve("Changed.java"), FileTime.from(Instant.now().plusSeconds(60)));
        Result rebuild = runScript("echo '[INFO] BUILD SUCCESS'");
        assertThat(rebuild.err()).startsWith("dagctl: sources changed since the last build: rebuilding the CLI with"
                + " Maven (usually under a minute)...\n");
    }

    @Test
    void aFailedBuildShowsItsErrorsAndWhereItsWholeLogIs() throws Exception {
        Result failed = runScript("""
                echo "[INFO] Building dagctl SQL 0.1.0-SNAPSHOT                                    [1/2]"
                echo "[ERROR] COMPILATION ERROR : Broken.java:[3,1] class, interface, enum, or record expected"
                echo "[INFO] BUILD FAILURE"
                exit 1
                """);

        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.err()).contains("dagctl:   building 1/2 dagctl SQL\n"
                        + "[ERROR] COMPILATION ERROR : Broken.java:[3,1] class, interface, enum, or record expected\n"
                        + "[INFO] BUILD FAILURE\n")
                .containsPattern("dagctl: the build failed; its whole log: /\\S+\n$");
    }

    private record Result(int exitCode, String err) {
    }

    /** Runs a copy of the script in an empty checkout, with {@code mvn} on the PATH running {@code fakeMaven}. */
    private Result runScript(String fakeMaven) throws IOException, InterruptedException {
        Path script = checkout.resolve("dagctl");
        Files.copy(Path.of("..", "dagctl"), script, StandardCopyOption.REPLACE_EXISTING);
        Path bin = Files.createDirectories(checkout.resolve("bin"));
        Path mvn = Files.writeString(bin.resolve("mvn"), "#!/usr/bin/env bash\n" + fakeMaven);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "list").directory(checkout.toFile());
        builder.environment().put("PATH", bin + ":" + Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv("PATH"));
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] err = process.getErrorStream().readAllBytes();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(err, StandardCharsets.UTF_8));
    }
}
