package io.dagctl.dags.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.RunState;
import io.dagctl.embedded.testing.SharedLocalS3;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3HookFactory;
import io.dagctl.hooks.s3.S3Key;
import io.dagctl.testkit.DagRunResult;
import io.dagctl.testkit.DagTestKit;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's "Testing it", its two tests copied as they are written there. */
class SignupReportTest {
    private final String s3Uri = SharedLocalS3.connectionUri("test");
    private final String postgresUri = SharedPostgres.freshDatabase("signups");

    @BeforeEach
    void putTheExportTheStubNames() {
        S3Hook s3 = new S3HookFactory().create(ConnectionUri.parse("s3_default", s3Uri));
        s3.upload(new S3Key("test", "signups.csv"),
                out -> out.write("day,count\n2024-01-01,3\n2024-01-02,5\n".getBytes()));
    }

    @Test
    void countsTheRowsOfTheExport() throws IOException {
        S3Hook s3 = new S3HookFactory().create(ConnectionUri.parse("s3_default", SharedLocalS3.connectionUri("test")));
        S3Key export = s3.key("signups.csv");
        s3.upload(export, out -> out.write("day,count\n2024-01-01,3\n2024-01-02,5\n".getBytes()));

        assertThat(new SignupReport(null, s3).countRows(export)).isEqualTo(2);
    }

    @Test
    void runsTheWholeDagWithTheExportStubbed() {
        DagRunResult result = DagTestKit.forDag(SignupReport.class)
                .connections(Connections.of(Map.of("s3_default", ConnectionUri.parse("s3_default", s3Uri),
                        "booking_db", ConnectionUri.parse("booking_db", postgresUri))))
                .param("days", "3")
                .stub("export_signups", new S3Key("test", "signups.csv"))
                .run();

        assertThat(result.runState()).isEqualTo(RunState.SUCCESS);
        assertThat(result.xcom("count_rows", Long.class)).isEqualTo(2L);
    }
}
