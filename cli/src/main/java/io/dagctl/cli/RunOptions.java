package io.dagctl.cli;

import picocli.CommandLine.Option;

/** How a command that executes a run behaves: wait for it (the default), or only record the request. */
final class RunOptions {
    @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Execute the run in this process and show its progress until it ends (default); "
                    + "--no-wait only records it, for `dagctl resume`.")
    boolean wait;
}
