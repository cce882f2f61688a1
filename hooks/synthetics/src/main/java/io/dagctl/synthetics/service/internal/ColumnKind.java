package io.dagctl.synthetics.service.internal;

/** What a column holds, as inferred from its values. */
public enum ColumnKind {
    /** Unique strings such as {@code user_id}: regenerated, never copied. */
    ID,
    CATEGORICAL,
    INTEGER,
    FLOAT,
    /** ISO {@code yyyy-MM-dd}; modelled as a day number. */
    DATE;

    public boolean isNumeric() {
        return this == INTEGER || this == FLOAT || this == DATE;
    }
}
