package io.dagctl.internal.xcom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dagctl.Secrets;
import java.lang.reflect.Type;

/**
 * Task return values as JSON: records, java.time (ISO-8601 text), Optional, collections. A value is read back as
 * the declared type of the parameter that receives it, generics included.
 */
public final class XComCodec {
    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    /**
     * The value as JSON, refused when it holds a registered secret: XCom rows are printed by the CLI and read by
     * anyone with access to the metadata database.
     */
    public String toJson(String taskId, Object value) {
        String json;
        try {
            json = mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new XComException("task '" + taskId + "' returned a " + value.getClass().getName()
                    + " that cannot be written as JSON: " + Secrets.mask(e.getOriginalMessage()));
        }
        if (!Secrets.mask(json).equals(json)) {
            throw new XComException("task '" + taskId + "' returned a value that contains a secret"
                    + " (a connection password or token); it is not stored in XCom");
        }
        return json;
    }

    /** The JSON read as {@code type}, for the task named in errors. */
    public Object fromJson(String json, Type type, String fromTaskId) {
        try {
            return mapper.readValue(json, mapper.getTypeFactory().constructType(type));
        } catch (JsonProcessingException e) {
            throw new XComException("the value of task '" + fromTaskId + "' cannot be read as "
                    + type.getTypeName() + ": " + Secrets.mask(e.getOriginalMessage()));
        }
    }
}
