package io.dagctl.internal.runtime;

import io.dagctl.internal.logging.TaskLogs.TryLog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The log file of a claimed try, opened by whichever thread comes first: the runtime's log thread, to which the turn
 * that claims the try hands it so that the file system's work overlaps the claim's commit, or the try's own thread
 * as it starts, which otherwise waits for the open under way. A try of a chain thus finds its file made.
 */
final class TryLogOpening {
    private final Supplier<TryLog> open;
    private final AtomicBoolean begun = new AtomicBoolean();
    private final CompletableFuture<TryLog> opened = new CompletableFuture<>();

    TryLogOpening(Supplier<TryLog> open) {
        this.open = open;
    }

    /** Opens the file on this thread, unless another thread began to. */
    void openIfFirst() {
        if (begun.compareAndSet(false, true)) {
            try {
                opened.complete(open.get());
            } catch (Throwable e) {
                opened.completeExceptionally(e);
            }
        }
    }

    /**
     * The open file, for the try to start with.
     *
     * @throws RuntimeException what kept the file from opening, naming its path
     */
    TryLog take() {
        openIfFirst();
        try {
            return opened.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failed) {
                throw failed;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** For a try that will not start: removes the file if it was made for it (see {@link TryLog#discard()}). */
    void discard() {
        if (begun.compareAndSet(false, true)) {
            return;
        }
        TryLog log;
        try {
            log = opened.join();
        } catch (CompletionException notOpened) {
            return;
        }
        log.discard();
    }
}
