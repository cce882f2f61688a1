package io.dagctl.drift.internal;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.dagctl.drift.CheckedWindow;
import io.dagctl.drift.CsvFormatException;
import io.dagctl.drift.Datasets;
import io.dagctl.drift.TableSchema;
import java.io.Reader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@link TableSchema#readWindow}: the row-by-row check of a CSV window against a table's schema. */
public final class WindowReader {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private WindowReader() {
    }

    public static CheckedWindow read(TableSchema schema, Reader csv, String source, LocalDate from, LocalDate to) {
        Iterator<CsvRecord> records = CsvReader.builder().allowExtraFields(true).allowMissingFields(true)
                .ofCsvRecord(csv).iterator();
        try {
            if (!records.hasNext()) {
                throw new CsvFormatException("CSV " + source + ": empty, expected a header line naming the columns "
                        + schema.columnNames());
            }
            List<String> header = records.next().getFields();
            List<TableSchema.Field> fields = schema.fields();
            int[] positions = new int[fields.size()];
            int datePosition = -1;
            for (int j = 0; j < positions.length; j++) {
                positions[j] = header.indexOf(fields.get(j).name());
                if (positions[j] < 0) {
                    throw new CsvFormatException("CSV " + source + ": no column '" + fields.get(j).name()
                            + "', which table '" + schema.table() + "' needs; columns found are " + header);
                }
                if (fields.get(j).name().equals(schema.dateColumn())) {
                    datePosition = positions[j];
                }
            }
            List<List<String>> rows = new ArrayList<>();
            Map<LocalDate, Long> lineOfDay = new HashMap<>();
            while (records.hasNext()) {
                CsvRecord record = records.next();
                long line = record.getStartingLineNumber();
                if (record.getFieldCount() == 1 && record.getField(0).isEmpty()) {
                    continue;
                }
                if (record.getFieldCount() != header.size()) {
                    throw new CsvFormatException("CSV " + source + " line " + line + ": " + record.getFieldCount()
                            + " fields but the header has " + header.size());
                }
                LocalDate day = date(record.getField(datePosition).strip(), source, line, schema.dateColumn());
                if (day.isBefore(from) || day.isAfter(to)) {
                    continue;
                }
                Long earlier = lineOfDay.putIfAbsent(day, line);
                if (earlier != null) {
                    throw new CsvFormatException("CSV " + source + " line " + line + ", column '" + schema.dateColumn()
                            + "': " + day + " repeats the day of line " + earlier + "; table '" + schema.table()
                            + "' holds one row per day");
                }
                List<String> row = new ArrayList<>(fields.size());
                for (int j = 0; j < fields.size(); j++) {
                    row.add(checked(fields.get(j), record.getField(positions[j]).strip(), schema, source, line));
                }
                rows.add(row);
            }
            return new CheckedWindow(schema, from, to, rows);
        } catch (CsvParseException e) {
            throw new CsvFormatException("CSV " + source + ": " + e.getMessage(), e);
        }
    }

    private static LocalDate date(String value, String source, long line, String column) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new CsvFormatException("CSV " + source + " line " + line + ", column '" + column + "': '" + value
                    + "' is not a date (yyyy-MM-dd)");
        }
    }

    /** The cell as the table will receive it: stripped, or {@code ""} when missing. */
    private static String checked(TableSchema.Field field, String value, TableSchema schema, String source, long line) {
        String where = "CSV " + source + " line " + line + ", column '" + field.name() + "': ";
        if (Datasets.isMissing(value)) {
            if (!field.nullable()) {
                throw new CsvFormatException(where + "a value is missing, and column '" + field.name() + "' of table '"
                        + schema.table() + "' cannot be missing");
            }
            return "";
        }
        switch (field.type()) {
            case INTEGER -> {
                if (!INTEGER.matcher(value).matches() || !fitsInLong(value)) {
                    throw new CsvFormatException(where + "'" + value + "' is not a whole number, which column '"
                            + field.name() + "' of table '" + schema.table() + "' holds");
                }
            }
            case DECIMAL -> {
                if (!DECIMAL.matcher(value).matches() || !Double.isFinite(Double.parseDouble(value))) {
                    throw new CsvFormatException(where + "'" + value + "' is not a finite decimal number (digits, an "
                            + "optional point and exponent)");
                }
            }
            case DATE -> date(value, source, line, field.name());
            case TEXT -> {
            }
        }
        return value;
    }

    private static boolean fitsInLong(String value) {
        try {
            Long.parseLong(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
