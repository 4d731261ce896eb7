package org.fraudplatform.api.keys;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most one second's worth saved up (so a
 * key may burst to its limit after a pause, never beyond it). One bucket per key per API instance;
 * taking a token is a few arithmetic operations under the bucket's lock, no I/O.
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int ratePerSecond;
    private final LongSupplier nanoClock;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(int ratePerSecond) {
        this(ratePerSecond, System::nanoTime);
    }

    /** A bucket on the given clock (nanoseconds, as {@link System#nanoTime()}), full. */
    public TokenBucket(int ratePerSecond, LongSupplier nanoClock) {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException(
                    "a rate limit is at least 1 request/s, was " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.nanoClock = nanoClock;
        this.capacity = ratePerSecond;
        this.tokens = capacity;
        this.last = nanoClock.getAsLong();
    }

    /**
     * Takes a token if there is one.
     *
     * @return 0 when a token was taken; otherwise the nanoseconds until the next token (nothing
     *     taken)
     */
    public synchronized long tryTake() {
        long now = nanoClock.getAsLong();
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens =
                    Math.min(
                            capacity, tokens + elapsed * (double) ratePerSecond / NANOS_PER_SECOND);
            last = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) * NANOS_PER_SECOND / ratePerSecond);
    }

    public int ratePerSecond() {
        return ratePerSecond;
    }
}
