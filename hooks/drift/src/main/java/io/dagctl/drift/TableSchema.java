package io.dagctl.drift;

import io.dagctl.drift.internal.WindowReader;
import java.io.Reader;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a table accepts, for checking rows before they reach it: its columns in order, each with a type and whether
 * it may be missing (NULL), and the date column that holds one row per day.
 *
 * <p>{@link #readWindow} is the validated reader for DAGs that load a CSV into such a table: it refuses the first
 * cell the table would not take, naming line and column, before anything is computed, sent or written.
 */
public record TableSchema(String table, List<Field> fields, String dateColumn) {

    /** A column's type as the check sees it. */
    public enum Type {
        /** Whole numbers in a 64-bit range: digits with an optional sign; no decimals, exponents or hex. */
        INTEGER,
        /** Finite decimal numbers: digits with an optional point and exponent; no hex, NaN, infinity or suffix. */
        DECIMAL,
        /** ISO dates, {@code yyyy-MM-dd}. */
        DATE,
        /** Any text. */
        TEXT
    }

    public record Field(String name, Type type, boolean nullable) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    public TableSchema {
        List<Field> columns = List.copyOf(fields);
        Field date = columns.stream().filter(f -> f.name().equals(dateColumn)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("TableSchema: table '" + table + "' has no date column '"
                        + dateColumn + "'; its columns are " + columns.stream().map(Field::name).toList()));
        fields = columns;
        if (date.type() != Type.DATE || date.nullable()) {
            throw new IllegalArgumentException("TableSchema: column '" + dateColumn + "' of table '" + table
                    + "' must be a DATE that cannot be missing to date the rows");
        }
    }

    public List<String> columnNames() {
        List<String> names = new ArrayList<>();
        fields.forEach(f -> names.add(f.name()));
        return names;
    }

    /**
     * Reads the rows of a CSV (a header naming at least this schema's columns, in any order) dated
     * {@code from}..{@code to}, both included. Rows dated outside the window are skipped without looking at their
     * other cells. Every row inside is checked against the schema: a cell of the wrong type, a missing cell in a
     * column that cannot be missing, or a day that repeats an earlier row's is refused with an
     * {@link CsvFormatException} naming {@code source}, the line and the column. Empty cells and pandas' missing-value
     * spellings ({@code NA}, {@code NaN}, …) count as missing.
     */
    public CheckedWindow readWindow(Reader csv, String source, LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("TableSchema.readWindow: from " + from + " is after to " + to);
        }
        return WindowReader.read(this, csv, source, from, to);
    }
}
