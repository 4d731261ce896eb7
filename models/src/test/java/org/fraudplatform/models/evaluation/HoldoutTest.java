package org.fraudplatform.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chronological holdout for short histories: the earliest rows train with every label in the
 * file, the latest test as one period without the cards known compromised at its start.
 */
class HoldoutTest {

    private static final Instant ALL_FROM = Instant.EPOCH;
    private static final Instant ALL_TO = Instant.parse("2100-01-01T00:00:00Z");

    @TempDir Path dir;

    /**
     * Ten payments a minute apart, on one day (as after a simulation); labels arrive at 11:00,
     * after every payment:
     *
     * <pre>
     * row  time   card  label           role (test fraction 0.3: the cut is at 10:07)
     * t0   10:00  A     genuine         training
     * t1   10:01  S     fraud, 11:00    training, fraud (known when the file was written)
     * t2.. 10:02…10:06  genuine         training
     * t7   10:07  S     fraud, 11:00    test (S is not yet known compromised at 10:07)
     * t8   10:08  K     fraud, 10:05    test, left out: K was known compromised at 10:05
     * t9   10:09  B     genuine         test
     * </pre>
     */
    @Test
    void shouldTrainOnTheEarliestRowsWithEveryLabelAndTestOnTheLatest() throws Exception {
        FeatureCsv csv = new FeatureCsv();
        csv.genuine("t0", "2026-03-01 10:00:00", "A");
        csv.fraud("t1", "2026-03-01 10:01:00", "S", "2026-03-01 11:00:00");
        for (int i = 2; i <= 6; i++) {
            csv.genuine("t" + i, "2026-03-01 10:0" + i + ":00", "C" + i);
        }
        csv.fraud("t7", "2026-03-01 10:07:00", "S", "2026-03-01 11:00:00");
        csv.fraud("t8", "2026-03-01 10:08:00", "K", "2026-03-01 10:05:00");
        csv.genuine("t9", "2026-03-01 10:09:00", "B");
        FeatureFile data = FeatureFile.read(csv.write(dir.resolve("f.csv")), ALL_FROM, ALL_TO);

        Split split = new Holdout(0.3).split(data);

        assertThat(split.training().size()).isEqualTo(7);
        assertThat(split.training().frauds()).isEqualTo(1);
        assertThat(split.training().fraudsNotYetKnown()).isZero();
        assertThat(split.testDays()).hasSize(1);
        assertThat(split.testTransactionIds()).containsExactly("t7", "t9");
        assertThat(split.testLabels()).containsExactly(1, 0);
        assertThat(split.testDays().get(0).excludedCards()).containsExactly("K");
        assertThat(split.testDays().get(0).excludedRows()).isEqualTo(1);
        assertThat(split.design().labelCutoff()).isAfter(Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(split.design().handbookBaselinesApply()).isFalse();
        assertThat(split.design().description()).contains("2026-03-01T10:07:00Z", "30 %");
        assertThat(Arrays.stream(split.training().rows()).mapToObj(data::transactionId))
                .containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6");
    }

    @Test
    void shouldRefuseFractionsOutsideZeroToOneAndHistoriesThatCannotBeSplit() throws Exception {
        assertThatThrownBy(() -> new Holdout(0)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> new Holdout(1.5)).hasMessageContaining("between 0 and 1");
        FeatureCsv csv = new FeatureCsv();
        csv.genuine("t0", "2026-03-01 10:00:00", "A");
        csv.genuine("t1", "2026-03-01 10:00:00", "B");
        csv.genuine("t2", "2026-03-01 10:05:00", "C");
        FeatureFile sameTime = FeatureFile.read(csv.write(dir.resolve("g.csv")), ALL_FROM, ALL_TO);

        assertThatThrownBy(() -> new Holdout(0.9).split(sameTime))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no rows would train");
    }

    @Test
    void shouldListTheHandbookBaselinesOnlyForTheHandbooksOwnProtocol() {
        assertThat(Protocol.handbookDefault().design().handbookBaselinesApply()).isTrue();
        assertThat(
                        Protocol.of(java.time.LocalDate.of(2018, 8, 1), 7, 7, 7)
                                .design()
                                .handbookBaselinesApply())
                .isFalse();
    }
}
