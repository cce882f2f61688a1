package io.dagctl.synthetics.service.internal;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A CSV file in memory: a header and rows of fields, where an empty field is {@code null}. */
public record Table(List<String> columns, List<String[]> rows) {

    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /**
     * Reads a CSV with a header line.
     *
     * @throws IllegalArgumentException naming the line when the data is not a table
     */
    public static Table readCsv(InputStream in) {
        // Field counts are checked here, so that the message names the line the way a user counts lines.
        try (CsvReader<CsvRecord> reader = CsvReader.builder().allowExtraFields(true).allowMissingFields(true)
                .ofCsvRecord(in, StandardCharsets.UTF_8)) {
            List<String> header = null;
            List<String[]> rows = new ArrayList<>();
            for (CsvRecord record : reader) {
                if (header == null) {
                    header = record.getFields().stream().map(String::strip).toList();
                    if (header.stream().anyMatch(String::isEmpty)) {
                        throw new IllegalArgumentException("CSV header has an empty column name: " + header);
                    }
                    continue;
                }
                if (record.getFieldCount() != header.size()) {
                    throw new IllegalArgumentException("CSV line " + record.getStartingLineNumber() + " has "
                            + record.getFieldCount() + " fields, the header has " + header.size());
                }
                String[] row = new String[header.size()];
                for (int i = 0; i < row.length; i++) {
                    String field = record.getField(i);
                    row[i] = field.isEmpty() ? null : field;
                }
                rows.add(row);
            }
            if (header == null) {
                throw new IllegalArgumentException("CSV is empty: expected a header line");
            }
            return new Table(header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("reading CSV failed", e);
        }
    }

    public void writeCsv(OutputStream out) {
        try {
            CsvWriter writer = CsvWriter.builder().lineDelimiter(LineDelimiter.LF)
                    .build(out, StandardCharsets.UTF_8);
            writer.writeRecord(columns);
            for (String[] row : rows) {
                writer.writeRecord(Arrays.stream(row).map(v -> v == null ? "" : v).toList());
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing CSV failed", e);
        }
    }

    public String[] column(int index) {
        String[] values = new String[rows.size()];
        for (int r = 0; r < values.length; r++) {
            values[r] = rows.get(r)[index];
        }
        return values;
    }

    public int size() {
        return rows.size();
    }
}
