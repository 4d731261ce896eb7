package org.fraudplatform.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prequential validation: folds of the test protocol's shape, rolling back in time from just before
 * the test window, as the handbook's model selection builds them.
 */
class PrequentialTest {

    @TempDir Path dir;

    @Test
    void shouldRollTheHandbooksWeeksBackIntoFourFoldsThatEndWithTheLastTrainingDay() {
        List<Protocol> folds = new Prequential(Protocol.handbookDefault(), 4).protocols();

        assertThat(folds)
                .extracting(Protocol::describe)
                .containsExactly(
                        "train 2018-07-11 .. 2018-07-17 (7 days), gap 7 days,"
                                + " test 2018-07-25 .. 2018-07-31 (7 days)",
                        "train 2018-07-04 .. 2018-07-10 (7 days), gap 7 days,"
                                + " test 2018-07-18 .. 2018-07-24 (7 days)",
                        "train 2018-06-27 .. 2018-07-03 (7 days), gap 7 days,"
                                + " test 2018-07-11 .. 2018-07-17 (7 days)",
                        "train 2018-06-20 .. 2018-06-26 (7 days), gap 7 days,"
                                + " test 2018-07-04 .. 2018-07-10 (7 days)");
    }

    /**
     * A test protocol of 3 training days (01-10..12), a 1-day gap (01-13) and 2 test days
     * (01-14..15), one payment a day from 01-01 to 01-15, two folds:
     *
     * <pre>
     * day    01 02 03 04 05 06 07 08 09 10 11 12 13 14 15
     * test                               T  T  T  .  V  V
     * fold 1                    T  T  T  .  V  V
     * fold 2              T  T  T  .  V  V
     * </pre>
     *
     * (T training, . gap, V validation or test.) Fold 1 is the test moved back by gap + test days
     * (3): it validates on the test's last two training days; fold 2 is moved back by 2 more.
     * Neither fold validates on a test day nor on the test's gap.
     */
    @Test
    void shouldSendEachDayToTheFoldsWhoseWindowsHoldIt() throws Exception {
        // given
        Protocol test =
                new Protocol(
                        LocalDate.of(2018, 1, 10),
                        LocalDate.of(2018, 1, 12),
                        1,
                        LocalDate.of(2018, 1, 14),
                        LocalDate.of(2018, 1, 15));
        FeatureCsv csv = new FeatureCsv();
        for (int day = 1; day <= 15; day++) {
            String d = String.format("%02d", day);
            csv.genuine("d" + d, "2018-01-" + d + " 12:00:00", "card" + d);
        }
        Path file = csv.write(dir.resolve("features.csv"));

        // when
        List<List<String>> training = new ArrayList<>();
        List<List<String>> validation = new ArrayList<>();
        for (Protocol fold : new Prequential(test, 2).protocols()) {
            Split split = fold.split(FeatureFile.read(file, fold.dataFrom(), fold.dataTo()));
            training.add(ids(split.data(), split.training().rows()));
            validation.add(List.of(split.testTransactionIds()));
        }

        // then
        assertThat(training)
                .containsExactly(List.of("d07", "d08", "d09"), List.of("d05", "d06", "d07"));
        assertThat(validation).containsExactly(List.of("d11", "d12"), List.of("d09", "d10"));
    }

    @Test
    void shouldKeepTheTestProtocolsGap() {
        Protocol test = Protocol.of(LocalDate.of(2018, 3, 1), 5, 2, 3);

        List<Protocol> folds = new Prequential(test, 3).protocols();

        assertThat(folds).extracting(Protocol::gapDays).containsOnly(2);
        assertThat(folds)
                .extracting(Protocol::testFrom)
                .containsExactly(
                        LocalDate.of(2018, 3, 3),
                        LocalDate.of(2018, 2, 28),
                        LocalDate.of(2018, 2, 25));
        assertThat(folds)
                .extracting(Protocol::testTo)
                .containsExactly(
                        LocalDate.of(2018, 3, 5),
                        LocalDate.of(2018, 3, 2),
                        LocalDate.of(2018, 2, 27));
    }

    @Test
    void shouldRefuseFewerThanOneFold() {
        assertThatThrownBy(() -> new Prequential(Protocol.handbookDefault(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one fold");
    }

    private static List<String> ids(FeatureFile data, int[] rows) {
        List<String> ids = new ArrayList<>();
        for (int r : rows) {
            ids.add(data.transactionId(r));
        }
        return ids;
    }
}
