package org.fraudplatform.streams.velocity;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * The recent payments of one card, kept in event-time order, and the velocity features computed
 * from them.
 *
 * <p>Window semantics: a window of N over an event at time t covers (t − N, t] in event time and
 * includes the event itself. Events later than t (arrived earlier, out of order) never count for t,
 * so a feature value depends only on what had happened by t.
 *
 * <p>Memory: only events inside the longest window ({@link #RETENTION}, plus the allowed lateness)
 * are kept; the first-seen instant is kept for as long as the card has state. Amounts are summed in
 * the minor units of the payment's own currency.
 *
 * <p>Not thread-safe; one instance belongs to one stream task.
 */
public final class CardHistory {

    /** The longest window any card feature reads. */
    public static final Duration RETENTION = Duration.ofDays(1);

    static final Duration TEN_MINUTES = Duration.ofMinutes(10);
    static final Duration ONE_DAY = Duration.ofDays(1);
    private static final byte FORMAT_VERSION = 1;

    private long firstSeenMillis;
    private long[] times;
    private long[] amounts;
    private int size;

    private CardHistory(long firstSeenMillis, long[] times, long[] amounts, int size) {
        this.firstSeenMillis = firstSeenMillis;
        this.times = times;
        this.amounts = amounts;
        this.size = size;
    }

    /** A card never seen before. */
    public static CardHistory empty() {
        return new CardHistory(Long.MAX_VALUE, new long[4], new long[4], 0);
    }

    /**
     * Records a payment and returns the features as of its event time (the payment included).
     *
     * @param eventTimeMillis the payment's event time
     * @param amountMinor the payment's amount in minor units
     * @param allowedLateness how far behind the newest stored event a payment may arrive; older
     *     events of the window are kept this much longer so late payments still see them
     */
    public CardFeatures record(long eventTimeMillis, long amountMinor, Duration allowedLateness) {
        Long previous = latestAtOrBefore(eventTimeMillis);
        insertSorted(eventTimeMillis, amountMinor);
        firstSeenMillis = Math.min(firstSeenMillis, eventTimeMillis);
        CardFeatures features = featuresAt(eventTimeMillis, previous);
        long newest = times[size - 1];
        evictBefore(newest - RETENTION.toMillis() - allowedLateness.toMillis());
        return features;
    }

    /** Newest event time stored, or {@code Long.MIN_VALUE} when empty. */
    public long lastSeenMillis() {
        return size == 0 ? Long.MIN_VALUE : times[size - 1];
    }

    public long firstSeenMillis() {
        return firstSeenMillis;
    }

    /** Number of payments currently held in state. */
    public int storedEvents() {
        return size;
    }

    private CardFeatures featuresAt(long t, Long previousEventMillis) {
        long count10m = 0;
        long sum10m = 0;
        long count1d = 0;
        long sum1d = 0;
        long from10m = t - TEN_MINUTES.toMillis();
        long from1d = t - ONE_DAY.toMillis();
        for (int i = 0; i < size; i++) {
            long ts = times[i];
            if (ts > t) {
                break;
            }
            if (ts > from1d) {
                count1d++;
                sum1d += amounts[i];
                if (ts > from10m) {
                    count10m++;
                    sum10m += amounts[i];
                }
            }
        }
        return new CardFeatures(
                count10m,
                sum10m,
                count1d,
                sum1d,
                (t - firstSeenMillis) / 1000,
                previousEventMillis == null ? null : (t - previousEventMillis) / 1000);
    }

    private Long latestAtOrBefore(long t) {
        for (int i = size - 1; i >= 0; i--) {
            if (times[i] <= t) {
                return times[i];
            }
        }
        return null;
    }

    private void insertSorted(long t, long amount) {
        if (size == times.length) {
            int capacity = Math.max(4, size * 2);
            times = Arrays.copyOf(times, capacity);
            amounts = Arrays.copyOf(amounts, capacity);
        }
        int pos = size;
        while (pos > 0 && times[pos - 1] > t) {
            pos--;
        }
        System.arraycopy(times, pos, times, pos + 1, size - pos);
        System.arraycopy(amounts, pos, amounts, pos + 1, size - pos);
        times[pos] = t;
        amounts[pos] = amount;
        size++;
    }

    private void evictBefore(long cutoffMillis) {
        int drop = 0;
        while (drop < size && times[drop] <= cutoffMillis) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(times, drop, times, 0, size - drop);
            System.arraycopy(amounts, drop, amounts, 0, size - drop);
            size -= drop;
        }
    }

    /** Compact binary form for the state store: version, first seen, count, (time, amount)*. */
    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(1 + 8 + 4 + size * 16);
        buffer.put(FORMAT_VERSION).putLong(firstSeenMillis).putInt(size);
        for (int i = 0; i < size; i++) {
            buffer.putLong(times[i]).putLong(amounts[i]);
        }
        return buffer.array();
    }

    /** Reads {@link #toBytes()}; refuses bytes of an unknown format rather than guessing. */
    public static CardHistory fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte version = buffer.get();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown card history format version " + version);
        }
        long firstSeen = buffer.getLong();
        int n = buffer.getInt();
        if (n < 0 || buffer.remaining() != n * 16) {
            throw new IllegalArgumentException(
                    "corrupt card history: " + n + " events but " + buffer.remaining() + " bytes");
        }
        long[] times = new long[Math.max(4, n)];
        long[] amounts = new long[Math.max(4, n)];
        for (int i = 0; i < n; i++) {
            times[i] = buffer.getLong();
            amounts[i] = buffer.getLong();
        }
        return new CardHistory(firstSeen, times, amounts, n);
    }
}
