package org.fraudplatform.api.keys;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most one second's worth saved up (so a
 * key may burst to its limit after a pause, never beyond it). One bucket per key per API instance,
 * at the instance's share of the key's limit ({@link #rateTo}); taking a token is a few arithmetic
 * operations under the bucket's lock, no I/O.
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private volatile int ratePerSecond;
    private final LongSupplier nanoClock;
    private double capacity;
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
        return tryTake(true);
    }

    private long tryTake(boolean take) {
        long now = nanoClock.getAsLong();
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens =
                    Math.min(
                            capacity, tokens + elapsed * (double) ratePerSecond / NANOS_PER_SECOND);
            last = now;
        }
        if (!take) {
            return 0;
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

    /**
     * Changes the rate from now on (the instance's share of the limit changed): the tokens saved up
     * so far stay, up to one second's worth of the new rate.
     */
    public void rateTo(int ratePerSecond) {
        if (ratePerSecond == this.ratePerSecond) {
            return;
        }
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException(
                    "a rate limit is at least 1 request/s, was " + ratePerSecond);
        }
        synchronized (this) {
            tryTake(false); // the tokens earned at the old rate until now
            this.ratePerSecond = ratePerSecond;
            this.capacity = ratePerSecond;
            tokens = Math.min(tokens, capacity);
        }
    }
}
