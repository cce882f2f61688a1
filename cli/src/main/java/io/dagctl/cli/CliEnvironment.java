package io.dagctl.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What dagctl reads from its surroundings: environment variables and the working directory. Tests pass their own,
 * so no command reads {@code System.getenv} directly.
 */
public record CliEnvironment(Map<String, String> variables, Path workingDirectory) {

    public CliEnvironment {
        variables = Map.copyOf(variables);
    }

    static CliEnvironment fromSystem() {
        return new CliEnvironment(System.getenv(), Path.of("").toAbsolutePath());
    }

    /** {@code DAGCTL_HOME}, or {@code .dagctl} in the working directory: metadata DB, logs, embedded services. */
    Path home() {
        return variable("DAGCTL_HOME").map(workingDirectory::resolve).orElse(workingDirectory.resolve(".dagctl"))
                .normalize();
    }

    /** {@code DAGCTL_DB_URL}: the metadata database, when not the embedded H2 file under {@link #home()}. */
    Optional<String> databaseUrl() {
        return variable("DAGCTL_DB_URL");
    }

    /** {@code DAGCTL_DAGS_PATH}: jars and class directories holding more DAGs, separated by ':'. */
    List<Path> dagsPath() {
        return variable("DAGCTL_DAGS_PATH").map(p -> Arrays.stream(p.split(":")).filter(s -> !s.isBlank())
                .map(workingDirectory::resolve).toList()).orElse(List.of());
    }

    /** {@code DAGCTL_LOAD_EXAMPLES} (Airflow's {@code load_examples}): whether the bundled DAGs are loaded. */
    boolean loadExamples() {
        return variable("DAGCTL_LOAD_EXAMPLES").map(value -> switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw CliException.usage("DAGCTL_LOAD_EXAMPLES is '" + value + "'; set it to true or false");
        }).orElse(true);
    }

    Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
    }
}
