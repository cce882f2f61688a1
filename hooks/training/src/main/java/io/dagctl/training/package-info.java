/**
 * Ridge regression on {@code log1p} of a count, with the penalty chosen by cross-validated RMSLE.
 *
 * <pre>{@code
 * TrainingData rows = TrainingData.fromBikeCsv(csvReader)           // header row; dteday, features, cnt
 *         .between(LocalDate.parse("2011-03-01"), LocalDate.parse("2011-03-31"));
 * RidgeModel model = new TrainingHook().trainRidge(rows, RidgeGridSearch.defaults());
 * model.save(Path.of("model.json"));
 * double cnt = RidgeModel.load(Path.of("model.json")).predict(Map.of("season", 1.0, ...));
 * }</pre>
 *
 * <p>Classes in {@code io.dagctl.training.internal} are not part of the API.
 */
package io.dagctl.training;
