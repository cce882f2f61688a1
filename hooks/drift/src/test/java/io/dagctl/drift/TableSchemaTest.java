package io.dagctl.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableSchemaTest {
    private static final TableSchema RIDES = new TableSchema("current", List.of(
            new TableSchema.Field("dteday", TableSchema.Type.DATE, false),
            new TableSchema.Field("weathersit", TableSchema.Type.INTEGER, true),
            new TableSchema.Field("temp", TableSchema.Type.DECIMAL, true),
            new TableSchema.Field("cnt", TableSchema.Type.INTEGER, false)), "dteday");
    private static final LocalDate MARCH_1 = LocalDate.of(2011, 3, 1);
    private static final LocalDate MARCH_3 = LocalDate.of(2011, 3, 3);

    private static CheckedWindow read(String csv) {
        return RIDES.readWindow(new StringReader(csv), "rides.csv", MARCH_1,
                MARCH_3);
    }

    @Test
    void readsTheWindowsRowsInTheSchemasColumnOrderAndSkipsRowsOutsideItUnchecked() {
        CheckedWindow window = read("""
                cnt,temp,dteday,weathersit,extra
                not a number,,2011-02-28,,ignored
                100,0.25,2011-03-01,1,x
                120,1e-1,2011-03-02,2,y
                oops,0x1p-2,2011-03-04,1.5,z
                """);

        assertThat(window.rows()).containsExactly(List.of("2011-03-01", "1", "0.25", "100"),
                List.of("2011-03-02", "2", "1e-1", "120"));
        assertThat(window.missingDays()).containsExactly(MARCH_3);
    }

    @Test
    void keepsMissingCellsOfColumnsThatMayBeMissingAsMissingValues() {
        CheckedWindow window = read("""
                dteday,weathersit,temp,cnt
                2011-03-01,,NaN,100
                2011-03-02,2,0.5,120
                2011-03-03,NA,0.75,130
                """);

        Dataset dataset = window.toDataset();
        assertThat(((Column.Numbers) dataset.column("temp")).values()).containsExactly(Double.NaN, 0.5, 0.75);
        assertThat(((Column.Numbers) dataset.column("weathersit")).values()).containsExactly(Double.NaN, 2, Double.NaN);
        assertThat(window.missingDays()).isEmpty();
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        window.writeCsv(csv);
        assertThat(csv.toString(StandardCharsets.UTF_8)).isEqualToNormalizingNewlines("""
                dteday,weathersit,temp,cnt
                2011-03-01,,,100
                2011-03-02,2,0.5,120
                2011-03-03,,0.75,130
                """);
    }

    @Test
    void refusesADecimalInAnIntegerColumnWithLineAndColumn() {
        assertThatThrownBy(() -> read("dteday,weathersit,temp,cnt\n2011-03-01,1,0.2,100\n2011-03-02,1,0.2,100.0\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("CSV rides.csv line 3, column 'cnt': '100.0' is not a whole number, which column 'cnt' of "
                        + "table 'current' holds");
    }

    @Test
    void refusesAnExponentInAnIntegerColumn() {
        assertThatThrownBy(() -> read("dteday,weathersit,temp,cnt\n2011-03-01,1e0,0.2,100\n"))
                .hasMessage("CSV rides.csv line 2, column 'weathersit': '1e0' is not a whole number, which column "
                        + "'weathersit' of table 'current' holds");
    }

    @Test
    void refusesAnIntegerBeyondSixtyFourBits() {
        assertThatThrownBy(() -> read("dteday,weathersit,temp,cnt\n2011-03-01,1,0.2,9223372036854775808\n"))
                .hasMessage("CSV rides.csv line 2, column 'cnt': '9223372036854775808' is not a whole number, which "
                        + "column 'cnt' of table 'current' holds");
    }

    @Test
    void refusesAHexFloatThatJavaAndPostgresqlWouldBothAccept() {
        assertThatThrownBy(() -> read("dteday,weathersit,temp,cnt\n2011-03-01,1,0x1p-2,100\n"))
                .hasMessage("CSV rides.csv line 2, column 'temp': '0x1p-2' is not a finite decimal number (digits, an "
                        + "optional point and exponent)");
    }

    @Test
    void refusesInfinityAndATypeSuffixInADecimalColumn() {
        assertThatThrownBy(() -> read("dteday,weathersit,temp,cnt\n2011-03-01,1,Infinity,100\n"))
                .hasMessageContaining("line 2, column 'temp': 'Infinity' is not a finite decimal number");
        assertThatThrownBy(() -> read("dteday,weathersit,temp,cnt\n2011-03-01,1,0.5d,100\n"))
                .hasMessageContaining("line 2, column 'temp': '0.5d' is not a finite decimal number");
    }

    @Test
    void refusesADayThatRepeatsAnEarlierRowsInTheWindow() {
        assertThatThrownBy(() -> read("""
                dteday,weathersit,temp,cnt
                2011-03-01,1,0.2,100
                2011-03-02,1,0.2,100
                2011-03-01,1,0.3,90
                """))
                .hasMessage("CSV rides.csv line 4, column 'dteday': 2011-03-01 repeats the day of line 2; table "
                        + "'current' holds one row per day");
    }

    @Test
    void acceptsRepeatedDaysOutsideTheWindow() {
        assertThat(read("""
                dteday,weathersit,temp,cnt
                2011-02-01,1,0.2,100
                2011-02-01,1,0.2,100
                2011-03-01,1,0.2,100
                """).size()).isEqualTo(1);
    }

    @Test
    void refusesAMissingCellInAColumnThatCannotBeMissing() {
        assertThatThrownBy(() -> read("dteday,weathersit,temp,cnt\n2011-03-01,1,0.2,\n"))
                .hasMessage("CSV rides.csv line 2, column 'cnt': a value is missing, and column 'cnt' of table "
                        + "'current' cannot be missing");
    }

    @Test
    void refusesARowWithoutADateWhereverItIs() {
        assertThatThrownBy(() -> read("dteday,weathersit,temp,cnt\n,1,0.2,5\n"))
                .hasMessage("CSV rides.csv line 2, column 'dteday': '' is not a date (yyyy-MM-dd)");
    }

    @Test
    void namesAColumnTheTableNeedsThatTheCsvLacks() {
        assertThatThrownBy(() -> read("dteday,weathersit,temp\n2011-03-01,1,0.2\n"))
                .hasMessage("CSV rides.csv: no column 'cnt', which table 'current' needs; columns found are "
                        + "[dteday, weathersit, temp]");
    }
}
