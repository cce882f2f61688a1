package io.dagctl.internal.schedule;

import io.dagctl.DataInterval;
import io.dagctl.spec.DagSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The next runs a DAG's schedule will create, from where the scheduler stands: what {@code dagctl next} prints. */
public final class Upcoming {
    private Upcoming() {
    }

    /**
     * Up to {@code count} intervals, the next one first, given the newest scheduled logical date and since when the
     * scheduler knows the DAG; fewer when the schedule ends, none when the DAG has no time schedule.
     */
    public static List<DataInterval> intervals(DagSpec dag, Optional<Instant> lastLogicalDate, Instant knownSince,
            Instant now, int count) {
        Optional<Timetable> timetable = Timetable.of(dag);
        List<DataInterval> intervals = new ArrayList<>();
        if (timetable.isEmpty()) {
            return intervals;
        }
        Optional<DataInterval> next = timetable.get().next(lastLogicalDate, knownSince, now);
        while (next.isPresent() && intervals.size() < count) {
            intervals.add(next.get());
            next = timetable.get().intervalStartingAfter(next.get().start()).filter(timetable.get()::withinEndDate);
        }
        return intervals;
    }
}
