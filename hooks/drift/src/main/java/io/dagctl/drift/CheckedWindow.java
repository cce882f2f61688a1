package io.dagctl.drift;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rows of a date window that passed {@link TableSchema#readWindow}: each row's cells in the schema's column
 * order, as read but stripped, with {@code ""} for a missing cell.
 */
public record CheckedWindow(TableSchema schema, LocalDate from, LocalDate to, List<List<String>> rows) {

    public CheckedWindow {
        rows = rows.stream().map(List::copyOf).toList();
    }

    /** The window's days no row covers, in order; for a window of bounded length. */
    public List<LocalDate> missingDays() {
        int date = schema.columnNames().indexOf(schema.dateColumn());
        Set<LocalDate> present = rows.stream().map(row -> LocalDate.parse(row.get(date))).collect(Collectors.toSet());
        return from.datesUntil(to.plusDays(1)).filter(day -> !present.contains(day)).toList();
    }

    public int size() {
        return rows.size();
    }

    /** Numbers for INTEGER and DECIMAL columns (NaN when missing), text for the others ({@code null} when missing). */
    public Dataset toDataset() {
        Map<String, Column> columns = new LinkedHashMap<>();
        List<TableSchema.Field> fields = schema.fields();
        for (int j = 0; j < fields.size(); j++) {
            int column = j;
            TableSchema.Type type = fields.get(j).type();
            if (type == TableSchema.Type.INTEGER || type == TableSchema.Type.DECIMAL) {
                columns.put(fields.get(j).name(), Column.numbers(rows.stream()
                        .mapToDouble(row -> row.get(column).isEmpty() ? Double.NaN : Double.parseDouble(row.get(column)))
                        .toArray()));
            } else {
                columns.put(fields.get(j).name(), Column.texts(rows.stream()
                        .map(row -> row.get(column).isEmpty() ? null : row.get(column)).toArray(String[]::new)));
            }
        }
        return Dataset.of(columns);
    }

    /**
     * Writes a header and the rows as CSV, a missing cell as an empty unquoted field: what PostgreSQL's
     * {@code COPY ... (FORMAT csv, HEADER)} reads as NULL. The stream is left open.
     */
    public void writeCsv(OutputStream out) {
        try {
            CsvWriter writer = CsvWriter.builder().build(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.writeRecord(schema.columnNames());
            for (List<String> row : rows) {
                writer.writeRecord(row);
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CheckedWindow: cannot write CSV: " + e.getMessage(), e);
        }
    }
}
