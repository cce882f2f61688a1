package io.dagctl.cli;

/** The {@code dagctl} entry point. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Dagctl.runWithSystemStreams(args));
    }
}
