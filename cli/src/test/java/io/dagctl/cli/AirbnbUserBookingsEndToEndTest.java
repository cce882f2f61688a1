package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled synthetics DAG through the embedded PostgreSQL, S3 and synthetic-data service, as a first user runs it. */
class AirbnbUserBookingsEndToEndTest {
    @TempDir
    Path home;

    @Test
    void triggerRunsTheDagOnEmbeddedServicesAndSaysWhereTheOutputsAre() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        StringWriter interleaved = new StringWriter();
        int exitCode = Dagctl.run(new CliEnvironment(Map.of("DAGCTL_HOME", home.toString(), "DAGCTL_PARALLELISM", "2"),
                home), new PrintWriter(new Tee(out, interleaved), true), new PrintWriter(new Tee(err, interleaved), true),
                "trigger", "airbnb_user_bookings", "--run-id", "first");
        CliRunner.Result trigger = new CliRunner.Result(exitCode, out.toString(), err.toString(), home.toString());

        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        assertThat(trigger.plainProgress()).startsWith("""
                created run first of DAG airbnb_user_bookings
                  extract_features                 success         try 1/3 in\s""")
                .contains("""
                          upload_synthetic_features        success         try 1/3 in N.Ns

                        run first of DAG airbnb_user_bookings: success
                          extract_features returned "s3://dagctl/first_booking_features.csv"
                          generate_synthetic_features returned {"modelId":""")
                .contains("\"report\":\"s3://dagctl/first_synthetic_quality_report.html\",\"qualityScore\":")
                .endsWith("""
                          upload_synthetic_features returned "s3://dagctl/first_booking_features_synthetic.csv"
                        task logs in <home>/logs/dag_id=airbnb_user_bookings/run_id=first
                        task states: dagctl status first, values: dagctl xcom first
                        """);
        assertThat(trigger.plainErr())
                .contains("dagctl: using the embedded PostgreSQL at 127.0.0.1:")
                .contains("dagctl: seeded the demo data: 5500 users, ")
                .contains(", objects of bucket dagctl in <home>/s3/buckets/dagctl for connections [s3_default] (set DAGCTL_CONN_<ID> to use your own)\n")
                .contains(", models in <home>/synthetics for connections [synthetics_default] ");

        // The services start before the first task, not inside its try.
        assertThat(interleaved.toString().indexOf("dagctl: using the embedded PostgreSQL"))
                .isPositive().isLessThan(interleaved.toString().indexOf("  extract_features "));

        Path bucket = home.resolve("s3/buckets/dagctl");
        assertThat(Files.readString(bucket.resolve("first_booking_features.csv")).lines().count()).isGreaterThan(1000);
        assertThat(Files.readString(bucket.resolve("first_booking_features_synthetic.csv")).lines().count())
                .isGreaterThan(100);
        assertThat(Files.readString(bucket.resolve("first_synthetic_quality_report.html"))).contains("<html");
    }

    /** Writes what it is given to two writers: one stream's own, and one shared by stdout and stderr. */
    private static final class Tee extends Writer {
        private final Writer own;
        private final Writer shared;

        Tee(Writer own, Writer shared) {
            this.own = own;
            this.shared = shared;
        }

        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            own.write(buffer, offset, length);
            shared.write(buffer, offset, length);
        }

        @Override
        public void flush() throws IOException {
            own.flush();
            shared.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** A root user's cluster lives under /var/tmp behind a link in the home: delete it with the home. */
    @AfterEach
    void deleteRelocatedPostgresCluster() throws IOException {
        Path link = home.resolve("postgres");
        if (Files.isSymbolicLink(link)) {
            Path cluster = link.toRealPath();
            try (Stream<Path> files = Files.walk(cluster)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
