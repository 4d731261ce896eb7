package org.fraudplatform.features;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one entity (one card, one IP, one merchant …): its payments inside the retention, in
 * event-time order, with what is known about each (declined, fraud), and the features computed from
 * them. The same code runs in the Kafka Streams topology and in the Flink backfill, so both compute
 * the same numbers.
 *
 * <p>Exact: every payment inside the retention is kept (no buckets). Per payment the state holds
 * its time, amount, outcome times and 64-bit hashes of its other keys (merchant, country, IP,
 * device, card) for the distinct counts; two different values of one key share a hash with a
 * probability of about n²/2⁶⁵ for n values, below 10⁻¹⁴ for any window here.
 *
 * <p>Memory: about 90 bytes per payment kept; a card paying ten times a day holds some 300 payments
 * (30-day windows); a merchant holds every payment of its longest lagged window (37 days), which is
 * what an exact count costs.
 *
 * <p>Not thread-safe; one instance belongs to one key of one task.
 */
public final class EntityHistory implements EntityState {

    static final byte FORMAT_VERSION = 1;
    private static final long UNKNOWN = Long.MAX_VALUE;

    private long firstSeen = Long.MAX_VALUE;
    private long newest = Long.MIN_VALUE;
    private int size;
    private long[] times;
    private long[] amounts;
    private long[] merchantHashes;
    private long[] countryHashes;
    private long[] ipHashes;
    private long[] deviceHashes;
    private long[] cardHashes;
    private long[] declinedAt;
    private long[] fraudAt;
    private String[] ids;
    private long[] scratch = new long[16];

    private EntityHistory(int capacity) {
        allocate(Math.max(4, capacity));
    }

    /** An entity never seen before. */
    public static EntityHistory empty() {
        return new EntityHistory(4);
    }

    /**
     * Records a payment and returns this entity's features as of its event time, the payment
     * included, in catalogue order; absent values are left out.
     *
     * <p>Idempotent: a payment already held (same id, same time), as a replay after a crash
     * delivers it, is not counted again; its features are computed as they stand.
     *
     * @throws LateEventException if the payment is further behind the newest than the grace; the
     *     state is then unchanged
     */
    @Override
    public Map<String, Double> record(
            FeaturePayment payment,
            Entity entity,
            FeatureCatalogue catalogue,
            SourcePosition position) {
        // every payment inside the retention is held by id: a replay is found by its id, wherever
        // it came from
        long t = payment.timeMillis();
        int held = indexOf(payment.transactionId(), t);
        if (held >= 0) {
            return compute(held, t, catalogue.features(entity));
        }
        long retention = catalogue.retention(entity).toMillis();
        if (size > 0 && newest < t - retention) {
            clear();
        }
        long grace = catalogue.grace().toMillis();
        if (size > 0 && t < newest - grace) {
            throw new LateEventException(
                    entity.prefix()
                            + " payment "
                            + payment.transactionId()
                            + " at "
                            + t
                            + " is "
                            + (newest - t)
                            + " ms behind the "
                            + entity.prefix()
                            + "'s newest payment; the grace is "
                            + grace
                            + " ms");
        }
        int pos = insert(payment);
        firstSeen = Math.min(firstSeen, t);
        newest = Math.max(newest, t);
        Map<String, Double> values = compute(pos, t, catalogue.features(entity));
        evictUpTo(newest - retention);
        return values;
    }

