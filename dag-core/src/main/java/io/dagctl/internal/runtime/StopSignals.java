package io.dagctl.internal.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * How a worker process stops, as Celery's warm shutdown: the first SIGTERM (or Ctrl-C) drains the worker, which
 * claims nothing new and exits once the ends of its running tries are recorded; a second signal, or the grace period
 * ending, fails the tries still running as interrupted, so that other workers retry them at once. The signals are
 * handled rather than left to shutdown hooks, so that the process exits with the worker's own exit code.
 */
public final class StopSignals {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    public static void drainOn(Worker worker, Optional<Duration> grace) {
        AtomicInteger received = new AtomicInteger();
        SignalHandler handler = signal -> {
            if (received.incrementAndGet() > 1) {
                LOG.warn("Worker {}: SIG{} again, interrupting the tries still running", worker.id(), signal.getName());
                worker.interruptRunning();
                return;
            }
            LOG.warn("Worker {}: SIG{}, claiming no new tries and letting the running ones end{}; send it again to"
                    + " interrupt them", worker.id(), signal.getName(),
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
        };
        Signal.handle(new Signal("TERM"), handler);
        Signal.handle(new Signal("INT"), handler);
    }
}
