package org.fraudplatform.api.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock and a monotonic clock that a test moves together, by hand. */
public final class TestClocks extends Clock {

    private volatile Instant now;

    public TestClocks(Instant start) {
        this.now = start;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    /** Nanoseconds on the same time line, as {@link System#nanoTime()} would count them. */
    public long nanos() {
        Instant n = now;
        return n.getEpochSecond() * 1_000_000_000L + n.getNano();
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
