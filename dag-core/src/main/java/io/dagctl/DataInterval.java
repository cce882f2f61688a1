package io.dagctl;

import java.time.Instant;
import java.util.Objects;

/** The span of data a run covers: start inclusive, end exclusive. A manual run's interval is empty at its logical date. */
public record DataInterval(Instant start, Instant end) {
    public DataInterval {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("data interval ends (" + end + ") before it starts (" + start + ")");
        }
    }
}
