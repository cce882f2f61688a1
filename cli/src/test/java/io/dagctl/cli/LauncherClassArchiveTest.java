package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution's {@code bin/dagctl} and its class-data archive, with a stand-in for java that records its calls. */
class LauncherClassArchiveTest {
    /** Writes the class lists and the archive it is asked for, as the JVM would. */
    private static final String FAKE_JAVA = """
            #!/usr/bin/env bash
            echo "$*" >> "$JAVA_CALLS"
            for option in "$@"; do
              case "$option" in
                -XX:DumpLoadedClassList=*) echo io/dagctl/cli/Main > "${option#-XX:DumpLoadedClassList=}" ;;
                -XX:SharedArchiveFile=*)
                  if [[ " $* " == *" -Xshare:dump "* ]]; then echo recorded > "${option#-XX:SharedArchiveFile=}"; fi ;;
              esac
            done
            """;

    @TempDir
    Path root;
    private Path archive;
    private Path calls;

    @BeforeEach
    void unpackADistribution() throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("src", "dist", "bin", "dagctl"), bin.resolve("dagctl"), StandardCopyOption.REPLACE_EXISTING);
        Path tools = Files.createDirectories(root.resolve("tools"));
        Path java = Files.writeString(tools.resolve("java"), FAKE_JAVA);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path lib = Files.createDirectories(root.resolve("lib"));
        Files.writeString(lib.resolve("dagctl-cli.jar"), "");
        archive = lib.resolve("dagctl.jsa");
        calls = root.resolve("java-calls");
    }

    @Test
    void anArchiveOlderThanTheJarsIsRecordedAgainBeforeTheCommandRuns() throws Exception {
        Files.writeString(archive, "made for the jars before");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(3600)));

        List<String> javaCalls = run("runs");

        assertThat(javaCalls).filteredOn(call -> call.contains("-Xshare:dump")).hasSize(1);
        assertThat(archive).hasContent("recorded");
        assertThat(javaCalls.get(javaCalls.size() - 1))
                .contains("-XX:SharedArchiveFile=" + archive)
                .endsWith("io.dagctl.cli.Main runs");
    }

    @Test
    void anArchiveMadeAfterTheJarsIsMappedAsItIs() throws Exception {
        Files.writeString(archive, "made for these jars");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().plusSeconds(60)));

        List<String> javaCalls = run("runs");

        assertThat(javaCalls).hasSize(1);
        assertThat(javaCalls.get(0)).contains("-XX:SharedArchiveFile=" + archive).endsWith("io.dagctl.cli.Main runs");
        assertThat(archive).hasContent("made for these jars");
    }

    private List<String> run(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("bin").resolve("dagctl").toString(), command)
                .redirectErrorStream(true).redirectOutput(root.resolve("out").toFile());
        builder.environment().remove("DAGCTL_CLASSPATH");
        builder.environment().remove("DAGCTL_CLASS_ARCHIVE");
        builder.environment().put("JAVA_CALLS", calls.toString());
        builder.environment().put("PATH", root.resolve("tools") + ":" + System.getenv("PATH"));
        Process process = builder.start();
        assertThat(process.waitFor()).as(Files.readString(root.resolve("out"))).isZero();
        return Files.readAllLines(calls);
    }
}
