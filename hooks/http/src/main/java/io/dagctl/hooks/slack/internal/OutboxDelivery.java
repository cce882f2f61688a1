package io.dagctl.hooks.slack.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each payload as one line to a JSON Lines file, for when no webhook is configured. The file is locked
 * while a line is appended, so that concurrent task processes never interleave lines.
 */
public final class OutboxDelivery implements Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDelivery.class);

    private final Path outbox;
    private final String connectionId;

    public OutboxDelivery(Path outbox, String connectionId) {
        this.outbox = outbox;
        this.connectionId = connectionId;
    }

    @Override
    public void deliver(String json) throws IOException {
        Path parent = outbox.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ByteBuffer line = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(outbox, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
             FileLock lock = channel.lock()) {
            while (line.hasRemaining()) {
                channel.write(line);
            }
        }
        LOG.info("Slack message for connection {} appended to the outbox {}", connectionId, outbox);
    }
}
