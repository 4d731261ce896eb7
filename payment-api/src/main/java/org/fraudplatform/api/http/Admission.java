package org.fraudplatform.api.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * How much work the API takes on at once. Every request that starts a payment or a money movement
 * holds a slot from the moment it is read until its reply is sent; when every slot is taken a
 * request is refused at once with {@code 503} and {@code Retry-After}, before anything about it is
 * stored (its idempotency key stays free, so the client's retry with the same key works).
 *
 * <p>The number of slots adapts to what the platform can do now (additive increase, multiplicative
 * decrease on latency, as TCP does on loss): every {@value #WINDOW_MILLIS} ms the mean latency of
 * the requests completed in that window is compared with the target. Above it, the limit shrinks by
 * a fifth; at or below it, and if requests were refused or the slots were full, it grows by a tenth
 * (at least one). By Little's law the accepted requests then wait about the target, whatever the
 * capacity of the moment (a machine still compiling its code, a slow database), and the rest are
 * refused in microseconds instead of queueing until every answer is late. The limit stays between
 * {@value #MIN_LIMIT} and {@code maxInFlight}.
 */
public final class Admission {

    static final int MIN_LIMIT = 16;
    static final long WINDOW_MILLIS = 100;

    private final int maxInFlight;
    private final long targetNanos;
    private final LongSupplier clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int limit;

    // the current window, guarded by this
    private long windowStart;
    private long windowSum;
    private int windowCount;
    private boolean windowFull;

    /** A fixed bound: {@code maxInFlight} slots, whatever the latency. */
    public Admission(int maxInFlight) {
        this(maxInFlight, Duration.ZERO, System::nanoTime);
    }

    /**
     * An adaptive bound of at most {@code maxInFlight} slots that keeps the mean latency of
     * accepted requests near {@code latencyTarget} (zero: a fixed bound).
     */
    public Admission(int maxInFlight, Duration latencyTarget) {
        this(maxInFlight, latencyTarget, System::nanoTime);
    }

    Admission(int maxInFlight, Duration latencyTarget, LongSupplier clock) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException(
                    "maxInFlight must be at least 1, was " + maxInFlight);
        }
        if (latencyTarget.isNegative()) {
            throw new IllegalArgumentException("the latency target must not be negative");
        }
        this.maxInFlight = maxInFlight;
        this.targetNanos = latencyTarget.toNanos();
        this.clock = clock;
        this.limit =
                targetNanos == 0
                        ? maxInFlight
                        : Math.max(Math.min(MIN_LIMIT, maxInFlight), maxInFlight / 4);
        this.windowStart = clock.getAsLong();
    }

    /** Takes a slot; false, and nothing taken, when all are in use. */
    public boolean tryEnter() {
        while (true) {
            int now = inFlight.get();
            if (now >= limit) {
                if (targetNanos > 0) {
                    synchronized (this) {
                        windowFull = true;
                    }
                }
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryEnter()}; the request took {@code latencyNanos}. */
    public void leave(long latencyNanos) {
        inFlight.decrementAndGet();
        if (targetNanos == 0) {
            return;
        }
        synchronized (this) {
            windowSum += latencyNanos;
            windowCount++;
            long now = clock.getAsLong();
            if (now - windowStart >= WINDOW_MILLIS * 1_000_000L) {
                adjust();
                windowStart = now;
                windowSum = 0;
                windowCount = 0;
                windowFull = false;
            }
        }
    }

    private void adjust() {
        int floor = Math.min(MIN_LIMIT, maxInFlight);
        if (windowCount > 0 && windowSum / windowCount > targetNanos) {
            limit = Math.max(floor, limit * 4 / 5);
        } else if (windowFull || inFlight.get() + 1 >= limit) {
            limit = Math.min(maxInFlight, limit + Math.max(1, limit / 10));
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** The slots there are now. */
    public int limit() {
        return limit;
    }

    public int maxInFlight() {
        return maxInFlight;
    }
}
