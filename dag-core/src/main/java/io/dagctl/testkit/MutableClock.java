package io.dagctl.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock a test moves by hand, for what reads the time through a {@link Clock} (the scheduler, say). */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /** A clock that shows {@code start} until moved. */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** From now on the clock shows {@code instant}. */
    public void set(Instant instant) {
        now = instant;
    }

    /** Moves the clock forward by {@code duration}. */
    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
