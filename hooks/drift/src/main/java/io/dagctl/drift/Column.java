package io.dagctl.drift;

import java.util.Arrays;
import java.util.Objects;

/** One column of a {@link Dataset}: numbers (NaN for a missing value) or text ({@code null} for a missing value). */
public sealed interface Column {

    int size();

    /** A copy holding only the rows at the given indices, in that order. */
    Column select(int[] rows);

    static Numbers numbers(double... values) {
        return new Numbers(values);
    }

    static Texts texts(String... values) {
        return new Texts(values);
    }

    /** Numeric values; NaN marks a missing value. The array is owned by the column and must not be changed. */
    record Numbers(double[] values) implements Column {
        public Numbers {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public Numbers select(int[] rows) {
            double[] selected = new double[rows.length];
            for (int k = 0; k < rows.length; k++) {
                selected[k] = values[rows[k]];
            }
            return new Numbers(selected);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Numbers that && Arrays.equals(values, that.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Numbers[" + values.length + " values]";
        }
    }

    /** Text values; {@code null} marks a missing value. The array is owned by the column and must not be changed. */
    record Texts(String[] values) implements Column {
        public Texts {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public Texts select(int[] rows) {
            String[] selected = new String[rows.length];
            for (int k = 0; k < rows.length; k++) {
                selected[k] = values[rows[k]];
            }
            return new Texts(selected);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Texts that && Arrays.equals(values, that.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Texts[" + values.length + " values]";
        }
    }
}
