package io.dagctl.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetsTest {
    private static final ColumnMapping MAPPING = ColumnMapping.of("day", List.of("temp"), List.of("weather"));

    private static Dataset read(String csv) {
        return Datasets.readCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "rides.csv", MAPPING);
    }

    @Test
    void readsMappedColumnsAndTreatsPandasMissingSpellingsAsMissing() {
        Dataset dataset = read("""
                day,temp,weather,ignored
                2011-01-01,0.5,sunny,x
                2011-01-02,,NA,y
                2011-01-03,NaN,rain,z
                2011-01-04,-inf,,w
                """);

        assertThat(dataset.columnNames()).containsExactly("day", "temp", "weather");
        assertThat(((Column.Numbers) dataset.column("temp")).values())
                .containsExactly(0.5, Double.NaN, Double.NaN, Double.NEGATIVE_INFINITY);
        assertThat(((Column.Texts) dataset.column("weather")).values()).containsExactly("sunny", null, "rain", null);
    }

    @Test
    void namesTheMissingColumnAndTheColumnsFound() {
        assertThatThrownBy(() -> read("day,weather\n2011-01-01,sunny\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("CSV rides.csv: no column 'temp'; columns found are [day, weather]");
    }

    @Test
    void namesTheLineOfARaggedRow() {
        assertThatThrownBy(() -> read("day,temp,weather\n2011-01-01,0.5,sunny\n2011-01-02,0.6\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("CSV rides.csv line 3: 2 fields but the header has 3");
    }

    @Test
    void namesColumnLineAndValueOfANonNumericValue() {
        assertThatThrownBy(() -> read("day,temp,weather\n2011-01-01,0.5,sunny\n2011-01-02,warm,rain\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("CSV rides.csv line 3: column 'temp' holds 'warm', which is not a number");
    }

    @Test
    void rejectsJavaOnlyNumberSpellings() {
        assertThatThrownBy(() -> read("day,temp,weather\n2011-01-01,1.5d,sunny\n"))
                .hasMessage("CSV rides.csv line 2: column 'temp' holds '1.5d', which is not a number");
    }

    @Test
    void selectsRowsBetweenTwoDatesInclusive() {
        Dataset dataset = read("""
                day,temp,weather
                2011-01-01,1,a
                2011-01-02,2,b
                2011-01-03 12:00:00,3,c
                2011-01-04,4,d
                """);

        Dataset window = dataset.betweenDates("day", LocalDate.of(2011, 1, 2), LocalDate.of(2011, 1, 3));

        assertThat(((Column.Numbers) window.column("temp")).values()).containsExactly(2, 3);
        assertThat(window.rowCount()).isEqualTo(2);
    }

    @Test
    void namesTheRowOfAnUnreadableDate() {
        Dataset dataset = read("day,temp,weather\n01/02/2011,1,a\n");

        assertThatThrownBy(() -> dataset.betweenDates("day", LocalDate.MIN, LocalDate.MAX))
                .hasMessage("Dataset: date column 'day' row 0 holds '01/02/2011', not an ISO date (yyyy-MM-dd)");
    }
}
