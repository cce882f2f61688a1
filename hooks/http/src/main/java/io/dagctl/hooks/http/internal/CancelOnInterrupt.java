package io.dagctl.hooks.http.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;

/**
 * Cancels a call, its response body included, when the thread that made it is interrupted (a task's execution
 * timeout interrupts its thread): a blocked socket read ignores interrupts and would hold the try until a timeout of
 * its own.
 */
public final class CancelOnInterrupt extends EventListener {
    private static final long CHECK_EVERY_MILLIS = 100;
    private static final Map<Call, Thread> CALLERS = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "dagctl-http-interrupt-watch");
        thread.setDaemon(true);
        return thread;
    });

    static {
        WATCH.scheduleWithFixedDelay(() -> CALLERS.forEach((call, thread) -> {
            if (thread.isInterrupted()) {
                call.cancel();
            }
        }), CHECK_EVERY_MILLIS, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private CancelOnInterrupt() {
    }

    /** {@code client} with its calls watched. */
    public static OkHttpClient watching(OkHttpClient client) {
        return client.newBuilder().eventListener(new CancelOnInterrupt()).build();
    }

    @Override
    public void callStart(Call call) {
        // A synchronous call starts on the thread that made it.
        CALLERS.put(call, Thread.currentThread());
    }

    /** After the response body was read or closed. */
    @Override
    public void callEnd(Call call) {
        CALLERS.remove(call);
    }

    @Override
    public void callFailed(Call call, IOException ioe) {
        CALLERS.remove(call);
    }

    @Override
    public void canceled(Call call) {
        CALLERS.remove(call);
    }
}
