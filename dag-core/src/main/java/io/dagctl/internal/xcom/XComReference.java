package io.dagctl.internal.xcom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * What a task instance's row holds in place of a return value kept in an object store:
 * {@code {"dagctl_xcom_ref":"s3://..."}}.
 * It stays valid JSON, so that tools reading the column as JSON keep working, and it is told apart from a task's own
 * value by its single field.
 */
public record XComReference(String uri) {
    public static final String FIELD = "dagctl_xcom_ref";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String OPENING = "{\"" + FIELD + "\":";

    /** The row text for this reference. */
    public String stored() {
        return MAPPER.createObjectNode().put(FIELD, uri).toString();
    }

    /** The reference {@code stored} is, if it is one. */
    public static Optional<XComReference> parse(String stored) {
        // Checked first so that ordinary values, almost all of them, are never parsed here.
        if (!stored.startsWith(OPENING) || !stored.endsWith("}")) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(stored);
            JsonNode uri = node.get(FIELD);
            return node.size() == 1 && uri.isTextual() ? Optional.of(new XComReference(uri.textValue()))
                    : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
