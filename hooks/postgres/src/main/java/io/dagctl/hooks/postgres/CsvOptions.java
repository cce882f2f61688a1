package io.dagctl.hooks.postgres;

import java.util.List;

/**
 * How {@link PostgresHook#copyIn} reads CSV. Defaults: a header line, comma-separated, an unquoted empty field is
 * NULL, every column of the table in table order, rows appended.
 *
 * @param columns the table columns the CSV fields fill, in order; empty for all columns
 * @param replaceExisting whether the table is emptied first, in the same transaction as the load
 */
public record CsvOptions(List<String> columns, boolean header, char delimiter, String nullString,
        boolean replaceExisting) {

    public CsvOptions {
        columns = List.copyOf(columns);
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("CSV delimiter cannot be a quote or a line break");
        }
        if (nullString.indexOf(delimiter) >= 0 || nullString.contains("\n") || nullString.contains("\r")) {
            throw new IllegalArgumentException("CSV null string '" + nullString
                    + "' cannot contain the delimiter or a line break");
        }
    }

    public static CsvOptions defaults() {
        return new CsvOptions(List.of(), true, ',', "", false);
    }

    public CsvOptions withColumns(String... names) {
        return new CsvOptions(List.of(names), header, delimiter, nullString, replaceExisting);
    }

    public CsvOptions withoutHeader() {
        return new CsvOptions(columns, false, delimiter, nullString, replaceExisting);
    }

    public CsvOptions withDelimiter(char newDelimiter) {
        return new CsvOptions(columns, header, newDelimiter, nullString, replaceExisting);
    }

    public CsvOptions withNullString(String newNullString) {
        return new CsvOptions(columns, header, delimiter, newNullString, replaceExisting);
    }

    public CsvOptions replacingExisting() {
        return new CsvOptions(columns, header, delimiter, nullString, true);
    }
}
