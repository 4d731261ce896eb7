package org.fraudplatform.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntityHistoryTest {

    private static final long T0 = 1_767_261_600_000L; // 2026-01-01T10:00:00Z
    private static final long MINUTE = 60_000L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final FeatureCatalogue catalogue = FeatureCatalogue.standard();
    private final EntityHistory card = EntityHistory.empty();

    private static FeaturePayment payment(String id, long t, long amount) {
        return new FeaturePayment(
                id, t, amount, "card-A", null, null, "ip-1", null, "m-1", "DE", null);
    }

    private Map<String, Double> record(String id, long t, long amount) {
        return card.record(payment(id, t, amount), Entity.CARD, catalogue);
    }

    @Test
    void shouldFlagWeekendAndNightPaymentsAsTheHandbookDoes() {
        // 2026-01-02 is a Friday, 2026-01-03 a Saturday, 2026-01-05 a Monday (UTC)
        long friday = 1_767_312_000_000L; // 2026-01-02T00:00:00Z
        long saturday = friday + DAY;

        assertThat(record("fri-late", saturday - 1000, 100))
                .containsEntry("during_weekend", 0.0)
                .containsEntry("during_night", 0.0);
        assertThat(record("sat-midnight", saturday, 100))
                .containsEntry("during_weekend", 1.0)
                .containsEntry("during_night", 1.0);
        assertThat(record("sat-6:59:59", saturday + 7 * 60 * MINUTE - 1000, 100))
                .containsEntry("during_night", 1.0);
        assertThat(record("sat-7:00", saturday + 7 * 60 * MINUTE, 100))
                .containsEntry("during_weekend", 1.0)
                .containsEntry("during_night", 0.0);
        assertThat(record("mon-midnight", saturday + 2 * DAY, 100))
                .containsEntry("during_weekend", 0.0)
                .containsEntry("during_night", 1.0);
    }

    @Test
    void shouldDivideTheAmountByTheMeanOfTheCardsOtherPaymentsInTheWindow() {
        assertThat(record("first", T0, 100)).doesNotContainKey("card_amount_ratio_1d");
        record("second", T0 + 60 * MINUTE, 300);

        // 600 / mean(100, 300)
        assertThat(record("third", T0 + 120 * MINUTE, 600))
                .containsEntry("card_amount_ratio_1d", 3.0)
                .containsEntry("card_amount_ratio_30d", 3.0);
        // two days later the day holds no other payment; the week holds 100, 300 and 600
        assertThat(record("later", T0 + 2 * DAY, 500))
                .doesNotContainKey("card_amount_ratio_1d")
                .containsEntry("card_amount_ratio_7d", 500 / (1000 / 3.0));
    }

    @Test
    void shouldCompareTheAmountWithTheCardsPaymentsOfTheMonthBeforeItsLastFourteenDays() {
        record("p1", T0, 100);
        record("p2", T0 + DAY, 300);

        // (t − 14 d − 30 d, t − 14 d] = (T0 − 34 d, T0 − 4 d] holds nothing
        assertThat(record("p3", T0 + 10 * DAY, 50))
                .doesNotContainKey("card_amount_ratio_30d_lag14d")
                .doesNotContainKey("card_amount_zscore_30d_lag14d");
        // (T0 − 30 d + 1 h, T0 + 1 h] holds p1 alone: a ratio, too few for a z-score
        assertThat(record("p4", T0 + 14 * DAY + 60 * MINUTE, 700))
                .containsEntry("card_amount_ratio_30d_lag14d", 7.0)
                .doesNotContainKey("card_amount_zscore_30d_lag14d");
        // (T0 − 29 d, T0 + 1 d] holds p1 and p2 (mean 200, standard deviation 100), not p3, p4
        assertThat(record("p5", T0 + 15 * DAY, 1000))
                .containsEntry("card_amount_ratio_30d_lag14d", 5.0)
                .containsEntry("card_amount_zscore_30d_lag14d", 8.0);
        // (T0, T0 + 30 d]: p1, exactly 44 days old, is out; p2 to p5 are in, mean 2050 / 4
        assertThat(record("p6", T0 + 44 * DAY, 400))
                .containsEntry("card_amount_ratio_30d_lag14d", 400 / 512.5);
    }

    @Test
    void shouldLeaveAPaymentExactlyOneWindowOldOutOfTheWindow() {
        record("p1", T0, 100);

        Map<String, Double> atTheEdge = record("p2", T0 + 10 * MINUTE, 100);

        assertThat(atTheEdge).containsEntry("card_count_10m", 1.0);
        assertThat(atTheEdge).containsEntry("card_count_1h", 2.0);
    }

    @Test
    void shouldCountAPaymentOneMillisecondInsideTheWindow() {
        record("p1", T0, 100);

        assertThat(record("p2", T0 + 10 * MINUTE - 1, 100)).containsEntry("card_count_10m", 2.0);
    }

    @Test
    void shouldComputeAnOutOfOrderPaymentWithinTheGraceAsOfItsOwnTime() {
        record("p1", T0, 100);
        record("p3", T0 + 4 * MINUTE, 300);

        Map<String, Double> p2 = record("p2", T0 + MINUTE, 200);

        assertThat(p2)
                .containsEntry("card_count_10m", 2.0)
                .containsEntry("card_sum_amount_10m", 300.0)
                .containsEntry("card_seconds_since_last_payment", 60.0);
    }

    @Test
    void shouldRefuseAPaymentLaterThanTheGraceAndChangeNothing() {
        record("p1", T0 + 10 * MINUTE, 100);

        assertThatThrownBy(() -> record("late", T0, 100))
                .isInstanceOf(LateEventException.class)
                .hasMessageContaining("late")
                .hasMessageContaining("grace");
        assertThat(card.storedPayments()).isEqualTo(1);
    }

    @Test
    void shouldNotCountAReplayedPaymentTwice() {
        record("p1", T0, 100);

        Map<String, Double> replay = record("p1", T0, 100);

        assertThat(replay).containsEntry("card_count_10m", 1.0);
        assertThat(card.storedPayments()).isEqualTo(1);
    }

    @Test
    void shouldDropPaymentsThatNoWindowCanReachAnyMore() {
        record("p1", T0, 100);
        record("p2", T0 + DAY, 100);

        record("p3", T0 + 45 * DAY, 100);

        assertThat(card.storedPayments()).as("p1 is past 44 d + grace").isEqualTo(2);
    }

    @Test
    void shouldStartAnEntityOverWhenItWasIdleLongerThanItsRetention() {
        record("p1", T0, 100);

        Map<String, Double> back = record("p2", T0 + 50 * DAY, 100);

        assertThat(back).containsEntry("card_seconds_since_first_seen", 0.0);
        assertThat(back).doesNotContainKey("card_seconds_since_last_payment");
    }

    @Test
    void shouldCountADeclineOnlyFromTheTimeItIsKnown() {
        record("p1", T0, 100);
        assertThat(
                        card.apply(
                                new FeatureOutcome(
                                        "p1",
                                        FeatureOutcome.Kind.DECLINED,
                                        T0 + 2 * MINUTE,
                                        "card-A",
                                        "m-1",
                                        T0)))
                .isTrue();

        assertThat(record("p2", T0 + MINUTE, 100)).containsEntry("card_declines_1h", 0.0);
        assertThat(record("p3", T0 + 3 * MINUTE, 100)).containsEntry("card_declines_1h", 1.0);
    }

    @Test
    void shouldIgnoreAnOutcomeOfAPaymentItDoesNotHold() {
        record("p1", T0, 100);

        boolean applied =
                card.apply(
                        new FeatureOutcome(
                                "other", FeatureOutcome.Kind.FRAUD, T0, "card-A", "m-1", T0));

        assertThat(applied).isFalse();
    }

    @Test
    void shouldGiveTheSameFeaturesAfterARoundTripThroughBytes() {
        record("p1", T0, 100);
        record("p2", T0 + MINUTE, 250);
        EntityHistory copy = EntityHistory.fromBytes(card.toBytes());

        Map<String, Double> original = record("p3", T0 + 2 * MINUTE, 400);
        Map<String, Double> restored =
                copy.record(payment("p3", T0 + 2 * MINUTE, 400), Entity.CARD, catalogue);

        assertThat(restored).isEqualTo(original);
    }

    @Test
    void shouldRefuseBytesThatAreNotAnEntityHistory() {
        record("p1", T0, 100);
        byte[] bytes = card.toBytes();

        assertThatThrownBy(() -> EntityHistory.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt");
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 9;
        assertThatThrownBy(() -> EntityHistory.fromBytes(otherVersion))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void shouldCallStateExpiredOnlyOnceItsNewestPaymentIsOlderThanTheRetention() {
        record("p1", T0, 100);
        byte[] bytes = card.toBytes();
        long retention = catalogue.retention(Entity.CARD).toMillis();

        assertThat(EntityState.expired(bytes, T0 + retention, Entity.CARD, catalogue)).isFalse();
        assertThat(EntityState.expired(bytes, T0 + retention + 1, Entity.CARD, catalogue)).isTrue();
        assertThat(card.expired(T0 + retention + 1, Entity.CARD, catalogue)).isTrue();
    }
}
