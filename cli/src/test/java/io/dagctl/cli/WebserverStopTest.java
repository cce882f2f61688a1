package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dagctl webserver} and {@code dagctl standalone} as processes: on SIGTERM a request still being sent is
 * answered, and the process exits 0.
 */
class WebserverStopTest {
    private static final Pattern LISTENING = Pattern.compile("webserver listening at (http://\\S+/) ");
    private static final String POOL = "{\"name\": \"sent_slowly\", \"slots\": 4}";

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"webserver", "standalone"})
    void answersARequestOpenAtSigtermThenExitsZero(String command) throws Exception {
        Path output = home.resolve(command + ".out");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), command, "--port", "0")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // No bundled DAGs: a scheduler with nothing to schedule starts no embedded service.
        builder.environment().putAll(Map.of("DAGCTL_HOME", home.resolve("home").toString(),
                "DAGCTL_LOAD_EXAMPLES", "false"));
        Process process = builder.start();
        boolean stopSent = false;
        try {
            URI url = URI.create(awaitUrl(process, output));
            try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                // The thread that answers 100 Continue goes on to the handler, which then waits for the body.
                out.write(("POST /api/v1/pools HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\nContent-Type:"
                        + " application/json\r\nExpect: 100-continue\r\nContent-Length: " + POOL.length()
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
                while (!in.readLine().isEmpty()) {
                    // the interim answer's headers
                }
                Thread.sleep(1500); // for that thread to reach the handler, even on a busy machine

                process.destroy(); // SIGTERM
                stopSent = true;
                awaitOutput(process, output, "webserver stopping: 1 open request(s) may finish for up to 10 s");
                out.write(POOL.getBytes(StandardCharsets.US_ASCII));
                out.flush();

                assertThat(in.readLine()).as(() -> readUnchecked(output)).isEqualTo("HTTP/1.1 200 OK");
                String line;
                int length = 0;
                while (!(line = in.readLine()).isEmpty()) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                char[] body = new char[length];
                for (int read = 0; read < length; ) {
                    read += in.read(body, read, length - read);
                }
                assertThat(new String(body)).isEqualTo("{\"name\":\"sent_slowly\",\"slots\":4,\"occupied_slots\":0,"
                        + "\"open_slots\":4,\"description\":\"\"}");
            }
        } finally {
            if (!stopSent) {
                process.destroy();
            }
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(read(output)).isTrue();
        assertThat(process.exitValue()).as(read(output)).isEqualTo(ExitCodes.OK);
        assertThat(read(output)).endsWith("webserver stopped" + System.lineSeparator());
        if (command.equals("standalone")) {
            assertThat(read(output)).contains("scheduler stopped" + System.lineSeparator());
        }
    }

    private static String awaitUrl(Process process, Path output) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher listening = LISTENING.matcher(read(output));
            if (listening.find()) {
                return listening.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the webserver did not say where it listens: " + read(output));
    }

    private static void awaitOutput(Process process, Path output, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && process.isAlive() && !read(output).contains(line)) {
            Thread.sleep(50);
        }
        assertThat(read(output)).contains(line);
    }

    private static String readUnchecked(Path file) {
        try {
            return read(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
