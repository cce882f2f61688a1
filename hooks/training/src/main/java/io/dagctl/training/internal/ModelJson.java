package io.dagctl.training.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dagctl.training.RidgeModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** The JSON form of {@link RidgeModel}: camelCase fields, ISO dates and instants. */
public final class ModelJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            // a model missing a number must not load with 0 in its place
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ModelJson() {
    }

    public static RidgeModel read(InputStream json, String source) {
        try {
            return MAPPER.readValue(json, RidgeModel.class);
        } catch (ValueInstantiationException e) {
            // the record's own validation message already names RidgeModel and the problem
            String problem = e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage();
            throw new IllegalArgumentException(problem + " (in " + source + ")", e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("RidgeModel: invalid JSON in " + source + ": " + e.getOriginalMessage()
                    + " at line " + lineOf(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("RidgeModel: cannot read " + source, e);
        }
    }

    public static void write(RidgeModel model, OutputStream json) {
        try {
            MAPPER.writeValue(json, model);
        } catch (IOException e) {
            throw new UncheckedIOException("RidgeModel: cannot write JSON", e);
        }
    }

    public static String toString(RidgeModel model) {
        try {
            return MAPPER.writeValueAsString(model);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("RidgeModel: cannot write JSON", e);
        }
    }

    private static String lineOf(JsonProcessingException e) {
        return e.getLocation() == null ? "?" : String.valueOf(e.getLocation().getLineNr());
    }
}
