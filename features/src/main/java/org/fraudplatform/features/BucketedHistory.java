package org.fraudplatform.features;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An entity's payments counted per time bucket: for entities with long windows and unbounded volume
 * (a merchant paid 500 times a second holds 1.6 billion payments in 37 days; their exact times
 * cannot be kept). State is bounded by retention / bucket (37 d 5 min in 10-minute buckets: at most
 * 5 329 buckets, about 20 bytes each) whatever the volume.
 *
 * <p>Semantics: with bucket g and b(x) = ⌊x / g⌋, a window (t − L − N, t − L] counts the payments
 * whose bucket lies in (b(t − L − N), b(t − L)]. Window and lag are multiples of g, so that is
 * exactly N / g buckets. Against the exact window the count differs only by payments in the two
 * edge buckets: those of bucket b(t − L − N) after t − L − N (left out) and those of bucket b(t −
 * L) after t − L that arrived before this payment (counted). {@code FeatureWindowPropertyTest}
 * checks the bucketed values against a brute-force reading of these semantics and the bound against
 * the exact windows.
 *
 * <p>Fraud labels are kept one by one (payment bucket, known at, id hash): frauds are rare.
 * Recording is idempotent by the request's {@link SourcePosition}: the state keeps the highest
 * offset it counted per partition of the request log, so a replayed request (a stream task that
 * restarts from its last commit re-sends every request since) is not counted again, however many
 * payments per second the entity sees; the state grows by one number per request partition, not per
 * payment. An outcome of a payment this state refused as late (one of the last {@value #REFUSED}
 * refused) is ignored, as the exact form ignores it.
 */
public final class BucketedHistory implements EntityState {

    static final byte FORMAT_VERSION = 3;

    /** The format before positions: read (its ring of recent ids dropped), never written. */
    static final byte FORMAT_VERSION_2 = 2;

    static final int REFUSED = 256;
    private static final int RECENT_V2 = 1024;

    private final long bucketMillis;
    private long firstSeen = Long.MAX_VALUE;
    private long newest = Long.MIN_VALUE;
    private int payments;

    private int size;
    private long[] buckets = new long[8];
    private int[] counts = new int[8];
    private long[] sums = new long[8];

    private int frauds;
    private long[] fraudBuckets = new long[4];
    private long[] fraudAt = new long[4];
    private long[] fraudIds = new long[4];

    /** Per request partition, the highest offset counted; -1 for none. */
    private long[] counted = new long[0];

    private final long[] refused = new long[REFUSED];
    private int refusedCount;
    private int refusedNext;

    private BucketedHistory(long bucketMillis) {
        if (bucketMillis <= 0) {
            throw new IllegalArgumentException("bucket must be positive");
        }
        this.bucketMillis = bucketMillis;
    }

    /** An entity never seen before, counted in buckets of the given length. */
    public static BucketedHistory empty(java.time.Duration bucket) {
        return new BucketedHistory(bucket.toMillis());
    }

    @Override
    public Map<String, Double> record(
            FeaturePayment payment,
            Entity entity,
            FeatureCatalogue catalogue,
            SourcePosition position) {
        long t = payment.timeMillis();
        long id = EntityHistory.hash(payment.transactionId());
        if (position != null
                && position.partition() < counted.length
                && position.offset() <= counted[position.partition()]) {
            return compute(t, catalogue.features(entity));
        }
        long retention = catalogue.retention(entity).toMillis();
        if (payments > 0 && newest < t - retention) {
            clear();
        }
        long grace = catalogue.grace().toMillis();
        if (payments > 0 && t < newest - grace) {
            refusedNext = remember(refused, refusedNext, id);
            refusedCount = Math.min(REFUSED, refusedCount + 1);
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
        long b = Math.floorDiv(t, bucketMillis);
        int pos = bucketPosition(b, true);
        counts[pos]++;
        sums[pos] += payment.referenceAmount();
        payments++;
        if (payment.fraudKnownAtMillis() != null) {
            addFraud(b, payment.fraudKnownAtMillis(), id);
        }
        if (position != null) {
            markCounted(position);
        }
        firstSeen = Math.min(firstSeen, t);
        newest = Math.max(newest, t);
        Map<String, Double> values = compute(t, catalogue.features(entity));
        evictUpTo(Math.floorDiv(newest - retention, bucketMillis));
        return values;
    }

    @Override
    public boolean apply(FeatureOutcome outcome) {
        if (outcome.kind() != FeatureOutcome.Kind.FRAUD || outcome.paymentTimeMillis() == null) {
            return false;
        }
        long id = EntityHistory.hash(outcome.transactionId());
        long b = Math.floorDiv(outcome.paymentTimeMillis(), bucketMillis);
        if (bucketPosition(b, false) < 0 || contains(refused, refusedCount, id)) {
            return false;
        }
        for (int i = 0; i < frauds; i++) {
            if (fraudIds[i] == id) {
                fraudAt[i] = Math.min(fraudAt[i], outcome.knownAtMillis());
                return true;
            }
        }
        addFraud(b, outcome.knownAtMillis(), id);
        return true;
    }

    @Override
    public boolean expired(long nowMillis, Entity entity, FeatureCatalogue catalogue) {
        return payments == 0 || newest < nowMillis - catalogue.retention(entity).toMillis();
    }

    @Override
    public int storedPayments() {
        return payments;
    }

    /** Buckets held. */
    public int storedBuckets() {
        return size;
    }

    private Map<String, Double> compute(long t, List<FeatureDefinition> definitions) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (FeatureDefinition f : definitions) {
            Double v = value(f, t);
            if (v != null) {
                values.put(f.name(), v);
            }
        }
        return values;
    }

    private Double value(FeatureDefinition f, long t) {
        if (f.aggregation() == Aggregation.SECONDS_SINCE_FIRST_SEEN) {
            return (double) ((t - firstSeen) / 1000);
        }
        if (f.aggregation().calendar()) {
            return f.aggregation().calendarFlag(t);
        }
        long hi = Math.floorDiv(t - f.lag().toMillis(), bucketMillis);
        long lo = Math.floorDiv(t - f.lag().toMillis() - f.window().toMillis(), bucketMillis);
        long n = 0;
        long sum = 0;
        for (int i = 0; i < size; i++) {
            if (buckets[i] > lo && buckets[i] <= hi) {
                n += counts[i];
                sum += sums[i];
            }
        }
        switch (f.aggregation()) {
            case COUNT -> {
                return (double) n;
            }
            case SUM_AMOUNT -> {
                return (double) sum;
            }
            case AVG_AMOUNT -> {
                return n == 0 ? null : (double) sum / n;
            }
            case FRAUD_RATE -> {
                if (n == 0) {
                    return 0.0;
                }
                long known = 0;
                for (int i = 0; i < frauds; i++) {
                    if (fraudBuckets[i] > lo && fraudBuckets[i] <= hi && fraudAt[i] <= t) {
                        known++;
                    }
                }
                return (double) known / n;
            }
            default ->
                    throw new IllegalStateException(
                            f.aggregation() + " cannot be computed from buckets");
        }
    }

    /** The position of bucket b, inserted (kept sorted) when asked to; -1 when absent. */
    private int bucketPosition(long b, boolean insert) {
        int pos = Arrays.binarySearch(buckets, 0, size, b);
        if (pos >= 0 || !insert) {
            return pos >= 0 ? pos : -1;
        }
        pos = -pos - 1;
        if (size == buckets.length) {
            buckets = Arrays.copyOf(buckets, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
            sums = Arrays.copyOf(sums, size * 2);
        }
        System.arraycopy(buckets, pos, buckets, pos + 1, size - pos);
        System.arraycopy(counts, pos, counts, pos + 1, size - pos);
        System.arraycopy(sums, pos, sums, pos + 1, size - pos);
        buckets[pos] = b;
        counts[pos] = 0;
        sums[pos] = 0;
        size++;
        return pos;
    }

    private void addFraud(long bucket, long knownAt, long id) {
        if (frauds == fraudIds.length) {
            fraudBuckets = Arrays.copyOf(fraudBuckets, frauds * 2);
            fraudAt = Arrays.copyOf(fraudAt, frauds * 2);
            fraudIds = Arrays.copyOf(fraudIds, frauds * 2);
        }
        fraudBuckets[frauds] = bucket;
        fraudAt[frauds] = knownAt;
        fraudIds[frauds] = id;
        frauds++;
    }

    /** Drops buckets at or before the cutoff bucket: no accepted payment's window reaches them. */
    private void evictUpTo(long cutoffBucket) {
        int drop = 0;
        while (drop < size && buckets[drop] <= cutoffBucket) {
            payments -= counts[drop];
            drop++;
        }
        if (drop > 0) {
            int keep = size - drop;
            System.arraycopy(buckets, drop, buckets, 0, keep);
            System.arraycopy(counts, drop, counts, 0, keep);
            System.arraycopy(sums, drop, sums, 0, keep);
            size = keep;
        }
        int kept = 0;
        for (int i = 0; i < frauds; i++) {
            if (fraudBuckets[i] > cutoffBucket) {
                fraudBuckets[kept] = fraudBuckets[i];
                fraudAt[kept] = fraudAt[i];
                fraudIds[kept] = fraudIds[i];
                kept++;
            }
        }
        frauds = kept;
    }

    private void clear() {
        size = 0;
        frauds = 0;
        payments = 0;
        firstSeen = Long.MAX_VALUE;
        newest = Long.MIN_VALUE;
    }

    private void markCounted(SourcePosition position) {
        int p = position.partition();
        if (p >= counted.length) {
            int was = counted.length;
            counted = Arrays.copyOf(counted, p + 1);
            Arrays.fill(counted, was, counted.length, -1L);
        }
        counted[p] = Math.max(counted[p], position.offset());
    }

    private static boolean contains(long[] ring, int count, long id) {
        for (int i = 0; i < count; i++) {
            if (ring[i] == id) {
                return true;
            }
        }
        return false;
    }

    private static int remember(long[] ring, int next, long id) {
        ring[next] = id;
        return (next + 1) % ring.length;
    }

    /**
     * Version 3: the shared header (version, first seen, newest, payments), the bucket length,
     * buckets (index, count, sum), fraud labels (bucket, known at, id hash), the highest offset
     * counted per request partition, then the ring of refused ids. (Version 2 had a ring of the
     * last 1 024 ids where the offsets are.)
     */
    @Override
    public byte[] toBytes() {
        int length =
                1
                        + 8
                        + 8
                        + 4
                        + 8
                        + 4
                        + size * 20
                        + 4
                        + frauds * 24
                        + 4
                        + counted.length * 8
                        + 8
                        + refusedCount * 8;
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(FORMAT_VERSION).putLong(firstSeen).putLong(newest).putInt(payments);
        b.putLong(bucketMillis).putInt(size);
        for (int i = 0; i < size; i++) {
            b.putLong(buckets[i]).putInt(counts[i]).putLong(sums[i]);
        }
        b.putInt(frauds);
        for (int i = 0; i < frauds; i++) {
            b.putLong(fraudBuckets[i]).putLong(fraudAt[i]).putLong(fraudIds[i]);
        }
        b.putInt(counted.length);
        for (long offset : counted) {
            b.putLong(offset);
        }
        b.putInt(refusedCount).putInt(refusedNext);
        for (int i = 0; i < refusedCount; i++) {
            b.putLong(refused[i]);
        }
        return b.array();
    }

    /** Reads {@link #toBytes()}; refuses an unknown format or truncated bytes. */
    public static BucketedHistory fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            byte version = b.get();
            if (version != FORMAT_VERSION && version != FORMAT_VERSION_2) {
                throw new IllegalArgumentException(
                        "unknown bucketed history format version " + version);
            }
            long firstSeen = b.getLong();
            long newest = b.getLong();
            int payments = b.getInt();
            BucketedHistory h = new BucketedHistory(b.getLong());
            h.firstSeen = firstSeen;
            h.newest = newest;
            h.payments = payments;
            int n = b.getInt();
            if (n < 0 || n > b.remaining() / 20) {
                throw new IllegalArgumentException("corrupt bucketed history: " + n + " buckets");
            }
            h.buckets = new long[Math.max(8, n)];
            h.counts = new int[h.buckets.length];
            h.sums = new long[h.buckets.length];
            for (int i = 0; i < n; i++) {
                h.buckets[i] = b.getLong();
                h.counts[i] = b.getInt();
                h.sums[i] = b.getLong();
            }
            h.size = n;
            int f = b.getInt();
            if (f < 0 || f > b.remaining() / 24) {
                throw new IllegalArgumentException("corrupt bucketed history: " + f + " frauds");
            }
            h.fraudBuckets = new long[Math.max(4, f)];
            h.fraudAt = new long[h.fraudBuckets.length];
            h.fraudIds = new long[h.fraudBuckets.length];
            for (int i = 0; i < f; i++) {
                h.fraudBuckets[i] = b.getLong();
                h.fraudAt[i] = b.getLong();
                h.fraudIds[i] = b.getLong();
            }
            h.frauds = f;
            if (version == FORMAT_VERSION_2) {
                // a ring of recent ids: positions start now
                int recent = ringLength(b.getInt(), RECENT_V2);
                ringLength(b.getInt(), RECENT_V2 - 1);
                if (recent > b.remaining() / 8) {
                    throw new IllegalArgumentException("corrupt bucketed history: truncated");
                }
                b.position(b.position() + recent * 8);
            } else {
                int partitions = b.getInt();
                if (partitions < 0
                        || partitions > SourcePosition.MAX_PARTITIONS
                        || partitions > b.remaining() / 8) {
                    throw new IllegalArgumentException(
                            "corrupt bucketed history: " + partitions + " partitions");
                }
                h.counted = new long[partitions];
                for (int i = 0; i < partitions; i++) {
                    h.counted[i] = b.getLong();
                }
            }
            h.refusedCount = ringLength(b.getInt(), REFUSED);
            h.refusedNext = ringLength(b.getInt(), REFUSED - 1);
            for (int i = 0; i < h.refusedCount; i++) {
                h.refused[i] = b.getLong();
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(
                        "corrupt bucketed history: " + b.remaining() + " bytes left over");
            }
            return h;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("corrupt bucketed history: truncated", e);
        }
    }

    private static int ringLength(int n, int max) {
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("corrupt bucketed history: ring position " + n);
        }
        return n;
    }
}
