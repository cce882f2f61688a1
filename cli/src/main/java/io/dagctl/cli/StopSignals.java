package io.dagctl.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM handled by a command instead of ending the JVM: shutdown hooks would run while tries
 * still end, and H2 closes its database in its own hook, so a stop is done by the command itself, which then closes
 * everything and exits. The JVM's own handlers are back once closed.
 */
final class StopSignals implements AutoCloseable {
    private static final String[] NAMES = {"INT", "TERM"};

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private StopSignals(Runnable onStop) {
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            previous.put(signal, Signal.handle(signal, received -> onStop.run()));
        }
    }

    /** Runs {@code onStop}, on a signal thread, for each Ctrl-C or SIGTERM until closed. */
    static StopSignals on(Runnable onStop) {
        return new StopSignals(onStop);
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
