package io.dagctl.synthetics.service.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A column's inferred kind, its null rate and, for floats, how many decimals its values are written with (so that
 * synthetic values look like the real ones).
 */
public record ColumnProfile(String name, ColumnKind kind, double nullRate, int decimals) {

    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final int MAX_DECIMALS = 6;
    /** Below this many values a column of distinct strings is more likely a small category set than an id. */
    private static final int MIN_ID_VALUES = 20;

    public static ColumnProfile infer(String name, String[] values) {
        int nulls = 0;
        boolean integers = true;
        boolean numbers = true;
        boolean dates = true;
        int decimals = 0;
        Set<String> distinct = new HashSet<>();
        for (String v : values) {
            if (v == null) {
                nulls++;
                continue;
            }
            distinct.add(v);
            if (integers && !isLong(v)) {
                integers = false;
            }
            if (numbers && !integers) {
                if (isDouble(v)) {
                    int dot = v.indexOf('.');
                    if (dot >= 0 && v.indexOf('e') < 0 && v.indexOf('E') < 0) {
                        decimals = Math.max(decimals, Math.min(MAX_DECIMALS, v.length() - dot - 1));
                    }
                } else {
                    numbers = false;
                }
            }
            if (dates && !isDate(v)) {
                dates = false;
            }
        }
        int present = values.length - nulls;
        double nullRate = values.length == 0 ? 0 : (double) nulls / values.length;
        ColumnKind kind;
        if (present == 0) {
            kind = ColumnKind.CATEGORICAL;
        } else if (integers) {
            kind = ColumnKind.INTEGER;
        } else if (numbers) {
            kind = ColumnKind.FLOAT;
        } else if (dates) {
            kind = ColumnKind.DATE;
        } else if (distinct.size() == present && present >= MIN_ID_VALUES) {
            kind = ColumnKind.ID;
        } else {
            kind = ColumnKind.CATEGORICAL;
        }
        return new ColumnProfile(name, kind, nullRate, kind == ColumnKind.FLOAT ? decimals : 0);
    }

    /** The value as a number: the number itself, or for a date its day number. */
    public double toNumber(String value) {
        return kind == ColumnKind.DATE ? LocalDate.parse(value).toEpochDay() : Double.parseDouble(value);
    }

    /** The values as numbers ({@link #toNumber}), {@code NaN} where a value is missing. */
    public double[] toNumbers(String[] values) {
        double[] numbers = new double[values.length];
        for (int r = 0; r < values.length; r++) {
            numbers[r] = values[r] == null ? Double.NaN : toNumber(values[r]);
        }
        return numbers;
    }

    /** A number written as this column writes its values. */
    public String format(double number) {
        return switch (kind) {
            case INTEGER -> Long.toString(Math.round(number));
            case DATE -> LocalDate.ofEpochDay(Math.round(number)).toString();
            case FLOAT -> BigDecimal.valueOf(number)
                    .setScale(decimals, RoundingMode.HALF_UP).toPlainString();
            default -> throw new IllegalStateException("column " + name + " is " + kind + ", not numeric");
        };
    }

    private static boolean isLong(String v) {
        int start = v.startsWith("-") || v.startsWith("+") ? 1 : 0;
        if (v.length() == start || v.length() > 18) {
            return false;
        }
        for (int i = start; i < v.length(); i++) {
            if (!Character.isDigit(v.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDouble(String v) {
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) && !v.endsWith("d") && !v.endsWith("f") && !v.endsWith("D") && !v.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isDate(String v) {
        if (!ISO_DATE.matcher(v).matches()) {
            return false;
        }
        try {
            LocalDate.parse(v);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
