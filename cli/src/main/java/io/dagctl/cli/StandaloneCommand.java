package io.dagctl.cli;

import io.dagctl.web.WebServer;
import io.dagctl.web.WebSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "standalone", description = {
        "Runs the scheduler and the webserver in one process on the embedded defaults (Airflow's airflow standalone):"
                + " open the URL it prints, pick a DAG and trigger it.",
        "Stop it with SIGTERM or Ctrl-C."})
final class StandaloneCommand implements Callable<Integer> {
    @ParentCommand
    private Dagctl dagctl;

    @Option(names = "--host", defaultValue = WebSettings.DEFAULT_HOST, description = "The address to listen on"
            + " (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "The port (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        // The store is migrated before the webserver listens: its requests then find the schema complete, and a stop
        // sent once it listens cannot cut the migration short (the JVM's own shutdown would close H2 under it).
        dagctl.runtime();
        WebServer web = WebserverCommand.start(dagctl, host, port);
        // On a stop the webserver takes no new request and lets open ones finish, while running tries end.
        Thread webStop = new Thread(() -> WebserverCommand.stop(dagctl, web), "dagctl-webserver-stop");
        int exitCode;
        try {
            exitCode = new SchedulerCommand(dagctl, Duration.ofSeconds(5), Duration.ofSeconds(30)).call(webStop::start);
        } catch (RuntimeException e) {
            // A scheduler that fails once a stop began still lets the webserver's open requests finish.
            if (webStop.getState() == Thread.State.NEW) {
                web.close();
            } else {
                webStop.join();
            }
            throw e;
        }
        webStop.join();
        return exitCode;
    }
}
