package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulingCommandsTest {
    @TempDir
    Path home;

    @Test
    void nextPrintsTheComingMondaysOfDetectDataDriftWithTheirIntervals() {
        CliRunner.Result next = new CliRunner(home).run("next", "detect_data_drift", "-n", "3");
        assertThat(next.exitCode()).as(next.err()).isZero();
        String[] lines = next.out().split("\n");
        assertThat(lines[0]).isEqualTo("DAG detect_data_drift: schedule \"0 11 * * MON\" in UTC");
        assertThat(lines[1]).matches("LOGICAL DATE +DATA INTERVAL +RUNS AT");
        assertThat(lines).hasSize(5);
        for (int i = 2; i < 5; i++) {
            assertThat(lines[i]).matches("\\d{4}-\\d\\d-\\d\\d 11:00 \\+00:00 +\\d{4}-\\d\\d-\\d\\d 11:00 \\+00:00 to "
                    + "\\d{4}-\\d\\d-\\d\\d 11:00 \\+00:00 +\\d{4}-\\d\\d-\\d\\d 11:00 \\+00:00");
        }
    }

    @Test
    void pauseAndUnpauseShowInNext() {
        CliRunner cli = new CliRunner(home);
        assertThat(cli.run("pause", "detect_data_drift").out()).isEqualTo("DAG detect_data_drift is paused\n");
        assertThat(cli.run("next", "detect_data_drift", "-n", "1").out())
                .startsWith("DAG detect_data_drift: schedule \"0 11 * * MON\" in UTC (paused)\n");
        assertThat(cli.run("unpause", "detect_data_drift").out()).isEqualTo("DAG detect_data_drift is unpaused\n");
        assertThat(cli.run("next", "detect_data_drift", "-n", "1").out()).doesNotContain("(paused)");
    }

    @Test
    void aBackfillDryRunListsTheIntervalsAndCreatesNothing() {
        CliRunner cli = new CliRunner(home);
        CliRunner.Result dryRun = cli.run("backfill", "detect_data_drift", "--from", "2011-03-01", "--to",
                "2011-03-20", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).isEqualTo("""
                LOGICAL DATE             RUN                                  ACTION
                2011-03-07 11:00 +00:00  backfill__2011-03-07T11:00:00+00:00  create
                2011-03-14 11:00 +00:00  backfill__2011-03-14T11:00:00+00:00  create
                dry run: nothing was created
                """);
        assertThat(cli.runsJson()).isEqualTo("[ ]");
    }

    @Test
    void unknownDagsAndBadReprocessValuesAreUsageErrors() {
        CliRunner cli = new CliRunner(home);
        CliRunner.Result unknown = cli.run("pause", "no_such_dag");
        assertThat(unknown.exitCode()).isEqualTo(2);
        CliRunner.Result reprocess = cli.run("backfill", "detect_data_drift", "--from", "2011-03-01", "--to",
                "2011-03-20", "--reprocess", "all");
        assertThat(reprocess.exitCode()).isEqualTo(2);
        assertThat(reprocess.err()).isEqualTo("dagctl: --reprocess is 'all'; use none, failed or completed\n");
        CliRunner.Result manual = cli.run("next", "airbnb_user_bookings");
        assertThat(manual.out()).isEqualTo("DAG airbnb_user_bookings has no time schedule; it runs when triggered\n");
    }
}
