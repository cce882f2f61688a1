package io.dagctl.cli;

import io.dagctl.hooks.s3.S3Key;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.dagctl.Connections;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3HookFactory;
import io.dagctl.internal.schedule.ObjectSource;
import io.dagctl.spec.Triggers.NewObjectsTrigger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Lists watched prefixes through the S3 hook, one hook per connection, kept open while the scheduler runs. */
final class S3ObjectSource implements ObjectSource, AutoCloseable {
    private final Connections connections;
    private final S3HookFactory factory = new S3HookFactory();
    private final Map<String, S3Hook> hooks = new ConcurrentHashMap<>();

    S3ObjectSource(Connections connections) {
        this.connections = connections;
    }

    @Override
    public List<StoredObject> list(NewObjectsTrigger trigger) {
        String connectionId = trigger.connectionId().orElse(factory.defaultConnectionId());
        S3Hook hook = hooks.computeIfAbsent(connectionId, id -> factory.create(connections.get(id)));
        return hook.listObjects(trigger.bucket(), trigger.prefix()).stream()
                .map(object -> new StoredObject(object.key().key(), object.eTag()))
                .toList();
    }

    /** Copies one object, through the default S3 connection, to {@code out}. */
    static void copy(Connections connections, String bucket, String key, OutputStream out) throws IOException {
        S3HookFactory factory = new S3HookFactory();
        try (S3Hook hook = factory.create(connections.get(factory.defaultConnectionId()));
             InputStream in = hook.open(new S3Key(bucket, key))) {
            in.transferTo(out);
        }
    }

    @Override
    public void close() {
        hooks.values().forEach(S3Hook::close);
    }
}
