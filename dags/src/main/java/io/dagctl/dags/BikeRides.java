package io.dagctl.dags;

import io.dagctl.drift.CheckedWindow;
import io.dagctl.drift.CsvFormatException;
import io.dagctl.drift.TableSchema;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.internal.text.TextInput;
import java.io.InputStream;
import java.io.Reader;
import java.time.LocalDate;
import java.util.List;

/**
 * The daily bike-sharing table (UCI Bike Sharing, {@code day.csv}): its columns, and a date window of a CSV file
 * checked against the {@code current} table.
 */
final class BikeRides {
    static final String DATE = "dteday";
    static final List<String> COLUMNS = List.of("instant", DATE, "season", "yr", "mnth", "holiday", "weekday",
            "workingday", "weathersit", "temp", "atemp", "hum", "windspeed", "casual", "registered", "cnt");
    /** The columns drift is measured on, as in the original pipeline. */
    static final List<String> DRIFT_COLUMNS = List.of("weathersit", "temp", "atemp", "hum", "windspeed");

    private BikeRides() {
    }

    /**
     * Reads the rows of {@code csv} dated {@code from} to {@code to} (both included), each checked against the schema
     * of the {@code current} table as PostgreSQL reports it, so that no row is computed on or sent anywhere that the
     * table would refuse.
     *
     * @throws CsvFormatException naming the source, line and column of the first problem
     */
    static CheckedWindow readChecked(PostgresHook bikes, InputStream csv, String source, LocalDate from, LocalDate to) {
        // A compressed or binary file is named as such before the database is asked anything.
        Reader text;
        try {
            text = TextInput.reader(csv, "CSV " + source);
        } catch (IllegalArgumentException notText) {
            throw new CsvFormatException(notText.getMessage(), notText);
        }
        return schemaOf(bikes, "current").readWindow(text, source, from, to);
    }

    private static TableSchema schemaOf(PostgresHook bikes, String table) {
        List<TableSchema.Field> fields = bikes.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
                                + " WHERE table_schema = current_schema() AND table_name = :table ORDER BY ordinal_position")
                .bind("table", table)
                .map((rs, ctx) -> new TableSchema.Field(rs.getString("column_name"), typeOf(rs.getString("data_type")),
                        rs.getString("is_nullable").equals("YES")))
                .list());
        if (fields.isEmpty()) {
            throw new IllegalStateException("table '" + table + "' does not exist in " + bikes.connection().id()
                    + "; `dagctl demo seed` creates it");
        }
        return new TableSchema(table, fields, DATE);
    }

    private static TableSchema.Type typeOf(String postgresType) {
        return switch (postgresType) {
            case "smallint", "integer", "bigint" -> TableSchema.Type.INTEGER;
            case "real", "double precision", "numeric" -> TableSchema.Type.DECIMAL;
            case "date" -> TableSchema.Type.DATE;
            default -> TableSchema.Type.TEXT;
        };
    }
}
