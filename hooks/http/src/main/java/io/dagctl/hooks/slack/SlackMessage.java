package io.dagctl.hooks.slack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Slack message: the text shown in notifications, and an optional Block Kit summary built from a header,
 * markdown sections, label/value fields and a context line. Values, not builders: each {@code with...} returns a
 * new message.
 */
public record SlackMessage(
        String text, Optional<String> header, List<String> sections, Map<String, String> fields, Optional<String> context) {

    /** Slack's limits: header text 150 characters, section text 3000, ten fields per section. */
    private static final int HEADER_LIMIT = 150;
    private static final int TEXT_LIMIT = 3000;
    private static final int FIELDS_PER_SECTION = 10;

    public SlackMessage {
        sections = List.copyOf(sections);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static SlackMessage of(String text) {
        return new SlackMessage(text, Optional.empty(), List.of(), Map.of(), Optional.empty());
    }

    public SlackMessage withHeader(String plainText) {
        return new SlackMessage(text, Optional.of(plainText), sections, fields, context);
    }

    public SlackMessage withSection(String markdown) {
        List<String> more = new ArrayList<>(sections);
        more.add(markdown);
        return new SlackMessage(text, header, more, fields, context);
    }

    /** Adds label/value pairs, shown two per row, in the map's order. */
    public SlackMessage withFields(Map<String, String> labelled) {
        Map<String, String> more = new LinkedHashMap<>(fields);
        more.putAll(labelled);
        return new SlackMessage(text, header, sections, more, context);
    }

    public SlackMessage withContext(String markdown) {
        return new SlackMessage(text, header, sections, fields, Optional.of(markdown));
    }

    /** The incoming-webhook payload: {@code {"text": ..., "blocks": [...]}}, blocks only when there are any. */
    public Map<String, Object> payload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("text", text);
        List<Object> blocks = new ArrayList<>();
        header.ifPresent(h -> blocks.add(Map.of("type", "header",
                "text", Map.of("type", "plain_text", "text", truncate(h, HEADER_LIMIT), "emoji", true))));
        for (String section : sections) {
            blocks.add(Map.of("type", "section", "text", markdown(section)));
        }
        List<Object> row = new ArrayList<>();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            row.add(markdown("*" + field.getKey() + "*\n" + field.getValue()));
            if (row.size() == FIELDS_PER_SECTION) {
                blocks.add(Map.of("type", "section", "fields", List.copyOf(row)));
                row.clear();
            }
        }
        if (!row.isEmpty()) {
            blocks.add(Map.of("type", "section", "fields", List.copyOf(row)));
        }
        context.ifPresent(c -> blocks.add(Map.of("type", "context", "elements", List.of(markdown(c)))));
        if (!blocks.isEmpty()) {
            payload.put("blocks", blocks);
        }
        return payload;
    }

    private static Map<String, Object> markdown(String text) {
        return Map.of("type", "mrkdwn", "text", truncate(text, TEXT_LIMIT));
    }

    private static String truncate(String s, int limit) {
        return s.length() <= limit ? s : s.substring(0, limit - 1) + "…";
    }
}
