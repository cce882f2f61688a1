/**
 * Data drift detection with the statistics of Evidently 0.4's DataDriftPreset, usable without the rest of dagctl.
 *
 * <pre>{@code
 * ColumnMapping mapping = ColumnMapping.of("dteday", List.of("temp", "hum"), List.of("season"));
 * Dataset rides = Datasets.readCsv(Path.of("bikeride.csv"), mapping);
 * DriftReport report = DriftDetector.detect(
 *         rides.betweenDates("dteday", LocalDate.parse("2011-01-01"), LocalDate.parse("2011-01-28")),
 *         rides.betweenDates("dteday", LocalDate.parse("2011-03-01"), LocalDate.parse("2011-03-31")),
 *         mapping, DriftOptions.defaults());
 * report.datasetDrift();   // the verdict
 * report.toJson();         // Evidently's as_dict() shape
 * report.toHtml();         // a self-contained page
 * }</pre>
 */
package io.dagctl.drift;
