package io.dagctl.hooks.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagctl.Notification;
import io.dagctl.Notifier;
import io.dagctl.Secrets;
import io.dagctl.hooks.slack.internal.Delivery;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Posts messages to a Slack incoming webhook, or to the local outbox when the connection is a {@code file:} URI.
 * As a {@link Notifier} it reports a task or run that failed (or succeeded) with a short Block Kit summary. Every
 * text is masked with {@link Secrets} before it leaves the process.
 */
public final class SlackHook implements Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_LIMIT = 2800;

    private final Delivery delivery;
    private final String connectionId;

    SlackHook(Delivery delivery, String connectionId) {
        this.delivery = delivery;
        this.connectionId = connectionId;
    }

    public void send(String text) {
        send(SlackMessage.of(text));
    }

    /** @throws SlackException when Slack rejects the message or cannot be reached after retries */
    public void send(SlackMessage message) {
        String json;
        try {
            json = Secrets.mask(JSON.writeValueAsString(message.payload()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Slack message cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        try {
            delivery.deliver(json);
        } catch (IOException e) {
            throw new SlackException(Secrets.mask(e.getMessage()), e);
        }
    }

    @Override
    public void notify(Notification notification) {
        send(format(notification));
    }

    /** The message a notification becomes: a header, the facts as fields, and the error when there is one. */
    public static SlackMessage format(Notification n) {
        String state = n.state().toLowerCase(Locale.ROOT);
        String subject = n.taskId().map(task -> "Task " + n.dagId() + "." + task).orElse("Run of " + n.dagId());
        String icon = switch (state) {
            case "failed", "upstream_failed" -> ":red_circle:";
            case "success" -> ":large_green_circle:";
            default -> ":large_blue_circle:";
        };
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("DAG", n.dagId());
        n.taskId().ifPresent(task -> fields.put("Task", task));
        fields.put("Run", n.runId());
        fields.put("State", state);
        if (n.taskId().isPresent()) {
            fields.put("Try", Integer.toString(n.tryNumber()));
        }
        String text = subject + " " + state + " (run " + n.runId() + ")"
                + n.error().map(e -> ": " + firstLine(e)).orElse("");
        SlackMessage message = SlackMessage.of(text).withHeader(icon + " " + subject + " " + state).withFields(fields);
        if (n.error().isPresent()) {
            String error = n.error().get();
            message = message.withSection("```" + (error.length() > ERROR_LIMIT
                    ? error.substring(0, ERROR_LIMIT) + "\n…" : error) + "```");
        }
        return message.withContext("dagctl");
    }

    private static String firstLine(String s) {
        int newline = s.indexOf('\n');
        return newline < 0 ? s : s.substring(0, newline);
    }

    @Override
    public String toString() {
        return "SlackHook(connection " + connectionId + ")";
    }
}
