package io.dagctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", description = "Writes a Maven project for your own DAGs: a sample DAG, its tests, and a pom "
        + "importing io.dagctl:dagctl-bom; `mvn verify` builds and tests it, `dagctl --dags-path DIR` runs it.")
final class InitCommand implements Callable<Integer> {
    private static final Pattern JAVA_PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");
    private static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern ARTIFACT_ID = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final String TEMPLATES = "init/";

    @ParentCommand
    private Dagctl dagctl;

    @Parameters(paramLabel = "DIR", description = "A new or empty directory; its name is the project's artifactId.")
    private Path directory;

    @Option(names = "--group", paramLabel = "G", defaultValue = "com.example",
            description = "The Maven groupId (default ${DEFAULT-VALUE}).")
    private String group;

    @Option(names = "--package", paramLabel = "P",
            description = "The Java package of the sample DAG (default: the groupId with .dags).")
    private String javaPackage;

    @Override
    public Integer call() {
        Path project = dagctl.environment().workingDirectory().resolve(directory).normalize();
        String artifact = project.getFileName().toString();
        String packageName = javaPackage == null ? group.toLowerCase().replace('-', '_') + ".dags" : javaPackage;
        check(GROUP_ID, group, "--group '" + group + "' is not a Maven groupId; use dot-separated words such as "
                + "com.example");
        check(JAVA_PACKAGE, packageName, "--package '" + packageName + "' is not a Java package name; use "
                + "dot-separated lower-case words such as com.example.dags");
        check(ARTIFACT_ID, artifact, "directory name '" + artifact + "' cannot be an artifactId; use letters, digits, "
                + "'_', '-' and '.'");
        if (!isNewOrEmpty(project)) {
            throw CliException.usage(project + " is not empty; give a new or empty directory");
        }
        String packagePath = packageName.replace('.', '/');
        Map<String, String> values = Map.of("group", group, "artifact", artifact, "package", packageName,
                "package_path", packagePath, "dagctl_version", dagctlVersion());
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pom.xml", "pom.xml.tmpl");
        files.put("src/main/java/" + packagePath + "/HelloDagctl.java", "HelloDagctl.java.tmpl");
        files.put("src/test/java/" + packagePath + "/HelloDagctlTest.java", "HelloDagctlTest.java.tmpl");
        files.put("src/test/resources/logback-test.xml", "logback-test.xml.tmpl");
        files.put(".gitignore", "gitignore.tmpl");
        files.put("README.md", "README.md.tmpl");
        files.forEach((file, template) -> write(project.resolve(file), fill(read(template), values)));

        var out = dagctl.out();
        out.println("created DAG project " + group + ":" + artifact + " in " + project);
        files.keySet().forEach(file -> out.println("  " + file));
        out.println("next:");
        out.println("  cd " + project);
        out.println("  mvn verify                                  # builds it and runs its tests");
        out.println("  dagctl --dags-path . trigger hello_dagctl   # runs the sample DAG");
        return ExitCodes.OK;
    }

    private static void check(Pattern rule, String value, String message) {
        if (!rule.matcher(value).matches()) {
            throw CliException.usage(message);
        }
    }

    private static boolean isNewOrEmpty(Path directory) {
        if (!Files.exists(directory)) {
            return true;
        }
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** The version of this build, so that the project imports the BOM of the dagctl that runs its DAGs. */
    static String dagctlVersion() {
        Properties version = new Properties();
        try (InputStream in = InitCommand.class.getResourceAsStream("dagctl-version.properties")) {
            version.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dagctl's version", e);
        }
        return version.getProperty("version");
    }

    private static String read(String template) {
        try (InputStream in = InitCommand.class.getResourceAsStream(TEMPLATES + template)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the template " + template, e);
        }
    }

    private static String fill(String template, Map<String, String> values) {
        String text = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        return text;
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
