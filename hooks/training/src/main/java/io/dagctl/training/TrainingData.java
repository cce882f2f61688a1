package io.dagctl.training;

import io.dagctl.training.internal.CsvTrainingDataReader;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Rows to train on, in the order they are split (the first part trains, the last part tests).
 *
 * @param featureNames names of the features, in the order of each row's values
 * @param rows         one row per observation, keyed by date
 */
public record TrainingData(List<String> featureNames, List<Row> rows) {

    /** The features of the daily bike-sharing table, as the original pipeline used them. */
    public static final List<String> BIKE_FEATURES = List.of(
            "season", "yr", "mnth", "holiday", "weekday", "workingday", "weathersit",
            "temp", "atemp", "hum", "windspeed");
    public static final String BIKE_DATE_COLUMN = "dteday";
    public static final String BIKE_TARGET_COLUMN = "cnt";

    /** One observation: its date key, feature values in {@link #featureNames()} order, and the target. */
    public record Row(LocalDate date, List<Double> features, double target) {
        public Row {
            Objects.requireNonNull(date, "Row: date is null");
            features = List.copyOf(features);
        }
    }

    public TrainingData {
        featureNames = List.copyOf(featureNames);
        rows = List.copyOf(rows);
        if (featureNames.isEmpty()) {
            throw new IllegalArgumentException("TrainingData: no feature names");
        }
        if (new HashSet<>(featureNames).size() != featureNames.size()) {
            throw new IllegalArgumentException("TrainingData: duplicate feature names in " + featureNames);
        }
        for (Row row : rows) {
            if (row.features().size() != featureNames.size()) {
                throw new IllegalArgumentException("TrainingData: row dated " + row.date() + " has "
                        + row.features().size() + " feature values, expected " + featureNames.size());
            }
            for (int j = 0; j < featureNames.size(); j++) {
                if (!Double.isFinite(row.features().get(j))) {
                    throw new IllegalArgumentException("TrainingData: row dated " + row.date() + ", feature '"
                            + featureNames.get(j) + "' is " + row.features().get(j) + ", expected a finite number");
                }
            }
            if (!Double.isFinite(row.target())) {
                throw new IllegalArgumentException("TrainingData: row dated " + row.date() + " has target "
                        + row.target() + ", expected a finite number");
            }
        }
    }

    /**
     * Reads a CSV with a header row holding at least {@code dteday}, the {@link #BIKE_FEATURES} and
     * {@code cnt} (other columns, such as instant, casual and registered, are ignored). The caller closes
     * the reader.
     */
    public static TrainingData fromBikeCsv(Reader csv) {
        return fromCsv(csv, BIKE_DATE_COLUMN, BIKE_FEATURES, BIKE_TARGET_COLUMN);
    }

    public static TrainingData fromBikeCsv(Path csv) {
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return fromBikeCsv(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("TrainingData: cannot read " + csv, e);
        }
    }

    /**
     * Reads a CSV with a header row; dates are ISO ({@code 2011-03-01}), features and target decimal numbers.
     * The caller closes the reader.
     */
    public static TrainingData fromCsv(Reader csv, String dateColumn, List<String> featureColumns, String targetColumn) {
        return CsvTrainingDataReader.read(csv, dateColumn, featureColumns, targetColumn);
    }

    /** Keeps the first row of each date, as pandas' {@code drop_duplicates(subset="dteday")} does. */
    public TrainingData withoutDuplicateDates() {
        Set<LocalDate> seen = new HashSet<>();
        return new TrainingData(featureNames, rows.stream().filter(row -> seen.add(row.date())).toList());
    }

    /** The rows dated from {@code first} to {@code last}, both inclusive, in their original order. */
    public TrainingData between(LocalDate first, LocalDate last) {
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("TrainingData.between: last date " + last + " is before first date " + first);
        }
        return new TrainingData(featureNames, rows.stream()
                .filter(row -> !row.date().isBefore(first) && !row.date().isAfter(last))
                .toList());
    }

    public int size() {
        return rows.size();
    }
}
