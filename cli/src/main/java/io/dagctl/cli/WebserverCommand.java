package io.dagctl.cli;

import io.dagctl.internal.runtime.StopSignals;
import io.dagctl.web.WebServer;
import io.dagctl.web.WebSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "webserver", description = {
        "Serves the web UI and the REST API (/api/v1) until stopped; SIGTERM or Ctrl-C lets open requests finish.",
        "Listens on 127.0.0.1 unless --host says otherwise, which needs users (DAGCTL_WEBSERVER_USERS) or API tokens"
                + " (DAGCTL_WEBSERVER_API_TOKENS). Runs triggered or cleared from it are executed in this process."})
final class WebserverCommand implements Callable<Integer> {
    /** How long a stop waits for open requests. */
    static final Duration GRACE = Duration.ofSeconds(10);

    @ParentCommand
    private Dagctl dagctl;

    @Option(names = "--host", defaultValue = WebSettings.DEFAULT_HOST, description = "The address to listen on"
            + " (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "The port (default: ${DEFAULT-VALUE}; 0: any"
            + " free port).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        WebServer web = start(dagctl, host, port);
        CountDownLatch stopAsked = new CountDownLatch(1);
        // The signal is taken from the JVM, so that the stop is a success (exit 0, not 143) and open requests end
        // before the database closes.
        try (StopSignals signals = StopSignals.on(signal -> stopAsked.countDown())) {
            stopAsked.await();
        }
        stop(dagctl, web);
        return ExitCodes.OK;
    }

    /** Lets the webserver's open requests finish, then closes it, saying so. */
    static void stop(Dagctl dagctl, WebServer web) {
        dagctl.out().println("webserver stopping: " + web.openRequests() + " open request(s) may finish for up to "
                + GRACE.toSeconds() + " s");
        dagctl.out().flush();
        web.stop(GRACE);
        dagctl.out().println("webserver stopped");
        dagctl.out().flush();
    }

    /** Starts the webserver over this dagctl's operations and says where it listens. */
    static WebServer start(Dagctl dagctl, String host, int port) {
        WebSettings settings = WebSettings.fromEnvironment(dagctl.environment().variables(), host, port);
        WebServer web = WebServer.start(dagctl.operations(), settings);
        PrintWriter out = dagctl.out();
        out.println("webserver listening at " + web.url() + (settings.authenticates() ? " (log in as a configured user)"
                : " (no authentication: only this machine can connect)") + "; stop with SIGTERM or Ctrl-C");
        out.flush();
        return web;
    }
}
