package io.dagctl.dags;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import io.dagctl.internal.text.TextInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The daily bike-sharing table (UCI Bike Sharing, {@code day.csv}): its columns, and the checked copy of a date
 * window out of a CSV file, in the column order of the {@code reference} and {@code current} tables.
 */
final class BikeRides {
    static final String DATE = "dteday";
    static final List<String> COLUMNS = List.of("instant", DATE, "season", "yr", "mnth", "holiday", "weekday",
            "workingday", "weathersit", "temp", "atemp", "hum", "windspeed", "casual", "registered", "cnt");
    /** The columns drift is measured on, as in the original pipeline. */
    static final List<String> DRIFT_COLUMNS = List.of("weathersit", "temp", "atemp", "hum", "windspeed");
    private static final Set<String> NUMBERS = Set.copyOf(COLUMNS.stream().filter(c -> !c.equals(DATE)).toList());

    private BikeRides() {
    }

    /**
     * Copies the rows of {@code csv} dated {@code from} to {@code to} (both included) to {@code out}, with a header,
     * checking every row of the file on the way.
     *
     * @return the rows copied
     * @throws IllegalArgumentException naming the source, line and column of the first problem, or an empty window
     */
    static int copyWindow(InputStream csv, String source, LocalDate from, LocalDate to, OutputStream out) {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        // Field counts are checked below, where the message can name the source.
        try (CsvReader<CsvRecord> reader = CsvReader.builder().allowExtraFields(true).allowMissingFields(true)
                .ofCsvRecord(TextInput.reader(csv, "CSV " + source));
             CsvWriter csvWriter = CsvWriter.builder().build(writer)) {
            Iterator<CsvRecord> records = reader.iterator();
            if (!records.hasNext()) {
                throw new IllegalArgumentException("CSV " + source + " is empty");
            }
            List<String> header = records.next().getFields();
            int[] positions = positionsOf(header, source);
            csvWriter.writeRecord(COLUMNS);
            int copied = 0;
            while (records.hasNext()) {
                CsvRecord record = records.next();
                long line = record.getStartingLineNumber();
                if (record.getFieldCount() != header.size()) {
                    throw new IllegalArgumentException("CSV " + source + " line " + line + ": " + record.getFieldCount()
                            + " fields but the header has " + header.size());
                }
                String[] row = new String[COLUMNS.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = record.getField(positions[i]).strip();
                    check(COLUMNS.get(i), row[i], source, line);
                }
                LocalDate day = LocalDate.parse(row[1]);
                if (!day.isBefore(from) && !day.isAfter(to)) {
                    csvWriter.writeRecord(row);
                    copied++;
                }
            }
            if (copied == 0) {
                throw new IllegalArgumentException("CSV " + source + " has no rows dated " + from + " to " + to);
            }
            csvWriter.flush();
            return copied;
        } catch (IOException e) {
            throw new UncheckedIOException("reading CSV " + source + " failed: " + e.getMessage(), e);
        }
    }

    private static int[] positionsOf(List<String> header, String source) {
        int[] positions = new int[COLUMNS.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = header.indexOf(COLUMNS.get(i));
            if (positions[i] < 0) {
                throw new IllegalArgumentException("CSV " + source + ": no column '" + COLUMNS.get(i)
                        + "'; columns found are " + header);
            }
        }
        return positions;
    }

    private static void check(String column, String value, String source, long line) {
        if (column.equals(DATE)) {
            try {
                LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("CSV " + source + " line " + line + ": column '" + DATE + "' holds '"
                        + value + "', which is not a date (yyyy-MM-dd)");
            }
        } else if (NUMBERS.contains(column) && !isFiniteNumber(value)) {
            throw new IllegalArgumentException("CSV " + source + " line " + line + ": column '" + column + "' holds '"
                    + value + "', which is not a number");
        }
    }

    private static boolean isFiniteNumber(String value) {
        try {
            return !value.isEmpty() && Double.isFinite(Double.parseDouble(value)) && !value.matches(".*[dDfF]$");
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
