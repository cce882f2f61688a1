package io.dagctl.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A value inside what a task returned: the task id, then field names ({@code detect_drift.datasetDrift}). No
 * indexes, no wildcards: a path names one value or none.
 */
public record XComPath(String taskId, List<String> fields) {
    private static final Pattern TASK_ID = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    public XComPath {
        fields = List.copyOf(fields);
    }

    /**
     * @throws IllegalArgumentException saying what part of the text is wrong
     */
    public static XComPath parse(String text) {
        String[] parts = text.strip().split("\\.", -1);
        if (!TASK_ID.matcher(parts[0]).matches()) {
            throw new IllegalArgumentException("path '" + text.strip() + "' does not start with a task id; write "
                    + "task_id.field, e.g. detect_drift.datasetDrift");
        }
        for (int i = 1; i < parts.length; i++) {
            if (!FIELD.matcher(parts[i]).matches()) {
                throw new IllegalArgumentException("path '" + text.strip() + "' has '" + parts[i]
                        + "' where a field name belongs; write task_id.field.field");
            }
        }
        return new XComPath(parts[0], List.of(parts).subList(1, parts.length));
    }

    /** The value at the fields of {@code returned}, the task's value as JSON; empty where a field is missing. */
    public Optional<JsonNode> select(JsonNode returned) {
        JsonNode node = returned;
        for (String field : fields) {
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            node = node.get(field);
        }
        return Optional.ofNullable(node);
    }

    @Override
    public String toString() {
        return fields.isEmpty() ? taskId : taskId + "." + String.join(".", fields);
    }
}
