package io.dagctl.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {

    private static Column.Numbers numbers(int size, IntToDoubleFunction value) {
        return Column.numbers(IntStream.range(0, size).mapToDouble(value).toArray());
    }

    private static DriftReport detectNumerical(Column reference, Column current) {
        return DriftDetector.detect(Dataset.of(Map.of("x", reference)), Dataset.of(Map.of("x", current)),
                ColumnMapping.of(null, List.of("x"), List.of()));
    }

    @Test
    void choosesKolmogorovSmirnovForManyValuesAndASmallReference() {
        DriftReport report = detectNumerical(numbers(1000, k -> k), numbers(50, k -> k));

        assertThat(report.column("x").statTest()).isEqualTo(StatTest.KOLMOGOROV_SMIRNOV);
    }

    @Test
    void choosesWassersteinForManyValuesOnceTheReferenceExceedsAThousandRows() {
        DriftReport report = detectNumerical(numbers(1001, k -> k), numbers(50, k -> k));

        assertThat(report.column("x").statTest()).isEqualTo(StatTest.WASSERSTEIN);
    }

    @Test
    void countsDistinctValuesOverBothSamplesWhenChoosingTheTest() {
        assertThat(detectNumerical(numbers(100, k -> k % 3), numbers(100, k -> k % 5)).column("x").statTest())
                .isEqualTo(StatTest.CHI_SQUARE);
        assertThat(detectNumerical(numbers(100, k -> k % 3), numbers(100, k -> k % 6)).column("x").statTest())
                .isEqualTo(StatTest.KOLMOGOROV_SMIRNOV);
        assertThat(detectNumerical(numbers(100, k -> k % 2), numbers(100, k -> k % 2)).column("x").statTest())
                .isEqualTo(StatTest.Z_TEST);
        assertThat(detectNumerical(numbers(2000, k -> k % 5), numbers(100, k -> k % 5)).column("x").statTest())
                .isEqualTo(StatTest.JENSEN_SHANNON);
    }

    @Test
    void dropsMissingAndInfiniteValuesBeforeCountingTheReference() {
        double[] values = IntStream.range(0, 1100).mapToDouble(k -> k < 200 ? Double.NaN : k).toArray();
        values[500] = Double.POSITIVE_INFINITY;

        ColumnDrift drift = detectNumerical(Column.numbers(values), numbers(50, k -> k)).column("x");

        assertThat(drift.reference().count()).isEqualTo(899);
        assertThat(drift.statTest()).isEqualTo(StatTest.KOLMOGOROV_SMIRNOV);
    }

    @Test
    void reportsDatasetDriftWhenTheDriftedShareReachesTheConfiguredShare() {
        Dataset reference = Dataset.of(Map.of("a", numbers(300, k -> k), "b", numbers(300, k -> k),
                "c", numbers(300, k -> k)));
        Dataset current = Dataset.of(Map.of("a", numbers(300, k -> k + 200), "b", numbers(300, k -> k),
                "c", numbers(300, k -> k)));
        ColumnMapping mapping = ColumnMapping.of(null, List.of("a", "b", "c"), List.of());

        DriftReport byDefault = DriftDetector.detect(reference, current, mapping);
        DriftReport withLowShare = DriftDetector.detect(reference, current, mapping, DriftOptions.defaults().withDriftShare(0.3));

        assertThat(byDefault.numberOfDriftedColumns()).isEqualTo(1);
        assertThat(byDefault.shareOfDriftedColumns()).isEqualTo(1.0 / 3);
        assertThat(byDefault.datasetDrift()).isFalse();
        assertThat(withLowShare.datasetDrift()).isTrue();
    }

    @Test
    void appliesAPerColumnThresholdToTheDefaultTest() {
        DriftReport report = DriftDetector.detect(Dataset.of(Map.of("x", numbers(300, k -> k))),
                Dataset.of(Map.of("x", numbers(300, k -> k + 20))), ColumnMapping.of(null, List.of("x"), List.of()),
                DriftOptions.defaults().withThreshold("x", 1e-12));

        assertThat(report.column("x").threshold()).isEqualTo(1e-12);
        assertThat(report.column("x").driftScore()).isGreaterThan(1e-12);
        assertThat(report.column("x").driftDetected()).isFalse();
    }

    @Test
    void refusesANumericTestOnACategoricalColumn() {
        Dataset data = Dataset.of(Map.of("c", Column.texts("a", "b", "c")));

        assertThatThrownBy(() -> DriftDetector.detect(data, data, ColumnMapping.of(null, List.of(), List.of("c")),
                DriftOptions.defaults().withStatTest("c", StatTest.WASSERSTEIN)))
                .hasMessage("Drift detection: test 'wasserstein' applies to numerical columns only, not to categorical column 'c'; "
                        + "tests for a categorical column are chisquare, z, jensenshannon");
    }

    @Test
    void givesAColumnWithoutValuesAfterDroppingMissingOnesTheVerdictNoValues() {
        DriftReport report = DriftDetector.detect(
                Dataset.of(Map.of("x", numbers(3, k -> k), "c", Column.texts("a", "b", "a"))),
                Dataset.of(Map.of("x", Column.numbers(Double.NaN, Double.POSITIVE_INFINITY),
                        "c", Column.texts(null, null))),
                ColumnMapping.of(null, List.of("x"), List.of("c")));

        for (String name : List.of("x", "c")) {
            ColumnDrift drift = report.column(name);
            assertThat(drift.verdict()).as(name).isEqualTo("no values");
            assertThat(drift.hasValues()).isFalse();
            assertThat(drift.driftDetected()).isFalse();
            assertThat(drift.driftScore()).isNaN();
            assertThat(drift.current().count()).isZero();
            assertThat(drift.current().missing()).isEqualTo(2);
        }
        assertThat(report.numberOfColumns()).isEqualTo(2);
        assertThat(report.numberOfDriftedColumns()).isZero();
        assertThat(report.toJson()).contains("\"drift_score\" : null", "\"verdict\" : \"no values\"");
        assertThat(report.toHtml()).contains("<span class=\"good\">no values</span>");
    }

    @Test
    void dropsMissingValuesPerColumnAndCountsThem() {
        double[] current = IntStream.range(0, 40).mapToDouble(k -> k % 10 == 0 ? Double.NaN : k).toArray();
        double[] withoutMissing = IntStream.range(0, 40).filter(k -> k % 10 != 0).mapToDouble(k -> k).toArray();

        ColumnDrift withMissing = detectNumerical(numbers(60, k -> k), Column.numbers(current)).column("x");
        ColumnDrift dropped = detectNumerical(numbers(60, k -> k), Column.numbers(withoutMissing)).column("x");

        assertThat(withMissing.driftScore()).isEqualTo(dropped.driftScore());
        assertThat(withMissing.current()).isEqualTo(new ColumnDrift.Sample(36, 4, 36, List.of(1.0, 10.5, 20.0, 29.5, 39.0)));
        assertThat(withMissing.reference()).isEqualTo(new ColumnDrift.Sample(60, 0, 60, List.of(0.0, 14.75, 29.5, 44.25, 59.0)));
    }

    @Test
    void refusesACategoricalOnlyTestOnANumericalColumnNamingTheTestsThatFit() {
        Dataset data = Dataset.of(Map.of("temp", numbers(20, k -> k % 3)));

        for (StatTest test : List.of(StatTest.CHI_SQUARE, StatTest.Z_TEST)) {
            assertThatThrownBy(() -> DriftDetector.detect(data, data, ColumnMapping.of(null, List.of("temp"), List.of()),
                    DriftOptions.defaults().withStatTest("temp", test)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Drift detection: test '" + test.evidentlyName() + "' applies to categorical columns only, "
                            + "not to numerical column 'temp'; tests for a numerical column are ks, wasserstein, jensenshannon");
        }
    }

    @Test
    void stillChoosesChiSquareByDefaultForANumericalColumnWithFewValuesAsEvidentlyDoes() {
        Dataset data = Dataset.of(Map.of("weathersit", numbers(20, k -> k % 3 + 1)));

        assertThat(DriftDetector.detect(data, data, ColumnMapping.of(null, List.of("weathersit"), List.of()))
                .column("weathersit").statTest()).isEqualTo(StatTest.CHI_SQUARE);
    }

    @Test
    void namesAColumnMissingFromADataset() {
        assertThatThrownBy(() -> DriftDetector.detect(Dataset.of(Map.of("x", numbers(5, k -> k))),
                Dataset.of(Map.of("y", numbers(5, k -> k))), ColumnMapping.of(null, List.of("x"), List.of())))
                .hasMessage("Drift detection: the current dataset has no column 'x'; its columns are [y]");
    }

    @Test
    void refusesTextInANumericalColumn() {
        Dataset data = Dataset.of(Map.of("x", Column.texts("1", "2")));

        assertThatThrownBy(() -> DriftDetector.detect(data, data, ColumnMapping.of(null, List.of("x"), List.of())))
                .hasMessage("Drift detection: column 'x' is mapped as numerical but the reference dataset holds text in it");
    }

    @Test
    void ordersNumericCategoriesByValueSoTheZTestCodesTheSmallestAsZero() {
        Dataset reference = Dataset.of(Map.of("c", Column.texts("9", "9", "10", "10")));
        Dataset current = Dataset.of(Map.of("c", Column.texts("9", "10", "10", "10")));

        ColumnDrift drift = DriftDetector.detect(reference, current, ColumnMapping.of(null, List.of(), List.of("c")))
                .column("c");

        assertThat(drift.distribution().labels()).containsExactly("9", "10");
        assertThat(drift.statTest()).isEqualTo(StatTest.Z_TEST);
    }

    @Test
    void writesJsonWithEvidentlysFieldNamesAndEachSidesCounts() {
        DriftReport report = detectNumerical(numbers(300, k -> k), Column.numbers(
                IntStream.range(0, 300).mapToDouble(k -> k < 3 ? Double.NaN : (k + 200) / 2 * 2).toArray()));

        assertThat(report.toJson()).isEqualToIgnoringWhitespace("""
                {"drift_share":0.5,"number_of_columns":1,"number_of_drifted_columns":1,
                 "share_of_drifted_columns":1.0,"dataset_drift":true,
                 "drift_by_columns":{"x":{"column_name":"x","column_type":"num","stattest_name":"K-S p_value",
                 "stattest_threshold":0.05,"drift_score":%s,"drift_detected":true,"verdict":"drift detected",
                 "reference":{"count":300,"missing":0,"unique":300},"current":{"count":297,"missing":3,"unique":149}}}}
                """.formatted(report.column("x").driftScore()));
    }

    @Test
    void writesJsonInTheShapeOfEvidentlysReportAsDict() {
        DriftReport report = detectNumerical(numbers(300, k -> k), numbers(300, k -> k + 200));

        assertThat(report.toEvidentlyJson()).isEqualToIgnoringWhitespace("""
                {"metrics":[
                 {"metric":"DatasetDriftMetric","result":{"drift_share":0.5,"number_of_columns":1,
                  "number_of_drifted_columns":1,"share_of_drifted_columns":1.0,"dataset_drift":true}},
                 {"metric":"DataDriftTable","result":{"number_of_columns":1,"number_of_drifted_columns":1,
                  "share_of_drifted_columns":1.0,"dataset_drift":true,
                  "drift_by_columns":{"x":{"column_name":"x","column_type":"num","stattest_name":"K-S p_value",
                  "stattest_threshold":0.05,"drift_score":%s,"drift_detected":true,"verdict":"drift detected",
                  "reference":{"count":300,"missing":0,"unique":300},"current":{"count":300,"missing":0,"unique":300}}}}}]}
                """.formatted(report.column("x").driftScore()));
    }
}
