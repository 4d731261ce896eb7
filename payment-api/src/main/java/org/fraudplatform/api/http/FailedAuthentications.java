package org.fraudplatform.api.http;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Failed authentications per source address, in fixed one-minute windows. An address with more than
 * {@code perMinute} failures in its window is slowed down until the window ends: the API then
 * answers its requests with {@code 429} unless they carry a key this instance already knows to be
 * valid, and looks nothing up in the database for it (so a merchant's checkout behind the same
 * address keeps working, and guessing keys costs the guesser a minute per few tries). Nothing
 * waits: no server thread sleeps.
 *
 * <p>The address is the TCP peer's; behind a proxy or load balancer it is the proxy's (no
 * forwarded-for header is trusted).
 */
public final class FailedAuthentications {

    /** Failures per address and minute before it is slowed down. */
    public static final int DEFAULT_PER_MINUTE = 30;

    private static final long WINDOW_NANOS = 60_000_000_000L;
    private static final int MAX_ADDRESSES = 100_000;

    private final int perMinute;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<InetAddress, Window> windows = new ConcurrentHashMap<>();

    public FailedAuthentications(int perMinute, LongSupplier nanoClock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1");
        }
        this.perMinute = perMinute;
        this.nanoClock = nanoClock;
    }

    private static final class Window {
        final long start;
        volatile int failures;

        Window(long start) {
            this.start = start;
        }
    }

    /** Counts one failure from the address. */
    public void failed(InetAddress address) {
        long now = nanoClock.getAsLong();
        if (windows.size() > MAX_ADDRESSES) {
            windows.values().removeIf(w -> now - w.start >= WINDOW_NANOS);
        }
        windows.compute(
                address,
                (a, w) -> {
                    Window current =
                            w == null || now - w.start >= WINDOW_NANOS ? new Window(now) : w;
                    current.failures++;
                    return current;
                });
    }

    /** Seconds until the address may try again, or 0 when it is not slowed down now. */
    public long retryAfterSeconds(InetAddress address) {
        Window w = windows.get(address);
        if (w == null) {
            return 0;
        }
        long elapsed = nanoClock.getAsLong() - w.start;
        if (elapsed >= WINDOW_NANOS || w.failures <= perMinute) {
            return 0;
        }
        return Math.max(1, (WINDOW_NANOS - elapsed + 999_999_999L) / 1_000_000_000L);
    }
}
