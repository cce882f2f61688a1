package io.dagctl.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.Dag;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.internal.discovery.DagDiscovery;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsSpecTest {

    enum Window { DAY, WEEK }

    record DriftParams(
            @Param(defaultValue = "2011-01-01") LocalDate startDate,
            @Param(defaultValue = "2011-03-01") LocalDate endDate,
            Window window,
            @Param(defaultValue = "0.05") double threshold,
            @Param(defaultValue = "false") Boolean strict,
            @Param(defaultValue = "3") long limit,
            @Param(defaultValue = "PT1H") Duration timeout,
            @Param(defaultValue = "2011-01-01T00:00:00Z") Instant since,
            @Param(defaultValue = "2011-01-01T06:30") LocalDateTime at,
            @Param(defaultValue = "s3://bikes/rides.csv") URI source,
            @Param(defaultValue = "rides") String table) {

        DriftParams {
            if (!startDate.isBefore(endDate)) {
                throw new IllegalArgumentException("startDate " + startDate + " must be before endDate " + endDate);
            }
        }
    }

    @Dag(id = "detect_data_drift", params = DriftParams.class)
    static class DetectDataDrift {
        @Task
        void detect(DriftParams params) {
        }
    }

    private final ParamsSpec params = DagDiscovery.load(DetectDataDrift.class).params();

    @Test
    void bindsTextValuesAndFillsInTheDefaults() {
        Record bound = params.bind(Map.of("window", "WEEK", "startDate", "2011-02-01", "strict", "true"));

        assertThat(bound).isEqualTo(new DriftParams(LocalDate.of(2011, 2, 1), LocalDate.of(2011, 3, 1), Window.WEEK,
                0.05, true, 3L, Duration.ofHours(1), Instant.parse("2011-01-01T00:00:00Z"),
                LocalDateTime.of(2011, 1, 1, 6, 30), URI.create("s3://bikes/rides.csv"), "rides"));
    }

    @Test
    void listsTheValuesItWouldUseInDeclarationOrder() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("table", "trips");
        given.put("window", "DAY");

        assertThat(params.withDefaults(given).keySet()).containsExactly("startDate", "endDate", "window",
                "threshold", "strict", "limit", "timeout", "since", "at", "source", "table");
        assertThat(params.withDefaults(given)).containsEntry("table", "trips").containsEntry("limit", "3");
    }

    @Test
    void refusesAnUnknownParamSuggestingTheClosestName() {
        assertThatThrownBy(() -> params.bind(Map.of("startdate", "2011-03-01", "window", "DAY")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown param 'startdate' for DAG detect_data_drift (did you mean 'startDate'?)");
        assertThatThrownBy(() -> params.bind(Map.of("colour", "red")))
                .hasMessage("unknown param 'colour' for DAG detect_data_drift (its params are startDate, endDate, "
                        + "window, threshold, strict, limit, timeout, since, at, source, table)");
    }

    @Test
    void refusesAMissingRequiredParam() {
        assertThatThrownBy(() -> params.bind(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("param 'window' is required");
    }

    @Test
    void refusesValuesThatDoNotParseAsTheirType() {
        assertThatThrownBy(() -> params.bind(Map.of("window", "DAY", "startDate", "2011-13-01")))
                .hasMessage("param 'startDate': '2011-13-01' is not a date (yyyy-MM-dd)");
        assertThatThrownBy(() -> params.bind(Map.of("window", "MONTH")))
                .hasMessage("param 'window': 'MONTH' is not one of DAY, WEEK");
        assertThatThrownBy(() -> params.bind(Map.of("window", "DAY", "strict", "yes")))
                .hasMessage("param 'strict': 'yes' is not a boolean (true or false)");
        assertThatThrownBy(() -> params.bind(Map.of("window", "DAY", "limit", "3.5")))
                .hasMessage("param 'limit': '3.5' is not a long");
        assertThatThrownBy(() -> params.bind(Map.of("window", "DAY", "timeout", "1h")))
                .hasMessage("param 'timeout': '1h' is not an ISO-8601 duration (e.g. PT30M)");
        assertThatThrownBy(() -> params.bind(Map.of("window", "DAY", "source", "s3://bikes/a b")))
                .hasMessage("param 'source': 's3://bikes/a b' is not a URI");
    }

    @Test
    void prefixesTheRecordsOwnValidationWithTheDag() {
        assertThatThrownBy(() -> params.bind(Map.of("window", "DAY", "startDate", "2011-04-01")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("params of DAG detect_data_drift: startDate 2011-04-01 must be before endDate 2011-03-01");
    }

    @Test
    void bindsTheEmptyParamsOfADagThatDeclaresNone() {
        ParamsSpec none = new ParamsSpec("bookings", Dag.NoParams.class, java.util.List.of());

        assertThat(none.bind(Map.of())).isEqualTo(new Dag.NoParams());
        assertThatThrownBy(() -> none.bind(Map.of("startDate", "2011-03-01")))
                .hasMessage("unknown param 'startDate' for DAG bookings (it takes no params)");
    }
}
