package io.dagctl.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.Dag;
import io.dagctl.DataInterval;
import io.dagctl.Task;
import io.dagctl.internal.discovery.DagDiscovery;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimetableTest {
    @Dag(id = "hourly_catchup", schedule = "@hourly", startDate = "2024-01-01", catchup = true)
    static final class HourlyCatchup {
        @Task
        void work() {
        }
    }

    @Dag(id = "hourly_latest", schedule = "0 * * * *", startDate = "2024-01-01")
    static final class HourlyLatest {
        @Task
        void work() {
        }
    }

    @Dag(id = "daily_until", schedule = "@daily", startDate = "2024-01-01", endDate = "2024-01-03", catchup = true)
    static final class DailyUntil {
        @Task
        void work() {
        }
    }

    @Dag(id = "daily_berlin", schedule = "@daily", timezone = "Europe/Berlin", startDate = "2024-03-29", catchup = true)
    static final class DailyBerlin {
        @Task
        void work() {
        }
    }

    @Dag(id = "weekly_monday", schedule = "0 11 * * MON")
    static final class WeeklyMonday {
        @Task
        void work() {
        }
    }

    private static Timetable timetable(Class<?> dag) {
        return Timetable.of(DagDiscovery.load(dag)).orElseThrow();
    }

    private static DataInterval interval(String start, String end) {
        return new DataInterval(Instant.parse(start), Instant.parse(end));
    }

    private static final Instant IRRELEVANT = Instant.parse("2000-01-01T00:00:00Z");

    @Test
    void theFirstIntervalStartsAtTheStartDateAndEndsAtTheNextTick() {
        assertThat(timetable(HourlyCatchup.class).next(Optional.empty(), IRRELEVANT,
                Instant.parse("2024-01-01T05:30:00Z")))
                .contains(interval("2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z"));
    }

    @Test
    void catchingUpTakesTheIntervalAfterTheLastRunEvenWhenLater() {
        assertThat(timetable(HourlyCatchup.class).next(Optional.of(Instant.parse("2024-01-01T02:00:00Z")),
                IRRELEVANT, Instant.parse("2024-01-02T00:00:00Z")))
                .contains(interval("2024-01-01T03:00:00Z", "2024-01-01T04:00:00Z"));
    }

    @Test
    void withoutCatchupTheLatestEndedIntervalComesNext() {
        Timetable hourly = timetable(HourlyLatest.class);
        Instant now = Instant.parse("2024-01-01T05:30:00Z");
        assertThat(hourly.next(Optional.empty(), IRRELEVANT, now))
                .contains(interval("2024-01-01T04:00:00Z", "2024-01-01T05:00:00Z"));
        assertThat(hourly.next(Optional.of(Instant.parse("2024-01-01T01:00:00Z")), IRRELEVANT, now))
                .contains(interval("2024-01-01T04:00:00Z", "2024-01-01T05:00:00Z"));
        assertThat(hourly.next(Optional.of(Instant.parse("2024-01-01T04:00:00Z")), IRRELEVANT, now))
                .contains(interval("2024-01-01T05:00:00Z", "2024-01-01T06:00:00Z"));
    }

    @Test
    void anIntervalEndingExactlyNowHasEnded() {
        assertThat(timetable(HourlyLatest.class).next(Optional.empty(), IRRELEVANT,
                Instant.parse("2024-01-01T05:00:00Z")))
                .contains(interval("2024-01-01T04:00:00Z", "2024-01-01T05:00:00Z"));
    }

    @Test
    void theScheduleEndsWithTheLastLogicalDateOnTheEndDate() {
        Timetable daily = timetable(DailyUntil.class);
        Instant later = Instant.parse("2024-02-01T00:00:00Z");
        assertThat(daily.next(Optional.of(Instant.parse("2024-01-02T00:00:00Z")), IRRELEVANT, later))
                .contains(interval("2024-01-03T00:00:00Z", "2024-01-04T00:00:00Z"));
        assertThat(daily.next(Optional.of(Instant.parse("2024-01-03T00:00:00Z")), IRRELEVANT, later)).isEmpty();
    }

    @Test
    void dailyIntervalsInBerlinLast23HoursInSpringAnd25InAutumn() {
        Timetable berlin = timetable(DailyBerlin.class);
        DataInterval spring = berlin.intervalStartingAfter(Instant.parse("2024-03-29T23:00:00Z")).orElseThrow();
        assertThat(spring).isEqualTo(interval("2024-03-30T23:00:00Z", "2024-03-31T22:00:00Z"));
        assertThat(Duration.between(spring.start(), spring.end())).isEqualTo(Duration.ofHours(23));
        DataInterval autumn = berlin.intervalStartingAfter(Instant.parse("2024-10-25T22:00:00Z")).orElseThrow();
        assertThat(autumn).isEqualTo(interval("2024-10-26T22:00:00Z", "2024-10-27T23:00:00Z"));
        assertThat(Duration.between(autumn.start(), autumn.end())).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void theStartDateIsMidnightInTheDagsZone() {
        assertThat(timetable(DailyBerlin.class).next(Optional.empty(), IRRELEVANT,
                Instant.parse("2024-04-01T00:00:00Z")))
                .contains(interval("2024-03-28T23:00:00Z", "2024-03-29T23:00:00Z"));
    }

    @Test
    void withoutAStartDateTheFirstRunComesAtTheFirstTickAfterTheSchedulerSawTheDag() {
        Instant wednesday = Instant.parse("2026-11-18T09:00:00Z");
        assertThat(timetable(WeeklyMonday.class).next(Optional.empty(), wednesday, wednesday))
                .contains(interval("2026-11-16T11:00:00Z", "2026-11-23T11:00:00Z"));
        Instant mondayAtEleven = Instant.parse("2026-11-23T11:00:00Z");
        assertThat(timetable(WeeklyMonday.class).next(Optional.empty(), mondayAtEleven, mondayAtEleven))
                .contains(interval("2026-11-23T11:00:00Z", "2026-11-30T11:00:00Z"));
    }

    @Test
    void betweenListsTheIntervalsWhoseLogicalDatesFallOnTheDaysGiven() {
        assertThat(timetable(DailyBerlin.class).between(LocalDate.parse("2024-03-30"), LocalDate.parse("2024-03-31")))
                .containsExactly(interval("2024-03-29T23:00:00Z", "2024-03-30T23:00:00Z"),
                        interval("2024-03-30T23:00:00Z", "2024-03-31T22:00:00Z"));
    }
}
