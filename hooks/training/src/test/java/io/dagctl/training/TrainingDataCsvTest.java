package io.dagctl.training;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingDataCsvTest {
    private static final String HEADER =
            "instant,dteday,season,yr,mnth,holiday,weekday,workingday,weathersit,temp,atemp,hum,windspeed,casual,registered,cnt\n";

    private static TrainingData read(String csv) {
        return TrainingData.fromBikeCsv(new StringReader(csv));
    }

    @Test
    void readsTheBikeFeaturesDateAndCountIgnoringOtherColumns() {
        TrainingData data = read(HEADER
                + "1,2011-01-01,1,0,1,0,6,0,2,0.344167,0.363625,0.805833,0.160446,331,654,985\n"
                + "2,2011-01-02,1,0,1,0,0,0,2,0.363478,0.353739,0.696087,0.248539,131,670,801\n");

        assertThat(data.featureNames()).isEqualTo(TrainingData.BIKE_FEATURES);
        assertThat(data.rows()).containsExactly(
                new TrainingData.Row(LocalDate.of(2011, 1, 1),
                        List.of(1.0, 0.0, 1.0, 0.0, 6.0, 0.0, 2.0, 0.344167, 0.363625, 0.805833, 0.160446), 985),
                new TrainingData.Row(LocalDate.of(2011, 1, 2),
                        List.of(1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 2.0, 0.363478, 0.353739, 0.696087, 0.248539), 801));
    }

    @Test
    void namesAMissingFeatureColumn() {
        assertThatThrownBy(() -> read("dteday,season,yr,mnth,holiday,weekday,workingday,weathersit,temp,atemp,windspeed,cnt\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSV header has no column 'hum'; it has "
                        + "[dteday, season, yr, mnth, holiday, weekday, workingday, weathersit, temp, atemp, windspeed, cnt]");
    }

    @Test
    void namesTheColumnAndRowOfANonNumericValue() {
        assertThatThrownBy(() -> read(HEADER
                + "1,2011-01-01,1,0,1,0,6,0,2,0.344167,0.363625,0.805833,0.160446,331,654,985\n"
                + "2,2011-01-02,1,0,1,0,0,0,2,warm,0.353739,0.696087,0.248539,131,670,801\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSV row 2 (line 3), column 'temp': 'warm' is not a number");
    }

    @Test
    void treatsAnEmptyValueAsNotANumber() {
        assertThatThrownBy(() -> read(HEADER + "1,2011-01-01,1,0,1,0,6,0,2,0.34,0.36,,0.16,331,654,985\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSV row 1 (line 2), column 'hum': '' is not a number");
    }

    @Test
    void refusesNotANumberSpelledOut() {
        assertThatThrownBy(() -> read(HEADER + "1,2011-01-01,1,0,1,0,6,0,2,0.34,0.36,0.8,0.16,331,654,NaN\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSV row 1 (line 2), column 'cnt': 'NaN' is not a number");
    }

    @Test
    void namesTheRowOfABadDate() {
        assertThatThrownBy(() -> read(HEADER + "1,2011-13-01,1,0,1,0,6,0,2,0.34,0.36,0.8,0.16,331,654,985\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSV row 1 (line 2), column 'dteday': '2011-13-01' is not a date like 2011-03-01");
    }

    @Test
    void explainsAnEmptyInput() {
        assertThatThrownBy(() -> read(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSV is empty: expected a header row naming dteday, season, yr, mnth, holiday, weekday, "
                        + "workingday, weathersit, temp, atemp, hum, windspeed and cnt");
    }

    @Test
    void reportsARowWithTooFewFields() {
        assertThatThrownBy(() -> read(HEADER + "1,2011-01-01,1,0\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSV is malformed: Record 2 has 4 fields, but first record had 16 fields");
    }

    @Test
    void keepsTheFirstRowOfEachDateInOrder() {
        TrainingData data = read(HEADER
                + "1,2011-01-02,1,0,1,0,6,0,2,0.34,0.36,0.8,0.16,331,654,1\n"
                + "2,2011-01-01,1,0,1,0,0,0,2,0.36,0.35,0.7,0.25,131,670,2\n"
                + "3,2011-01-02,1,0,1,0,0,0,2,0.36,0.35,0.7,0.25,131,670,3\n");

        assertThat(data.withoutDuplicateDates().rows()).extracting(TrainingData.Row::target).containsExactly(1.0, 2.0);
    }

    @Test
    void selectsAnInclusiveDateWindow() {
        TrainingData bikes = TrainingData.fromBikeCsv(java.nio.file.Path.of("src/test/resources/data/bikeride.csv"));

        TrainingData march = bikes.between(LocalDate.of(2011, 3, 1), LocalDate.of(2011, 3, 31));

        assertThat(bikes.size()).isEqualTo(731);
        assertThat(march.size()).isEqualTo(31);
        assertThat(march.rows().get(0).date()).isEqualTo(LocalDate.of(2011, 3, 1));
        assertThat(march.rows().get(30).date()).isEqualTo(LocalDate.of(2011, 3, 31));
    }
}
