package io.dagctl.internal.runtime;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM handled by a command instead of ending the JVM: shutdown hooks would run while tries
 * still end, and H2 closes its database in its own hook, so a stop is done by the command itself, which then closes
 * everything and exits with its own exit code. The JVM's own handlers are back once closed.
 */
public final class StopSignals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] NAMES = {"INT", "TERM"};

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private StopSignals(Consumer<String> onStop) {
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            previous.put(signal, Signal.handle(signal, received -> onStop.accept(received.getName())));
        }
    }

    /** Runs {@code onStop} with the signal's name, on a signal thread, for each Ctrl-C or SIGTERM until closed. */
    public static StopSignals on(Consumer<String> onStop) {
        return new StopSignals(onStop);
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }

    /**
     * How a worker process stops, as Celery's warm shutdown: the first SIGTERM (or Ctrl-C) drains the worker, which
     * claims nothing new and exits once the ends of its running tries are recorded; a second signal, or the grace
     * period ending, fails the tries still running as interrupted, so that other workers retry them at once.
     */
    public static void drainOn(Worker worker, Optional<Duration> grace) {
        AtomicInteger received = new AtomicInteger();
        on(signal -> {
            if (received.incrementAndGet() > 1) {
                LOG.warn("Worker {}: SIG{} again, interrupting the tries still running", worker.id(), signal);
                worker.interruptRunning();
                return;
            }
            LOG.warn("Worker {}: SIG{}, claiming no new tries and letting the running ones end{}; send it again to"
                    + " interrupt them", worker.id(), signal,
                    grace.map(g -> " for up to " + g.toSeconds() + " s").orElse(""));
            worker.drain();
            grace.ifPresent(period -> {
                Thread timer = new Thread(() -> {
                    try {
                        if (!worker.awaitStopped(period)) {
                            LOG.warn("Worker {}: the grace period of {} s ended, interrupting the tries still running",
                                    worker.id(), period.toSeconds());
                            worker.interruptRunning();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "dagctl-worker-grace");
                timer.setDaemon(true);
                timer.start();
            });
        });
    }
}
