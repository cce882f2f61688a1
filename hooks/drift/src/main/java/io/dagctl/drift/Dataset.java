package io.dagctl.drift;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/** Named columns of equal length, in the order they were given. */
public final class Dataset {
    private final Map<String, Column> columns;
    private final int rowCount;

    private Dataset(Map<String, Column> columns, int rowCount) {
        this.columns = columns;
        this.rowCount = rowCount;
    }

    /** A dataset of the given columns, which must all have the same number of rows. */
    public static Dataset of(Map<String, ? extends Column> columns) {
        Map<String, Column> copy = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        int rows = -1;
        for (Map.Entry<String, Column> entry : copy.entrySet()) {
            int size = entry.getValue().size();
            if (rows >= 0 && size != rows) {
                throw new IllegalArgumentException("Dataset: column '" + entry.getKey() + "' has " + size
                        + " rows but the columns before it have " + rows);
            }
            rows = size;
        }
        return new Dataset(copy, Math.max(rows, 0));
    }

    public int rowCount() {
        return rowCount;
    }

    public List<String> columnNames() {
        return List.copyOf(columns.keySet());
    }

    public boolean hasColumn(String name) {
        return columns.containsKey(name);
    }

    /** The named column; throws naming the column and the columns present when it is missing. */
    public Column column(String name) {
        Column column = columns.get(name);
        if (column == null) {
            throw new IllegalArgumentException("Dataset: no column '" + name + "'; columns are " + columns.keySet());
        }
        return column;
    }

    /** The rows for which the predicate on the row index holds, in their original order. */
    public Dataset filter(IntPredicate row) {
        int[] rows = IntStream.range(0, rowCount).filter(row).toArray();
        Map<String, Column> selected = new LinkedHashMap<>();
        columns.forEach((name, column) -> selected.put(name, column.select(rows)));
        return new Dataset(Collections.unmodifiableMap(selected), rows.length);
    }

    /**
     * The rows whose date in {@code dateColumn} (ISO {@code yyyy-MM-dd}, optionally followed by a time) lies in
     * {@code [from, to]}, both inclusive. Rows without a date are left out.
     */
    public Dataset betweenDates(String dateColumn, LocalDate from, LocalDate to) {
        if (!(column(dateColumn) instanceof Column.Texts texts)) {
            throw new IllegalArgumentException("Dataset: date column '" + dateColumn + "' holds numbers, not dates");
        }
        String[] values = texts.values();
        return filter(row -> {
            String value = values[row];
            if (value == null || value.isBlank()) {
                return false;
            }
            LocalDate date = parseDate(dateColumn, row, value);
            return !date.isBefore(from) && !date.isAfter(to);
        });
    }

    private static LocalDate parseDate(String column, int row, String value) {
        String day = value.length() > 10 ? value.substring(0, 10) : value;
        try {
            return LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Dataset: date column '" + column + "' row " + row
                    + " holds '" + value + "', not an ISO date (yyyy-MM-dd)", e);
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + rowCount + " rows, columns " + columns.keySet() + "]";
    }
}
