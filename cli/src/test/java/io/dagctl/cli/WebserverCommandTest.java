package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebserverCommandTest {
    @TempDir
    Path home;

    @Test
    void refusesToServeAnotherAddressWithoutAuthenticationAndSaysHowToConfigureIt() {
        CliRunner.Result result = new CliRunner(home).run("webserver", "--host", "0.0.0.0", "--port", "0");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).isEqualTo("dagctl: refusing to serve 0.0.0.0 without authentication: anyone who"
                + " reaches it could trigger and clear runs. Set DAGCTL_WEBSERVER_USERS=name:bcrypt-hash (from"
                + " htpasswd -nbB name PASSWORD) and DAGCTL_WEBSERVER_SECRET_KEY, or keep --host 127.0.0.1"
                + System.lineSeparator());
    }

    @Test
    void refusesAPortOutsideItsRange() {
        CliRunner.Result result = new CliRunner(home).run("standalone", "--port", "70000");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).isEqualTo("dagctl: port 70000 is not between 0 and 65535" + System.lineSeparator());
    }
}
