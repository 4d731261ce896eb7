package org.fraudplatform.streams.velocity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CardHistoryTest {

    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    private static final Duration LATENESS = Duration.ofMinutes(5);

    @Test
    void shouldCountTheCurrentPaymentInEveryWindow() {
        CardHistory history = CardHistory.empty();

        CardFeatures features = history.record(T0, 25_00, LATENESS);

        assertThat(features.count10m()).isEqualTo(1);
        assertThat(features.count1d()).isEqualTo(1);
        assertThat(features.sumAmount1d()).isEqualTo(25_00);
        assertThat(features.secondsSinceFirstSeen()).isZero();
        assertThat(features.secondsSinceLastPayment()).isNull();
    }

    @Test
    void shouldExcludeAPaymentExactlyTenMinutesOldFromTheTenMinuteWindow() {
        // given a window (t - 10 min, t]
        CardHistory history = CardHistory.empty();
        history.record(T0, 10_00, LATENESS);
        history.record(T0 + 1, 20_00, LATENESS);

        // when
        CardFeatures features =
                history.record(T0 + Duration.ofMinutes(10).toMillis(), 5_00, LATENESS);

        // then the payment at exactly t - 10 min is out, the one a millisecond later is in
        assertThat(features.count10m()).isEqualTo(2);
        assertThat(features.sumAmount10m()).isEqualTo(25_00);
        assertThat(features.count1d()).isEqualTo(3);
        assertThat(features.secondsSinceLastPayment()).isEqualTo(599);
    }

    @Test
    void shouldNotLetALatePaymentSeePaymentsThatHappenedAfterIt() {
        CardHistory history = CardHistory.empty();
        history.record(T0, 10_00, LATENESS);
        history.record(T0 + 120_000, 30_00, LATENESS);

        CardFeatures late = history.record(T0 + 60_000, 20_00, LATENESS);

        assertThat(late.count10m()).isEqualTo(2);
        assertThat(late.sumAmount10m()).isEqualTo(30_00);
        assertThat(late.secondsSinceLastPayment()).isEqualTo(60);
    }

    @Test
    void shouldForgetPaymentsOutsideTheLongestWindowButRememberFirstSeen() {
        CardHistory history = CardHistory.empty();
        history.record(T0, 10_00, LATENESS);
        history.record(T0 + 1_000, 10_00, LATENESS);

        long twoDaysLater = T0 + Duration.ofDays(2).toMillis();
        CardFeatures features = history.record(twoDaysLater, 40_00, LATENESS);

        assertThat(history.storedEvents()).isEqualTo(1);
        assertThat(features.count1d()).isEqualTo(1);
        assertThat(features.secondsSinceFirstSeen()).isEqualTo(Duration.ofDays(2).toSeconds());
    }

    @Test
    void shouldSurviveItsStoreFormatUnchanged() {
        CardHistory history = CardHistory.empty();
        history.record(T0, 10_00, LATENESS);
        history.record(T0 + 5_000, 15_00, LATENESS);

        CardHistory copy = CardHistory.fromBytes(history.toBytes());
        CardFeatures next = copy.record(T0 + 10_000, 20_00, LATENESS);

        assertThat(copy.firstSeenMillis()).isEqualTo(T0);
        assertThat(next.count10m()).isEqualTo(3);
        assertThat(next.sumAmount10m()).isEqualTo(45_00);
    }

    @Test
    void shouldRefuseBytesOfAnUnknownFormat() {
        assertThatThrownBy(() -> CardHistory.fromBytes(new byte[] {9, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format version 9");
    }
}
