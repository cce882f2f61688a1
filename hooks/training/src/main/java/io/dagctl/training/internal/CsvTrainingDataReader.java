package io.dagctl.training.internal;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.dagctl.training.TrainingData;

import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/** Reads {@link TrainingData} from a CSV whose first row names the columns. */
public final class CsvTrainingDataReader {
    /** Plain decimals only: Double.parseDouble would also accept "NaN", "Infinity", "1d" and hex. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private CsvTrainingDataReader() {
    }

    public static TrainingData read(Reader csv, String dateColumn, List<String> featureColumns, String targetColumn) {
        Iterator<CsvRecord> records = CsvReader.builder().ofCsvRecord(csv).iterator();
        try {
            if (!records.hasNext()) {
                throw new IllegalArgumentException("CSV is empty: expected a header row naming " + dateColumn + ", "
                        + String.join(", ", featureColumns) + " and " + targetColumn);
            }
            List<String> header = records.next().getFields();
            int dateIndex = columnIndex(header, dateColumn);
            int targetIndex = columnIndex(header, targetColumn);
            int[] featureIndexes = featureColumns.stream().mapToInt(column -> columnIndex(header, column)).toArray();

            List<TrainingData.Row> rows = new ArrayList<>();
            while (records.hasNext()) {
                CsvRecord record = records.next();
                Location location = new Location(rows.size() + 1, record.getStartingLineNumber());
                List<Double> features = new ArrayList<>(featureIndexes.length);
                for (int j = 0; j < featureIndexes.length; j++) {
                    features.add(number(record, featureIndexes[j], featureColumns.get(j), location));
                }
                rows.add(new TrainingData.Row(date(record, dateIndex, dateColumn, location), features,
                        number(record, targetIndex, targetColumn, location)));
            }
            return new TrainingData(featureColumns, rows);
        } catch (CsvParseException e) {
            throw new IllegalArgumentException("CSV is malformed: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("CSV cannot be read: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private record Location(int row, long line) {
        @Override
        public String toString() {
            return "row " + row + " (line " + line + ")";
        }
    }

    private static int columnIndex(List<String> header, String column) {
        int index = header.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("CSV header has no column '" + column + "'; it has " + header);
        }
        return index;
    }

    private static double number(CsvRecord record, int index, String column, Location location) {
        String value = record.getField(index);
        if (!DECIMAL.matcher(value).matches()) {
            throw new IllegalArgumentException("CSV " + location + ", column '" + column + "': '" + value
                    + "' is not a number");
        }
        return Double.parseDouble(value);
    }

    private static LocalDate date(CsvRecord record, int index, String column, Location location) {
        String value = record.getField(index);
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("CSV " + location + ", column '" + column + "': '" + value
                    + "' is not a date like 2011-03-01", e);
        }
    }
}
