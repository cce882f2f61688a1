package io.dagctl.spec;

import java.util.List;
import java.util.Map;

/**
 * The run parameters a DAG declares: its params record and each component. {@link #bind} turns the text a user
 * gives ({@code -p startDate=2011-03-01}) into the validated record, before any run is created.
 */
public record ParamsSpec(Class<? extends Record> type, List<ParamSpec> params) {

    public ParamsSpec {
        params = List.copyOf(params);
    }

    /** One component: its name, type, default (in text form) and description. */
    public record ParamSpec(String name, Class<?> type, java.util.Optional<String> defaultValue, String description) {
    }

    /**
     * The params record for these values (defaults filled in), or an {@link IllegalArgumentException} naming the
     * parameter and the problem: unknown name (with the closest match), missing required value, a value that does
     * not parse as the type, or the record's own validation.
     */
    public Record bind(Map<String, String> values) {
        throw new UnsupportedOperationException("implemented by the discovery work");
    }

    /** The text values {@link #bind} would use: the given ones plus the defaults, in declaration order. */
    public Map<String, String> withDefaults(Map<String, String> values) {
        throw new UnsupportedOperationException("implemented by the discovery work");
    }
}
