package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.internal.discovery.DagDiscovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DAG whose trigger the launcher records for the class-data archive, as the launcher runs it. */
class ClassDataRecordingDagTest {
    @TempDir
    Path temp;

    @Test
    void runsFromABundleThatOnlyNamesItAndStartsNoService() throws IOException {
        Path bundle = bundleNamingIt(temp.resolve("recording-dags"));
        CliRunner dagctl = new CliRunner(temp.resolve("home")).with("DAGCTL_DAGS_PATH", bundle.toString());

        CliRunner.Result trigger = dagctl.run("trigger", "dagctl_class_data_recording");

        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        assertThat(trigger.out()).contains("of DAG dagctl_class_data_recording: success", "nothing returned 0");
        assertThat(trigger.err()).doesNotContain("embedded");
    }

    @Test
    void isNotAmongTheDagsDagctlLists() {
        CliRunner.Result list = new CliRunner(temp.resolve("home")).run("list");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("airbnb_user_bookings").doesNotContain("dagctl_class_data_recording");
    }

    /** A bundle of DAGs whose index names only the recording DAG, as the launcher writes it. */
    static Path bundleNamingIt(Path bundle) throws IOException {
        Files.createDirectories(bundle.resolve(DagDiscovery.INDEX).getParent());
        Files.writeString(bundle.resolve(DagDiscovery.INDEX), ClassDataRecordingDag.class.getName() + "\n");
        return bundle;
    }
}
