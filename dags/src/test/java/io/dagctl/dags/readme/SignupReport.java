package io.dagctl.dags.readme;

import io.dagctl.Connection;
import io.dagctl.Dag;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3Key;
import jakarta.inject.Inject;
import java.io.IOException;

/** The DAG of the README's "Writing a DAG", as written there, so that the README's tests of it are run. */
@Dag(id = "signup_report", schedule = "@daily", params = SignupReport.Window.class,
        retries = 2, retryDelay = "PT30S", description = "Signups per day, as CSV in S3")
public final class SignupReport {
    /** Run parameters: typed, with defaults, validated before a run is created. */
    public record Window(@Param(defaultValue = "7", description = "Days to report") int days) {
        public Window {
            if (days < 1) throw new IllegalArgumentException("days must be at least 1, not " + days);
        }
    }

    private final PostgresHook db;
    private final S3Hook s3;

    @Inject
    public SignupReport(@Connection("booking_db") PostgresHook db, S3Hook s3) {
        this.db = db;
        this.s3 = s3;
    }

    @Task                                                   // task id: export_signups
    public S3Key exportSignups(TaskContext context, Window window) {
        S3Key key = s3.key(context.runId() + "/signups.csv");
        s3.upload(key, out -> db.copyOut("SELECT date_account_created, count(*) FROM users WHERE date_account_created"
                + " > current_date - " + window.days() + " GROUP BY 1 ORDER BY 1", out));   // streams, nothing buffered
        return key;                                         // goes to XCom
    }

    @Task(executionTimeout = "PT5M")
    public long countRows(S3Key export) throws IOException {   // runs after export_signups, receives its key
        try (var in = s3.open(export)) {
            return new String(in.readAllBytes()).lines().count() - 1;
        }
    }
}
