package io.dagctl.internal.runtime;

import com.google.inject.Module;
import io.dagctl.Connections;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A runtime on a private in-memory store, and a record of which task bodies ran. */
abstract class RuntimeFixture {
    static final Queue<String> CALLS = new ConcurrentLinkedQueue<>();

    @TempDir
    Path home;
    MetadataStore store;
    DagRuntime runtime;

    @BeforeEach
    void openRuntime() {
        CALLS.clear();
        store = MetadataStore.open(StoreLocation.h2InMemory("runtime-" + UUID.randomUUID()));
        runtime = runtime(List.of());
    }

    DagRuntime runtime(List<Module> modules) {
        return DagRuntime.builder()
                .environment(Map.of())
                .home(home)
                .store(store)
                .parallelism(4)
                .modules(modules)
                .connections(Connections.of(Map.of()))
                .build();
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
        store.close();
    }

    static void called(String taskId) {
        CALLS.add(taskId);
    }
}
