package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What dagctl init writes, and what it refuses; DagProjectIT builds and runs what it writes. */
class InitCommandTest {
    @TempDir
    Path temp;

    private CliRunner cli() {
        return new CliRunner(temp.resolve("home"));
    }

    @Test
    void writesAProjectNamedAfterItsDirectoryWithTheSampleInTheGivenPackage() throws IOException {
        Path project = temp.resolve("pipelines");

        CliRunner.Result init = cli().run("init", project.toString(), "--group", "org.acme", "--package", "org.acme.etl");

        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(init.out()).isEqualTo("""
                created DAG project org.acme:pipelines in %1$s
                  pom.xml
                  src/main/java/org/acme/etl/HelloDagctl.java
                  src/test/java/org/acme/etl/HelloDagctlTest.java
                  src/test/resources/logback-test.xml
                  .gitignore
                  README.md
                next:
                  cd %1$s
                  mvn verify                                  # builds it and runs its tests
                  dagctl --dags-path . trigger hello_dagctl   # runs the sample DAG
                """.formatted(project));
        String pom = Files.readString(project.resolve("pom.xml"));
        assertThat(pom).contains("<groupId>org.acme</groupId>", "<artifactId>pipelines</artifactId>",
                "<dagctl.version>" + InitCommand.dagctlVersion() + "</dagctl.version>",
                "<artifactId>dagctl-bom</artifactId>", "<artifactId>dagctl-core</artifactId>",
                "<artifactId>dagctl-hook-s3</artifactId>").doesNotContain("{{");
        assertThat(Files.readString(project.resolve("src/main/java/org/acme/etl/HelloDagctl.java")))
                .startsWith("package org.acme.etl;\n");
        assertThat(Files.readString(project.resolve(".gitignore"))).isEqualTo("target/\n.dagctl/\n");
        assertThat(InitCommand.dagctlVersion()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void derivesThePackageFromTheGroup() {
        Path project = temp.resolve("dags");

        assertThat(cli().run("init", project.toString(), "--group", "com.my-company").exitCode()).isZero();

        assertThat(project.resolve("src/main/java/com/my_company/dags/HelloDagctl.java")).exists();
    }

    @Test
    void refusesADirectoryThatIsNotEmptyAndLeavesItAsItIs() throws IOException {
        Path project = Files.createDirectories(temp.resolve("existing"));
        Files.writeString(project.resolve("pom.xml"), "mine");

        CliRunner.Result init = cli().run("init", project.toString());

        assertThat(init.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(init.err()).isEqualTo("dagctl: " + project + " is not empty; give a new or empty directory\n");
        assertThat(Files.readString(project.resolve("pom.xml"))).isEqualTo("mine");
    }

    @Test
    void refusesAPackageThatIsNotAJavaPackageName() {
        CliRunner.Result init = cli().run("init", temp.resolve("p").toString(), "--package", "Com.Example-Dags");

        assertThat(init.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(init.err()).isEqualTo("dagctl: --package 'Com.Example-Dags' is not a Java package name; use "
                + "dot-separated lower-case words such as com.example.dags\n");
        assertThat(temp.resolve("p")).doesNotExist();
    }
}
