package io.dagctl.hooks.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.embedded.testing.SharedPostgres;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** COPY out streams: a result many times larger than the heap passes through a JVM limited to 32 MB. */
class CopyOutStreamingTest {
    private static final long ROWS = 2_500_000;

    @Test
    void copiesAResultFarLargerThanTheHeapOfASmallJvm() throws Exception {
        String uri = SharedPostgres.freshDatabase("streaming");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-cp", System.getProperty("java.class.path"), CopyToNowhere.class.getName(),
                Long.toString(ROWS))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try (OutputStream stdin = child.getOutputStream()) {
            // The URI holds a password: hand it over on stdin rather than on a visible command line.
            stdin.write(uri.getBytes(StandardCharsets.UTF_8));
        }
        boolean finished = child.waitFor(2, TimeUnit.MINUTES);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            child.destroyForcibly();
        }

        assertThat(finished).as("child finished: %s", output).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        String[] counts = output.strip().lines().reduce((first, last) -> last).orElseThrow().split(" ");
        long bytes = Long.parseLong(counts[1]);
        System.out.printf("copied %d rows, %d MB through a 32 MB heap%n", Long.parseLong(counts[0]), bytes >> 20);
        assertThat(Long.parseLong(counts[0])).isEqualTo(ROWS);
        assertThat(bytes).isGreaterThan(8L * 32 * 1024 * 1024);
    }

    /** Run in the child JVM: copies the rows into a stream that only counts bytes. */
    public static final class CopyToNowhere {
        public static void main(String[] args) throws Exception {
            String uri = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            PostgresHook hook = new PostgresHook(ConnectionUri.parse("big", uri));
            long[] bytes = {0};
            OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes[0] += len;
                }
            };
            long rows = hook.copyOut("SELECT g, md5(g::text), repeat('x', 80) FROM generate_series(1, " + args[0]
                    + ") g", counting);
            System.out.println(rows + " " + bytes[0]);
        }
    }
}
