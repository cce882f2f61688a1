package io.dagctl.cli.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagctl.cli.CompiledDags;
import io.dagctl.cli.Main;
import io.dagctl.internal.store.StoreLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of connection holds a distinctive secret; both bundled pipelines run on the embedded services, a DAG
 * spills every secret it can, and a user types passwords where they do not belong. Then every byte dagctl printed
 * (each command in its own JVM, as a shell runs it), every file under the home (task logs, the H2 file, the S3
 * objects, the embedded services' data) and every value in the metadata database is searched for each secret in
 * each of its encodings: none is found.
 */
class SecretsScanTest {
    private static final String DB_PASSWORD = "scanDb\"pass\\word-71e3";
    private static final String S3_SECRET = "scanS3Secret/4b8d+Yw";
    private static final String BEARER_TOKEN = "scanBearer-93c5a1";
    private static final String API_KEY = "scanApiKey-0f6e2d";
    private static final String SLACK_TOKEN = "scanSlackTok8a2c4e";
    private static final String FIXTURE_WEBHOOK_TOKEN = "scanHookTok3e9b71";
    private static final String SYNTHETICS_KEY = "scanSynth-5d1c7f";
    private static final String URL_PASSWORD = "scanUrlPw-2c8f60";
    private static final String JDBC_PASSWORD = "scanJdbcPw-6a4e09";
    private static final List<String> SECRETS = List.of(DB_PASSWORD, S3_SECRET, BEARER_TOKEN, API_KEY, SLACK_TOKEN,
            FIXTURE_WEBHOOK_TOKEN, SYNTHETICS_KEY, URL_PASSWORD, JDBC_PASSWORD);

    @TempDir
    static Path bundle;
    /** The DAG that spills secrets, on the DAGs path of this test only. */
    static Path dags;

    @TempDir
    Path home;

    @TempDir
    Path printed;

    private MockWebServer server;
    private final List<String> commands = new ArrayList<>();

    @BeforeAll
    static void compileDags() throws IOException {
        dags = CompiledDags.compileResource(bundle, "badinput-dags/SecretsLeakingDag.java");
    }

    @BeforeEach
    void startServer() throws IOException {
        server = new MockWebServer();
        server.setDispatcher(new CredentialEchoingDispatcher());
        server.start();
    }

    @AfterEach
    void stopServerAndDeleteRelocatedCluster() throws IOException {
        server.shutdown();
        // A root user's PostgreSQL cluster lives under /var/tmp behind a link in the home.
        Path link = home.resolve("postgres");
        if (Files.isSymbolicLink(link)) {
            try (Stream<Path> files = Files.walk(link.toRealPath())) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private Map<String, String> connections() {
        Map<String, String> variables = new HashMap<>();
        variables.put("DAGCTL_DAGS_PATH", dags.toString());
        variables.put("DAGCTL_CONN_FIXTURE_DB", "postgresql://app:" + encode(DB_PASSWORD) + "@db.example:5432/app");
        variables.put("DAGCTL_CONN_FIXTURE_S3", "s3://AKIASCAN00000001:" + encode(S3_SECRET)
                + "@scan-bucket?region=eu-west-1");
        variables.put("DAGCTL_CONN_FIXTURE_API", server.url("/api/") + "?header.Authorization=Bearer%20"
                + BEARER_TOKEN + "&header.X-Api-Key=" + API_KEY + "&max_attempts=1");
        variables.put("DAGCTL_CONN_FIXTURE_SLACK", server.url("/services/T0SCAN/B0HOOK/" + FIXTURE_WEBHOOK_TOKEN)
                .toString());
        variables.put("DAGCTL_CONN_FIXTURE_SYNTHETICS", "https://synthetics.example/?api_key=" + SYNTHETICS_KEY);
        // detect_data_drift tells this Slack about the drift it finds; it refuses, echoing the token.
        variables.put("DAGCTL_CONN_SLACK_DEFAULT", server.url("/services/T0SCAN/B0SLACK/" + SLACK_TOKEN).toString());
        return variables;
    }

    @Test
    void noSecretIsPrintedOrWrittenAnywhereInAnyEncoding() throws Exception {
        Map<String, String> env = connections();
        dagctl(env, 0, "trigger", "airbnb_user_bookings", "--run-id", "scan_airbnb");
        dagctl(env, 1, "trigger", "detect_data_drift", "--run-id", "scan_drift");
        String leak = dagctl(env, 1, "trigger", "badinput_secrets_leak", "--run-id", "scan_leak");
        dagctl(env, 2, "trigger", "detect_data_drift", "--run-id", "scan_url",
                "-p", "dataUrl=https://reader:" + URL_PASSWORD + "@data.example/day.csv");
        Map<String, String> withJdbcPassword = new HashMap<>(env);
        withJdbcPassword.put("DAGCTL_DB_URL", "jdbc:postgresql://meta:" + JDBC_PASSWORD + "@127.0.0.1:1/dagctl");
        dagctl(withJdbcPassword, 1, "runs");
        for (String run : List.of("scan_airbnb", "scan_drift", "scan_leak")) {
            dagctl(env, -1, "status", run);
            dagctl(env, -1, "status", run, "--json");
            dagctl(env, -1, "xcom", run);
        }
        for (String task : List.of("print", "fail", "smuggle", "fetch")) {
            dagctl(env, 0, "logs", "scan_leak", task);
        }
        dagctl(env, 0, "logs", "scan_drift", "notify_drift");
        dagctl(env, 0, "runs", "--json");

        // The task's own streams went to its log, masked, and not to the console.
        assertThat(leak).doesNotContain("stdout: ").doesNotContain("stderr: ");
        assertThat(Files.readString(home.resolve("logs/dag_id=badinput_secrets_leak/run_id=scan_leak/task_id=print"
                + "/attempt=1.log"))).contains("dagctl.task.stdout - stdout: ***\n")
                .contains("dagctl.task.stderr - stderr: ***\n");

        Map<String, List<String>> hits = new LinkedHashMap<>();
        for (Path output : BadInputCli.files(printed)) {
            scan("printed by " + commands.get(index(output)) + " (" + output.getFileName() + ")",
                    Files.readAllBytes(output), hits);
        }
        long scannedFiles = 0;
        try (Stream<Path> files = Files.walk(home, FileVisitOption.FOLLOW_LINKS)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                scan(home.relativize(file).toString(), Files.readAllBytes(file), hits);
                scannedFiles++;
            }
        }
        String database = metadataDatabaseText();
        scan("the metadata database's rows", database.getBytes(StandardCharsets.UTF_8), hits);

        assertThat(scannedFiles).as("files under the home").isGreaterThan(50);
        assertThat(home.resolve("s3/buckets/dagctl/scan_airbnb_booking_features_synthetic.csv")).isRegularFile();
        assertThat(database).contains("scan_airbnb").contains("scan_drift").contains("scan_leak");
        assertThat(hits).isEmpty();
    }

    /** Runs {@code dagctl args...} in its own JVM; its stdout and stderr are kept in {@code printed}. */
    private String dagctl(Map<String, String> env, int expectedExitCode, String... args)
            throws IOException, InterruptedException {
        int index = commands.size();
        commands.add("dagctl " + String.join(" ", args));
        Path out = printed.resolve(index + ".out");
        Path err = printed.resolve(index + ".err");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DAGCTL_"));
        builder.environment().putAll(env);
        builder.environment().put("DAGCTL_HOME", home.toString());
        builder.environment().put("DAGCTL_PARALLELISM", "2");
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(commands.get(index)).isTrue();
        String output = Files.readString(out) + Files.readString(err);
        if (expectedExitCode >= 0) {
            assertThat(process.exitValue()).as(commands.get(index) + " printed:\n" + output).isEqualTo(expectedExitCode);
        }
        return output;
    }

    private static int index(Path output) {
        String name = output.getFileName().toString();
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }

    /** Every value of every table, as text. */
    private String metadataDatabaseText() throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection connection = DriverManager.getConnection(StoreLocation.h2File(home.resolve("metadata"))
                .jdbcUrl(), "sa", "");
             Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            assertThat(tables).contains("dag_run", "task_instance");
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int c = 1; c <= columns; c++) {
                            text.append(rows.getString(c)).append('\t');
                        }
                        text.append('\n');
                    }
                }
            }
        }
        return text.toString();
    }

    private static void scan(String where, byte[] bytes, Map<String, List<String>> hits) {
        // Latin-1 maps each byte to one char, so a UTF-8 secret is found byte for byte.
        String content = new String(bytes, StandardCharsets.ISO_8859_1);
        for (String secret : SECRETS) {
            for (String form : encodings(secret)) {
                if (content.contains(new String(form.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
                    hits.computeIfAbsent(where, w -> new ArrayList<>()).add(form);
                }
            }
        }
    }

    /** As the secret is written in a URL, a JSON string and base64, found by each library's own encoder. */
    private static Set<String> encodings(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(encode(secret));
        forms.add(encode(secret).replace("+", "%20"));
        try {
            String json = new ObjectMapper().writeValueAsString(secret);
            forms.add(json.substring(1, json.length() - 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        forms.add(Base64.getEncoder().encodeToString(bytes));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        return forms;
    }

    private static String encode(String secret) {
        return URLEncoder.encode(secret, StandardCharsets.UTF_8);
    }
}
