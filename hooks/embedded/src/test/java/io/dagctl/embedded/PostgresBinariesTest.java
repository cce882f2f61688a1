package io.dagctl.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.embedded.internal.PostgresBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {
    @TempDir
    Path cache;

    @Test
    void unpacksOnceAndReplacesATreeLeftByAnInterruptedUnpack() throws Exception {
        Path postgres = PostgresBinaries.unpackedUnder(cache).bin("postgres");
        assertThat(postgres).isExecutable();
        Path home = postgres.getParent().getParent();

        Files.delete(home.resolve(".complete"));
        Files.delete(postgres);
        assertThat(PostgresBinaries.unpackedUnder(cache).bin("postgres")).isEqualTo(postgres).isExecutable();

        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries).containsExactly(home);
        }
    }
}
