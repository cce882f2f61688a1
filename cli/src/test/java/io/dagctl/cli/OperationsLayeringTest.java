package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The commands that run operations (trigger, clear, skip, resume, runs, status, logs, xcom, pools, pause, list) call
 * {@code io.dagctl.ops.Operations}, as the web does, instead of the store and runtime internals: one implementation
 * of each operation, with one set of messages. Read from the compiled classes, nested classes and lambdas included,
 * so that a fully qualified name is caught as well as an import.
 */
class OperationsLayeringTest {
    private static final List<String> OPERATION_COMMANDS = List.of("ClearCommand", "ListCommand", "LogsCommand",
            "PauseCommand", "PoolsCommand", "ResumeCommand", "RunReference", "RunsCommand", "SkipCommand",
            "StatusCommand", "TriggerCommand", "UnpauseCommand", "XComCommand");

    /**
     * What a command may still use, and why: executing a run in this process and following it with
     * {@link RunWatcher} is the execution engine's plumbing, not an operation.
     */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            // Executes the run it created here (or leaves it to the workers), stopping on Ctrl-C.
            "TriggerCommand", Set.of("internal.runtime.DagRuntime", "internal.runtime.ExecutionMode",
                    "internal.runtime.StopSignals"),
            // Executes the cleared tasks here, followed by the watcher.
            "ClearCommand", Set.of("internal.runtime.DagRuntime"),
            // Executes the run here, followed by the watcher, which reads the result it ends with.
            "ResumeCommand", Set.of("internal.runtime.DagRuntime", "internal.runtime.RunResult"));

    private static final Pattern INTERNAL = Pattern.compile("io/dagctl/(internal/(?:store|runtime)/[A-Za-z0-9_]+)");

    @Test
    void operationCommandsUseTheStoreAndRuntimeOnlyAsTheAllowListSays() throws IOException, URISyntaxException {
        Map<String, Set<String>> used = new TreeMap<>();
        for (String command : OPERATION_COMMANDS) {
            Set<String> internals = internalsUsedBy(command);
            if (!internals.isEmpty()) {
                used.put(command, internals);
            }
        }

        assertThat(used).isEqualTo(new TreeMap<>(ALLOWED));
    }

    /** The store and runtime classes a class and its nested classes name, as {@code internal.store.DagRun}. */
    private static Set<String> internalsUsedBy(String command) throws IOException, URISyntaxException {
        Path classes = Path.of(Dagctl.class.getResource("Dagctl.class").toURI()).getParent();
        List<Path> files;
        try (Stream<Path> all = Files.list(classes)) {
            files = all.filter(f -> f.getFileName().toString().matches(Pattern.quote(command) + "(\\$.*)?\\.class"))
                    .toList();
        }
        // A renamed command would otherwise pass with nothing read.
        assertThat(files).as("the classes of " + command).isNotEmpty();
        Set<String> internals = new TreeSet<>();
        for (Path file : files) {
            // Class names in the constant pool are plain ASCII in its modified UTF-8.
            Matcher names = INTERNAL.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            while (names.find()) {
                internals.add(names.group(1).replace('/', '.'));
            }
        }
        return internals;
    }
}
