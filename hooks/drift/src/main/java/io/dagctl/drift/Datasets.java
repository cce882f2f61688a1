package io.dagctl.drift;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads CSV files (a header line, then one row per line) into {@link Dataset}s: the mapping's numerical columns
 * as numbers, its datetime and categorical columns as text; other columns are ignored. Empty fields and pandas'
 * missing-value spellings ({@code NA}, {@code NaN}, {@code null}, …) become missing values.
 */
public final class Datasets {
    /** The strings pandas' {@code read_csv} treats as missing by default. */
    private static final Set<String> MISSING = Set.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN",
            "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null");

    private Datasets() {
    }

    public static Dataset readCsv(Path file, ColumnMapping mapping) {
        try (InputStream in = Files.newInputStream(file)) {
            return readCsv(in, file.getFileName().toString(), mapping);
        } catch (IOException e) {
            throw new UncheckedIOException("CSV " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads UTF-8 CSV from {@code in}; {@code source} names it in error messages. The stream is not closed. */
    public static Dataset readCsv(InputStream in, String source, ColumnMapping mapping) {
        CsvReader<CsvRecord> reader = CsvReader.builder()
                .allowExtraFields(true)
                .allowMissingFields(true)
                .ofCsvRecord(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        Iterator<CsvRecord> records = reader.iterator();
        if (!records.hasNext()) {
            throw new CsvFormatException("CSV " + source + ": empty, expected a header line naming the columns");
        }
        List<String> header = records.next().getFields();
        List<String> wanted = mapping.allColumns();
        int[] positions = new int[wanted.size()];
        for (int k = 0; k < wanted.size(); k++) {
            positions[k] = header.indexOf(wanted.get(k));
            if (positions[k] < 0) {
                throw new CsvFormatException("CSV " + source + ": no column '" + wanted.get(k)
                        + "'; columns found are " + header);
            }
        }
        List<ColumnBuffer> buffers = new ArrayList<>();
        for (String name : wanted) {
            buffers.add(new ColumnBuffer(name, mapping.numerical().contains(name)));
        }
        try {
            while (records.hasNext()) {
                CsvRecord record = records.next();
                if (record.getFieldCount() == 1 && record.getField(0).isEmpty()) {
                    continue;
                }
                if (record.getFieldCount() != header.size()) {
                    throw new CsvFormatException("CSV " + source + " line " + record.getStartingLineNumber() + ": "
                            + record.getFieldCount() + " fields but the header has " + header.size());
                }
                for (int k = 0; k < positions.length; k++) {
                    buffers.get(k).add(record.getField(positions[k]), source, record.getStartingLineNumber());
                }
            }
        } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
            throw new CsvFormatException("CSV " + source + ": " + e.getMessage(), e);
        }
        Map<String, Column> columns = new LinkedHashMap<>();
        for (ColumnBuffer buffer : buffers) {
            columns.put(buffer.name, buffer.toColumn());
        }
        return Dataset.of(columns);
    }

    /** Whether a cell is missing as pandas' {@code read_csv} sees it: empty or one of its missing-value spellings. */
    public static boolean isMissing(String cell) {
        return MISSING.contains(cell.strip());
    }

    /** Parses a number as pandas would, or returns NaN for a missing value; null when the text is no number. */
    static Double parseNumber(String text) {
        String trimmed = text.strip();
        if (MISSING.contains(trimmed)) {
            return Double.NaN;
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                // Java would also accept hexadecimal and a trailing type suffix such as "1d"; pandas does not
                char last = lower.isEmpty() ? ' ' : lower.charAt(lower.length() - 1);
                if (lower.contains("x") || lower.contains("n") || Character.isLetter(last)) {
                    return null;
                }
                try {
                    return Double.parseDouble(trimmed);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
    }

    private static final class ColumnBuffer {
        private final String name;
        private final boolean numerical;
        private double[] numbers = new double[1024];
        private final List<String> texts = new ArrayList<>();
        private int size;

        ColumnBuffer(String name, boolean numerical) {
            this.name = name;
            this.numerical = numerical;
        }

        void add(String field, String source, long line) {
            if (!numerical) {
                texts.add(MISSING.contains(field) ? null : field);
                return;
            }
            Double value = parseNumber(field);
            if (value == null) {
                throw new CsvFormatException("CSV " + source + " line " + line + ": column '" + name + "' holds '"
                        + field + "', which is not a number");
            }
            if (size == numbers.length) {
                numbers = Arrays.copyOf(numbers, size * 2);
            }
            numbers[size++] = value;
        }

        Column toColumn() {
            return numerical ? Column.numbers(Arrays.copyOf(numbers, size)) : Column.texts(texts.toArray(String[]::new));
        }
    }
}
