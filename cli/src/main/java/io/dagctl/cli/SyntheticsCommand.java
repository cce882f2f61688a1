package io.dagctl.cli;

import io.dagctl.synthetics.service.LocalSyntheticsService;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "synthetics", description = "The local synthetic-data service.", subcommands = SyntheticsCommand.Serve.class)
final class SyntheticsCommand {
    @ParentCommand
    private Dagctl dagctl;

    @Command(name = "serve", description = "Serves the synthetic-data API until stopped. Clients need the API key "
            + "in " + LocalSyntheticsService.API_KEY_VARIABLE + " when it is set.")
    static final class Serve implements Callable<Integer> {
        @ParentCommand
        private SyntheticsCommand synthetics;

        @Option(names = "--port", defaultValue = "8765", description = "The port (default ${DEFAULT-VALUE}).")
        private int port;

        @Option(names = "--work-dir", description = "Where models and artifacts are kept (default: <home>/synthetics).")
        private Optional<Path> workDir;

        @Override
        public Integer call() throws InterruptedException {
            Dagctl dagctl = synthetics.dagctl;
            Path directory = workDir.orElse(dagctl.environment().home().resolve("synthetics"));
            Optional<String> apiKey = dagctl.environment().variable(LocalSyntheticsService.API_KEY_VARIABLE);
            apiKey.ifPresent(io.dagctl.Secrets::register);
            dagctl.out().println("serving the synthetic-data API on http://127.0.0.1:" + port + " (models in "
                    + directory + ")" + (apiKey.isPresent() ? ", API key required" : ", no API key required"));
            LocalSyntheticsService.serve(port, directory, apiKey);
            return ExitCodes.OK;
        }
    }
}
