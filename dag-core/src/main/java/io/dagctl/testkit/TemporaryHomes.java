package io.dagctl.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The homes of test-kit runs. A {@link DagRunResult} reads its task logs from there for as long as a test holds
 * it, so they are deleted when the JVM exits rather than when the run ends.
 */
final class TemporaryHomes {
    private static final List<Path> HOMES = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TemporaryHomes::deleteAll, "dagctl-testkit-cleanup"));
    }

    private TemporaryHomes() {
    }

    static synchronized void deleteOnExit(Path home) {
        HOMES.add(home);
    }

    private static synchronized void deleteAll() {
        HOMES.forEach(TemporaryHomes::deleteRecursively);
    }

    /** Best effort: at exit nothing could act on a failure, and a leftover temp directory harms nothing. */
    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("dagctl test kit: could not delete " + directory + ": " + e.getMessage());
        }
    }
}
