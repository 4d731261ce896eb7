package org.fraudplatform.api.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How much work the API takes on at once. Every request that starts a payment or a money movement
 * holds a slot from the moment it is read until its reply is sent; past {@code maxInFlight} slots a
 * request is refused at once with {@code 503} and {@code Retry-After}, before anything about it is
 * stored (its idempotency key stays free, so the client's retry with the same key works). Beyond
 * capacity the platform then answers the requests it took within a bounded time and refuses the
 * rest in microseconds, instead of queueing everything until every answer is late.
 *
 * <p>By Little's law the bound caps the wait of an accepted request at about {@code maxInFlight /
 * throughput}: 256 slots at 1 000 payments/s is a quarter of a second.
 */
public final class Admission {

    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();

    public Admission(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException(
                    "maxInFlight must be at least 1, was " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    /** Takes a slot; false, and nothing taken, when all are in use. */
    public boolean tryEnter() {
        while (true) {
            int now = inFlight.get();
            if (now >= maxInFlight) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryEnter()}. */
    public void leave() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int maxInFlight() {
        return maxInFlight;
    }
}
