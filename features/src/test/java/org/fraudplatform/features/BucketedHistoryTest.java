package org.fraudplatform.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketedHistoryTest {

    private static final long T0 = 1_767_261_600_000L; // 2026-01-01T10:00:00Z, a bucket boundary
    private static final long MINUTE = 60_000L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final FeatureCatalogue catalogue = FeatureCatalogue.standard();
    private final EntityState merchant = EntityState.empty(Entity.MERCHANT, catalogue);

    private Map<String, Double> record(String id, long t) {
        return merchant.record(
                new FeaturePayment(
                        id, t, 100, "card-" + id, null, null, null, null, "m-1", null, null),
                Entity.MERCHANT,
                catalogue);
    }

    private boolean fraud(String id, long paymentTime, long knownAt) {
        return merchant.apply(
                new FeatureOutcome(
                        id, FeatureOutcome.Kind.FRAUD, knownAt, null, "m-1", paymentTime));
    }

    @Test
    void shouldBeTheMerchantsFormInTheStandardCatalogue() {
        assertThat(merchant).isInstanceOf(BucketedHistory.class);
        assertThat(EntityState.empty(Entity.CARD, catalogue)).isInstanceOf(EntityHistory.class);
    }

    @Test
    void shouldCountWholeBucketsAtTheWindowsLowerEdge() {
        // p1 at 10:07 shares its 10-minute bucket with t − 1 d for a payment at 10:05 next day
        record("p1", T0 + 7 * MINUTE);

        Map<String, Double> next = record("p2", T0 + DAY + 5 * MINUTE);

        assertThat(next)
                .as(
                        "exactly, p1 is inside (t − 1 d, t] and the count would be 2; bucketed, its"
                                + " bucket is the window's lower edge bucket and is left out")
                .containsEntry("merchant_count_1d", 1.0)
                .containsEntry("merchant_count_7d", 2.0);
    }

    @Test
    void shouldStayBoundedWhateverTheVolume() {
        for (int i = 0; i < 20_000; i++) {
            record("p" + i, T0 + i * 1_000L);
        }

        assertThat(merchant.storedPayments()).isEqualTo(20_000);
        assertThat(((BucketedHistory) merchant).storedBuckets()).isEqualTo(34);
        assertThat(merchant.toBytes().length).as("bytes").isLessThan(12_000);
    }

    @Test
    void shouldCountAFraudInTheLaggedRateOnceItIsKnown() {
        record("p1", T0);
        assertThat(fraud("p1", T0, T0 + 3 * DAY)).isTrue();

        Map<String, Double> dayEight = record("p2", T0 + 8 * DAY);

        assertThat(dayEight)
                .containsEntry("merchant_count_7d_lag7d", 1.0)
                .containsEntry("merchant_fraud_rate_7d_lag7d", 1.0);
    }

    @Test
    void shouldIgnoreAFraudLabelOfAPaymentItRefusedAsLate() {
        record("p1", T0 + 20 * MINUTE);
        assertThatThrownBy(() -> record("late", T0)).isInstanceOf(LateEventException.class);
        // the refusal is part of the stored state
        EntityState stored = EntityState.fromBytes(merchant.toBytes());

        FeatureOutcome lateFraud =
                new FeatureOutcome("late", FeatureOutcome.Kind.FRAUD, T0 + DAY, null, "m-1", T0);
        assertThat(stored.apply(lateFraud)).isFalse();
        assertThat(fraud("late", T0, T0 + DAY)).isFalse();
        assertThat(fraud("p1", T0 + 20 * MINUTE, T0 + DAY)).isTrue();
    }

    private Map<String, Double> record(String id, long t, int partition, long offset) {
        return record(merchant, id, t, partition, offset);
    }

    /** Records a payment of merchant m-1 read from the request log at (partition, offset). */
    private Map<String, Double> record(
            EntityState state, String id, long t, int partition, long offset) {
        return state.record(
                new FeaturePayment(
                        id, t, 100, "card-" + id, null, null, null, null, "m-1", null, null),
                Entity.MERCHANT,
                catalogue,
                new SourcePosition(partition, offset));
    }

    @Test
    void shouldNotCountAReplayedRequestTwice() {
        record("p1", T0, 0, 41);

        assertThat(record("p1", T0, 0, 41)).containsEntry("merchant_count_1d", 1.0);
        assertThat(merchant.storedPayments()).isEqualTo(1);
    }

    @Test
    void shouldCountRequestsOfOtherPartitionsWhateverTheirOffsets() {
        record("p1", T0, 0, 500);

        assertThat(record("p2", T0 + 1, 1, 7)).containsEntry("merchant_count_1d", 2.0);
        assertThat(record("p3", T0 + 2, 0, 501)).containsEntry("merchant_count_1d", 3.0);
    }

    /**
     * A merchant paid 2 000 times a second over six request partitions; the risk task crashes and
     * every partition replays the last 1.5 s of requests (a 1 s commit interval and half a second
     * of lag): 3 000 payments, more than any ring of recent ids would hold.
     */
    @Test
    void shouldNotCountARequestReplayedAfterACrashAtTwoThousandPaymentsPerSecond() {
        int partitions = 6;
        int perSecond = 2_000;
        int total = 5 * perSecond;
        long[] offsets = new long[total];
        long[] next = new long[partitions];
        for (int i = 0; i < total; i++) {
            int partition = i % partitions;
            offsets[i] = next[partition]++;
            record("p" + i, T0 + i * 1_000L / perSecond, partition, offsets[i]);
        }
        assertThat(merchant.storedPayments()).isEqualTo(total);
        Map<String, Double> before = record("probe", T0 + 5_000, 0, next[0]++);

        for (int i = total - 3 * perSecond / 2; i < total; i++) {
            record("p" + i, T0 + i * 1_000L / perSecond, i % partitions, offsets[i]);
        }
        // the replay survives a restore from the changelog too
        EntityState restored = EntityState.fromBytes(merchant.toBytes());
        record(
                restored,
                "p" + (total - 1),
                T0 + (total - 1) * 1_000L / perSecond,
                (total - 1) % partitions,
                offsets[total - 1]);

        assertThat(merchant.storedPayments()).isEqualTo(total + 1);
        assertThat(restored.storedPayments()).isEqualTo(total + 1);
        assertThat(record("probe", T0 + 5_000, 0, next[0] - 1)).isEqualTo(before);
        assertThat(before).containsEntry("merchant_count_1d", (double) total + 1);
    }

    @Test
    void shouldReadTheFormatBeforePositions() {
        // version 2: header, bucket length, one bucket, no frauds, a ring of one recent id, no
        // refused ids
        java.nio.ByteBuffer v2 =
                java.nio.ByteBuffer.allocate(1 + 8 + 8 + 4 + 8 + 4 + 20 + 4 + 16 + 8);
        v2.put((byte) 2).putLong(T0).putLong(T0).putInt(1);
        v2.putLong(Duration.ofMinutes(10).toMillis()).putInt(1);
        v2.putLong(T0 / Duration.ofMinutes(10).toMillis()).putInt(1).putLong(100);
        v2.putInt(0);
        v2.putInt(1).putInt(1).putLong(12345L);
        v2.putInt(0).putInt(0);
        byte[] bytes = Arrays.copyOf(v2.array(), v2.position());

        EntityState old = EntityState.fromBytes(bytes);

        assertThat(old.storedPayments()).isEqualTo(1);
        assertThat(record(old, "p2", T0 + MINUTE, 0, 0)).containsEntry("merchant_count_1d", 2.0);
    }

    @Test
    void shouldGiveTheSameFeaturesAfterARoundTripThroughBytes() {
        record("p1", T0);
        record("p2", T0 + DAY);
        fraud("p1", T0, T0 + 2 * DAY);
        EntityState copy = EntityState.fromBytes(merchant.toBytes());

        Map<String, Double> original = record("p3", T0 + 9 * DAY);
        Map<String, Double> restored =
                copy.record(
                        new FeaturePayment(
                                "p3",
                                T0 + 9 * DAY,
                                100,
                                "card-p3",
                                null,
                                null,
                                null,
                                null,
                                "m-1",
                                null,
                                null),
                        Entity.MERCHANT,
                        catalogue);

        assertThat(restored).isEqualTo(original);
        assertThat(original).containsEntry("merchant_fraud_rate_7d_lag7d", 0.5);
    }

    @Test
    void shouldRefuseTruncatedBytes() {
        record("p1", T0);
        byte[] bytes = merchant.toBytes();

        assertThatThrownBy(() -> EntityState.fromBytes(Arrays.copyOf(bytes, bytes.length - 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void shouldRefuseAFeatureThatNeedsEveryPaymentOnABucketedEntity() {
        FeatureDefinition distinct =
                new FeatureDefinition(
                        "merchant_distinct_cards_1d",
                        Entity.MERCHANT,
                        Aggregation.DISTINCT_CARDS,
                        Duration.ofDays(1),
                        Duration.ZERO);

        assertThatThrownBy(
                        () ->
                                FeatureCatalogue.of(
                                        java.util.List.of(distinct),
                                        Duration.ofDays(7),
                                        Duration.ZERO,
                                        Map.of(Entity.MERCHANT, Duration.ofMinutes(10))))
                .hasMessageContaining("needs every payment");
    }
}
