package io.dagctl.internal.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.dagctl.DataInterval;
import io.dagctl.internal.discovery.DefinitionRules;
import io.dagctl.spec.DagSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Airflow's cron data intervals for one DAG: an interval runs from one cron tick to the next, in the DAG's time
 * zone (so a daily interval spanning a DST change lasts 23 or 25 hours); a run's logical date is the start of its
 * interval, and the run is due once the interval has ended.
 */
public final class Timetable {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String dagId;
    private final ExecutionTime ticks;
    private final ZoneId zone;
    private final Optional<Instant> start;
    private final Optional<Instant> end;
    private final boolean catchup;

    private Timetable(DagSpec dag) {
        this.dagId = dag.id();
        this.ticks = ExecutionTime.forCron(PARSER.parse(DefinitionRules.cronExpression(dag.schedule())));
        this.zone = dag.timezone();
        this.start = dag.startDate().map(this::midnight);
        this.end = dag.endDate().map(this::midnight);
        this.catchup = dag.catchup();
    }

    /** The timetable of a DAG with a time schedule. */
    public static Optional<Timetable> of(DagSpec dag) {
        return dag.schedule().isBlank() ? Optional.empty() : Optional.of(new Timetable(dag));
    }

    private Instant midnight(LocalDate date) {
        return date.atStartOfDay(zone).toInstant();
    }

    /**
     * The next interval to run, due or not: the one after {@code lastLogicalDate}, or else the first starting at or
     * after the start date; a DAG without one starts with the interval in progress when the scheduler first saw it
     * ({@code knownSince}), so that its first run comes at the next tick. Without catchup, the latest interval that
     * has ended by {@code now} is taken when that is later. Empty when the schedule has ended.
     */
    public Optional<DataInterval> next(Optional<Instant> lastLogicalDate, Instant knownSince, Instant now) {
        Instant earliest = start.orElseGet(() -> tickAtOrBefore(knownSince).orElse(knownSince));
        Optional<DataInterval> next = lastLogicalDate.isPresent()
                ? intervalStartingAfter(lastLogicalDate.get())
                : intervalStartingAtOrAfter(earliest);
        if (!catchup && next.isPresent()) {
            Optional<DataInterval> latest = latestEndedBy(now).filter(i -> !i.start().isBefore(earliest));
            if (latest.isPresent() && latest.get().start().isAfter(next.get().start())) {
                next = latest;
            }
        }
        return next.filter(this::withinEndDate);
    }

    /** The intervals whose logical dates fall in {@code [from, to]} (days in the DAG's zone, both included). */
    public List<DataInterval> between(LocalDate from, LocalDate to) {
        List<DataInterval> intervals = new ArrayList<>();
        Instant until = midnight(to.plusDays(1));
        Optional<DataInterval> next = intervalStartingAtOrAfter(midnight(from));
        while (next.isPresent() && next.get().start().isBefore(until)) {
            intervals.add(next.get());
            next = intervalStartingAfter(next.get().start());
        }
        return intervals;
    }

    /** The interval that follows one starting at {@code logicalDate}. */
    public Optional<DataInterval> intervalStartingAfter(Instant logicalDate) {
        return ticks.nextExecution(logicalDate.atZone(zone)).flatMap(this::intervalFrom);
    }

    public boolean withinEndDate(DataInterval interval) {
        return end.isEmpty() || !interval.start().isAfter(end.get());
    }

    public ZoneId zone() {
        return zone;
    }

    private Optional<DataInterval> intervalStartingAtOrAfter(Instant instant) {
        ZonedDateTime at = instant.atZone(zone);
        if (at.truncatedTo(ChronoUnit.MINUTES).equals(at) && ticks.isMatch(at)) {
            return intervalFrom(at);
        }
        return ticks.nextExecution(at).flatMap(this::intervalFrom);
    }

    private Optional<DataInterval> latestEndedBy(Instant now) {
        return tickAtOrBefore(now).map(e -> e.atZone(zone)).flatMap(e -> ticks.lastExecution(e)
                .map(s -> new DataInterval(s.toInstant(), e.toInstant())));
    }

    private Optional<Instant> tickAtOrBefore(Instant instant) {
        ZonedDateTime at = instant.atZone(zone);
        return (at.truncatedTo(ChronoUnit.MINUTES).equals(at) && ticks.isMatch(at) ? Optional.of(at)
                : ticks.lastExecution(at)).map(ZonedDateTime::toInstant);
    }

    private Optional<DataInterval> intervalFrom(ZonedDateTime startTick) {
        return ticks.nextExecution(startTick).map(e -> new DataInterval(startTick.toInstant(), e.toInstant()));
    }

    @Override
    public String toString() {
        return "timetable of " + dagId;
    }
}