    /**
     * Records an outcome of a payment this entity holds. Returns false when the payment is not held
     * (never seen here, or already out of every window), in which case nothing changes.
     */
    @Override
    public boolean apply(FeatureOutcome outcome) {
        for (int i = size - 1; i >= 0; i--) {
            if (ids[i].equals(outcome.transactionId())) {
                if (outcome.kind() == FeatureOutcome.Kind.DECLINED) {
                    declinedAt[i] = Math.min(declinedAt[i], outcome.knownAtMillis());
                } else {
                    fraudAt[i] = Math.min(fraudAt[i], outcome.knownAtMillis());
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Whether nothing in this state can affect a feature of a payment at {@code nowMillis} or
     * later: the newest payment is older than the retention. Such state may be deleted.
     */
    @Override
    public boolean expired(long nowMillis, Entity entity, FeatureCatalogue catalogue) {
        return size == 0 || newest < nowMillis - catalogue.retention(entity).toMillis();
    }

    /** Payments held. */
    @Override
    public int storedPayments() {
        return size;
    }

    private int indexOf(String transactionId, long t) {
        for (int i = size - 1; i >= 0 && times[i] >= t; i--) {
            if (times[i] == t && ids[i].equals(transactionId)) {
                return i;
            }
        }
        return -1;
    }

    private Map<String, Double> compute(int pos, long t, List<FeatureDefinition> definitions) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (FeatureDefinition f : definitions) {
            Double v = value(f, pos, t);
            if (v != null) {
                values.put(f.name(), v);
            }
        }
        return values;
    }

    private Double value(FeatureDefinition f, int pos, long t) {
        long hi = t - f.lag().toMillis();
        long lo = hi - f.window().toMillis();
        switch (f.aggregation()) {
            case COUNT -> {
                long n = 0;
                for (int i = 0; i < size; i++) {
                    if (times[i] > lo && times[i] <= hi) {
                        n++;
                    }
                }
                return (double) n;
            }
            case SUM_AMOUNT, AVG_AMOUNT -> {
                long n = 0;
                long sum = 0;
                for (int i = 0; i < size; i++) {
                    if (times[i] > lo && times[i] <= hi) {
                        n++;
                        sum += amounts[i];
                    }
                }
                if (f.aggregation() == Aggregation.SUM_AMOUNT) {
                    return (double) sum;
                }
                return n == 0 ? null : (double) sum / n;
            }
            case DISTINCT_MERCHANTS -> {
                return distinct(merchantHashes, lo, hi);
            }
            case DISTINCT_COUNTRIES -> {
                return distinct(countryHashes, lo, hi);
            }
            case DISTINCT_IPS -> {
                return distinct(ipHashes, lo, hi);
            }
            case DISTINCT_DEVICES -> {
                return distinct(deviceHashes, lo, hi);
            }
            case DISTINCT_CARDS -> {
                return distinct(cardHashes, lo, hi);
            }
            case SECONDS_SINCE_PREVIOUS -> {
                // Equal times are inserted after each other, so the latest earlier payment
                // (time ≤ t, not this one) sits just before this one.
                if (pos == 0 || times[pos - 1] <= lo) {
                    return null;
                }
                return (double) ((t - times[pos - 1]) / 1000);
            }
            case SECONDS_SINCE_FIRST_SEEN -> {
                return (double) ((t - firstSeen) / 1000);
            }
            case DURING_WEEKEND, DURING_NIGHT -> {
                return f.aggregation().calendarFlag(t);
            }
            case AMOUNT_ZSCORE -> {
                return zScore(pos, lo, hi);
            }
            case AMOUNT_RATIO -> {
                return ratio(pos, lo, hi);
            }
            case DECLINES -> {
                long n = 0;
                for (int i = 0; i < size; i++) {
                    if (times[i] > lo && times[i] <= hi && declinedAt[i] <= t) {
                        n++;
                    }
                }
                return (double) n;
            }
            case FRAUD_RATE -> {
                long n = 0;
                long frauds = 0;
                for (int i = 0; i < size; i++) {
                    if (times[i] > lo && times[i] <= hi) {
                        n++;
                        if (fraudAt[i] <= t) {
                            frauds++;
                        }
                    }
                }
                return n == 0 ? 0.0 : (double) frauds / n;
            }
            default -> throw new IllegalStateException("unhandled " + f.aggregation());
        }
    }

    private Double zScore(int pos, long lo, long hi) {
        double mean = meanOfOthers(pos, lo, hi, 2);
        if (Double.isNaN(mean)) {
            return null;
        }
        long n = 0;
        double squares = 0;
        for (int i = 0; i < size; i++) {
            if (isOther(i, pos, lo, hi)) {
                n++;
                double d = amounts[i] - mean;
                squares += d * d;
            }
        }
        double std = Math.sqrt(squares / n);
        if (std == 0) {
            return null;
        }
        return (amounts[pos] - mean) / std;
    }

    private Double ratio(int pos, long lo, long hi) {
        double mean = meanOfOthers(pos, lo, hi, 1);
        if (Double.isNaN(mean) || mean <= 0) {
            return null;
        }
        return amounts[pos] / mean;
    }

    /** Whether entry i is another payment than pos, in the window (lo, hi]. */
    private boolean isOther(int i, int pos, long lo, long hi) {
        return i != pos && times[i] > lo && times[i] <= hi;
    }

    /**
     * The mean amount of the payments other than pos in the window (lo, hi], or NaN when there are
     * fewer than {@code atLeast}.
     */
    private double meanOfOthers(int pos, long lo, long hi, int atLeast) {
        long n = 0;
        long sum = 0;
        for (int i = 0; i < size; i++) {
            if (isOther(i, pos, lo, hi)) {
                n++;
                sum += amounts[i];
            }
        }
        return n < atLeast ? Double.NaN : (double) sum / n;
    }

    private double distinct(long[] hashes, long lo, long hi) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (times[i] > lo && times[i] <= hi && hashes[i] != 0) {
                if (n == scratch.length) {
                    scratch = Arrays.copyOf(scratch, n * 2);
                }
                scratch[n++] = hashes[i];
            }
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(scratch, 0, n);
        int distinct = 1;
        for (int i = 1; i < n; i++) {
            if (scratch[i] != scratch[i - 1]) {
                distinct++;
            }
        }
        return distinct;
    }

    private int insert(FeaturePayment p) {
        if (size == times.length) {
            grow(size * 2);
        }
        int pos = size;
        while (pos > 0 && times[pos - 1] > p.timeMillis()) {
            pos--;
        }
        int tail = size - pos;
        System.arraycopy(times, pos, times, pos + 1, tail);
        System.arraycopy(amounts, pos, amounts, pos + 1, tail);
        System.arraycopy(merchantHashes, pos, merchantHashes, pos + 1, tail);
        System.arraycopy(countryHashes, pos, countryHashes, pos + 1, tail);
        System.arraycopy(ipHashes, pos, ipHashes, pos + 1, tail);
        System.arraycopy(deviceHashes, pos, deviceHashes, pos + 1, tail);
        System.arraycopy(cardHashes, pos, cardHashes, pos + 1, tail);
        System.arraycopy(declinedAt, pos, declinedAt, pos + 1, tail);
        System.arraycopy(fraudAt, pos, fraudAt, pos + 1, tail);
        System.arraycopy(ids, pos, ids, pos + 1, tail);
        times[pos] = p.timeMillis();
        amounts[pos] = p.referenceAmount();
        merchantHashes[pos] = hash(p.merchant());
        countryHashes[pos] = hash(p.country());
        ipHashes[pos] = hash(p.ip());
        deviceHashes[pos] = hash(p.device());
        cardHashes[pos] = hash(p.card());
        declinedAt[pos] = UNKNOWN;
        fraudAt[pos] = p.fraudKnownAtMillis() == null ? UNKNOWN : p.fraudKnownAtMillis();
        ids[pos] = p.transactionId();
        size++;
        return pos;
    }

    /** Drops payments at or before the cutoff: no accepted payment's window reaches them. */
    private void evictUpTo(long cutoff) {
        int drop = 0;
        while (drop < size && times[drop] <= cutoff) {
            drop++;
        }
        if (drop == 0) {
            return;
        }
        int keep = size - drop;
        System.arraycopy(times, drop, times, 0, keep);
        System.arraycopy(amounts, drop, amounts, 0, keep);
        System.arraycopy(merchantHashes, drop, merchantHashes, 0, keep);
        System.arraycopy(countryHashes, drop, countryHashes, 0, keep);
        System.arraycopy(ipHashes, drop, ipHashes, 0, keep);
        System.arraycopy(deviceHashes, drop, deviceHashes, 0, keep);
        System.arraycopy(cardHashes, drop, cardHashes, 0, keep);
        System.arraycopy(declinedAt, drop, declinedAt, 0, keep);
        System.arraycopy(fraudAt, drop, fraudAt, 0, keep);
        System.arraycopy(ids, drop, ids, 0, keep);
        Arrays.fill(ids, keep, size, null);
        size = keep;
    }

    private void clear() {
        Arrays.fill(ids, 0, size, null);
        size = 0;
        firstSeen = Long.MAX_VALUE;
        newest = Long.MIN_VALUE;
    }

    private void allocate(int capacity) {
        times = new long[capacity];
        amounts = new long[capacity];
        merchantHashes = new long[capacity];
        countryHashes = new long[capacity];
        ipHashes = new long[capacity];
        deviceHashes = new long[capacity];
        cardHashes = new long[capacity];
        declinedAt = new long[capacity];
        fraudAt = new long[capacity];
        ids = new String[capacity];
    }

    private void grow(int capacity) {
        times = Arrays.copyOf(times, capacity);
        amounts = Arrays.copyOf(amounts, capacity);
        merchantHashes = Arrays.copyOf(merchantHashes, capacity);
        countryHashes = Arrays.copyOf(countryHashes, capacity);
        ipHashes = Arrays.copyOf(ipHashes, capacity);
        deviceHashes = Arrays.copyOf(deviceHashes, capacity);
        cardHashes = Arrays.copyOf(cardHashes, capacity);
        declinedAt = Arrays.copyOf(declinedAt, capacity);
        fraudAt = Arrays.copyOf(fraudAt, capacity);
        ids = Arrays.copyOf(ids, capacity);
    }

    /** 64-bit hash of a key value; 0 stands for "no value" and is never a value's hash. */
    static long hash(String value) {
        if (value == null) {
            return 0;
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            h ^= value.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /**
     * Compact binary form for state stores: version, first seen, newest, count, then per payment
     * time, amount, five key hashes, declined-at, fraud-at and the id.
     */
    @Override
    public byte[] toBytes() {
        byte[][] idBytes = new byte[size][];
        int length = 1 + 8 + 8 + 4;
        for (int i = 0; i < size; i++) {
            idBytes[i] = ids[i].getBytes(StandardCharsets.UTF_8);
            length += 9 * 8 + 2 + idBytes[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(FORMAT_VERSION).putLong(firstSeen).putLong(newest).putInt(size);
        for (int i = 0; i < size; i++) {
            b.putLong(times[i])
                    .putLong(amounts[i])
                    .putLong(merchantHashes[i])
                    .putLong(countryHashes[i])
                    .putLong(ipHashes[i])
                    .putLong(deviceHashes[i])
                    .putLong(cardHashes[i])
                    .putLong(declinedAt[i])
                    .putLong(fraudAt[i])
                    .putShort((short) idBytes[i].length)
                    .put(idBytes[i]);
        }
        return b.array();
    }

    /** Reads {@link #toBytes()}; refuses an unknown format or truncated bytes. */
    public static EntityHistory fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            byte version = b.get();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException(
                        "unknown entity history format version " + version);
            }
            long firstSeen = b.getLong();
            long newest = b.getLong();
            int n = b.getInt();
            if (n < 0 || n > b.remaining() / (9 * 8 + 2)) {
                throw new IllegalArgumentException("corrupt entity history: " + n + " payments");
            }
            EntityHistory h = new EntityHistory(n);
            h.firstSeen = firstSeen;
            h.newest = newest;
            for (int i = 0; i < n; i++) {
                h.times[i] = b.getLong();
                h.amounts[i] = b.getLong();
                h.merchantHashes[i] = b.getLong();
                h.countryHashes[i] = b.getLong();
                h.ipHashes[i] = b.getLong();
                h.deviceHashes[i] = b.getLong();
                h.cardHashes[i] = b.getLong();
                h.declinedAt[i] = b.getLong();
                h.fraudAt[i] = b.getLong();
                byte[] id = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(id);
                h.ids[i] = new String(id, StandardCharsets.UTF_8);
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(
                        "corrupt entity history: " + b.remaining() + " bytes left over");
            }
            h.size = n;
            return h;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("corrupt entity history: truncated", e);
        }
    }
}
