package io.dagctl;

import java.util.Optional;

/**
 * What a {@link Notifier} is told. {@code taskId} is empty for a whole run; {@code error} is the failure's
 * message (already masked) when there is one.
 */
public record Notification(
        String dagId, String runId, Optional<String> taskId, String state, int tryNumber, Optional<String> error) {
}
