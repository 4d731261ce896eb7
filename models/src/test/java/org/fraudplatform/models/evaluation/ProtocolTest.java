package org.fraudplatform.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The split of the handbook's protocol: training labels as known when the test starts, and each
 * test day without the cards already known to be compromised.
 */
class ProtocolTest {

    @TempDir Path dir;

    @Test
    void shouldDefaultToTheHandbooksWeeks() {
        Protocol p = Protocol.handbookDefault();

        assertThat(p.trainFrom()).isEqualTo(LocalDate.of(2018, 7, 25));
        assertThat(p.trainTo()).isEqualTo(LocalDate.of(2018, 7, 31));
        assertThat(p.gapDays()).isEqualTo(7);
        assertThat(p.testFrom()).isEqualTo(LocalDate.of(2018, 8, 8));
        assertThat(p.testTo()).isEqualTo(LocalDate.of(2018, 8, 14));
        assertThat(p.dataFrom()).isEqualTo(Instant.parse("2018-07-25T00:00:00Z"));
        assertThat(p.dataTo()).isEqualTo(Instant.parse("2018-08-15T00:00:00Z"));
        assertThat(p.labelCutoff()).isEqualTo(Instant.parse("2018-08-08T00:00:00Z"));
        assertThat(p.testDays()).hasSize(7);
    }

    @Test
    void shouldRefuseDatesThatDisagreeWithTheGap() {
        LocalDate jul25 = LocalDate.of(2018, 7, 25);
        LocalDate jul31 = LocalDate.of(2018, 7, 31);

        assertThatThrownBy(
                        () ->
                                new Protocol(
                                        jul25,
                                        jul31,
                                        7,
                                        LocalDate.of(2018, 8, 7),
                                        LocalDate.of(2018, 8, 14)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the test starts 2018-08-08, not 2018-08-07");
    }

    /**
     * Two training days (07-25, 07-26), a one-day gap (07-27), two test days (07-28, 07-29), rows
     * read from a day earlier (07-24):
     *
     * <pre>
     * row  time           card  label  known at          role
     * f0   07-24 09:00    F     fraud  07-25 09:00       before training: F known
     * a1   07-25 10:00    A     fraud  07-26 12:00       training, label known
     * d1   07-25 11:00    D     -                        training
     * b1   07-26 08:00    B     fraud  07-28 15:00       training, label too late: held as 0
     * i1   07-26 09:00    I     fraud  07-28 00:00       training, known at the cut-off: held as 0
     * c1   07-27 09:00    C     fraud  07-27 20:00       gap: C known
     * h1   07-27 23:00    H     fraud  07-28 00:00       gap: H known at 07-28's start, not before
     * a2   07-28 01:00    A     -                        left out (A known 07-26)
     * b2   07-28 02:00    B     -                        kept (B known only later that day)
     * d2   07-28 03:00    D     -                        kept
     * e2   07-28 04:00    E     fraud  07-28 18:00       kept, fraud
     * f2   07-28 05:00    F     -                        left out
     * c2   07-28 06:00    C     -                        left out
     * h2   07-28 07:00    H     -                        kept
     * b3   07-29 01:00    B     -                        left out (B known 07-28 15:00)
     * d3   07-29 02:00    D     -                        kept
     * e3   07-29 03:00    E     -                        left out
     * h3   07-29 04:00    H     -                        left out
     * </pre>
     */
    @Test
    void shouldKeepTheLabelsKnownAtTheTestStartAndLeaveOutKnownCompromisedCards() throws Exception {
        // given
        Protocol protocol = Protocol.of(LocalDate.of(2018, 7, 25), 2, 1, 2);
        Path csv =
                new FeatureCsv()
                        .fraud("f0", "2018-07-24 09:00:00", "F", "2018-07-25 09:00:00")
                        .fraud("a1", "2018-07-25 10:00:00", "A", "2018-07-26 12:00:00")
                        .genuine("d1", "2018-07-25 11:00:00", "D")
                        .fraud("b1", "2018-07-26 08:00:00", "B", "2018-07-28 15:00:00")
                        .fraud("i1", "2018-07-26 09:00:00", "I", "2018-07-28 00:00:00")
                        .fraud("c1", "2018-07-27 09:00:00", "C", "2018-07-27 20:00:00")
                        .fraud("h1", "2018-07-27 23:00:00", "H", "2018-07-28 00:00:00")
                        .genuine("a2", "2018-07-28 01:00:00", "A")
                        .genuine("b2", "2018-07-28 02:00:00", "B")
                        .genuine("d2", "2018-07-28 03:00:00", "D")
                        .fraud("e2", "2018-07-28 04:00:00", "E", "2018-07-28 18:00:00")
                        .genuine("f2", "2018-07-28 05:00:00", "F")
                        .genuine("c2", "2018-07-28 06:00:00", "C")
                        .genuine("h2", "2018-07-28 07:00:00", "H")
                        .genuine("b3", "2018-07-29 01:00:00", "B")
                        .genuine("d3", "2018-07-29 02:00:00", "D")
                        .genuine("e3", "2018-07-29 03:00:00", "E")
                        .genuine("h3", "2018-07-29 04:00:00", "H")
                        .write(dir.resolve("features.csv"));
        FeatureFile data =
                FeatureFile.read(csv, Instant.parse("2018-07-24T00:00:00Z"), protocol.dataTo());

        // when
        Split split = protocol.split(data);

        // then the training rows carry only the labels known before 07-28 00:00
        TrainingSet training = split.training();
        assertThat(ids(data, training.rows())).containsExactly("a1", "d1", "b1", "i1");
        assertThat(training.labels()).containsExactly(1, 0, 0, 0);
        assertThat(training.frauds()).isEqualTo(1);
        assertThat(training.fraudsNotYetKnown()).isEqualTo(2);
        assertThat(training.features()).hasNumberOfRows(4);

        // and each test day leaves out the cards compromised before its start
        List<TestDay> days = split.testDays();
        assertThat(days)
                .extracting(TestDay::day)
                .containsExactly(LocalDate.of(2018, 7, 28), LocalDate.of(2018, 7, 29));

        TestDay first = days.get(0);
        assertThat(ids(data, first.rows())).containsExactly("b2", "d2", "e2", "h2");
        assertThat(first.cards()).containsExactly("B", "D", "E", "H");
        assertThat(first.labels()).containsExactly(0, 0, 1, 0);
        assertThat(first.excludedCards()).containsExactly("A", "C", "F");
        assertThat(first.excludedRows()).isEqualTo(3);
        assertThat(first.fraudCards()).isEqualTo(1);

        TestDay second = days.get(1);
        assertThat(ids(data, second.rows())).containsExactly("d3");
        assertThat(second.excludedCards()).containsExactly("A", "B", "C", "E", "F", "H", "I");
        assertThat(second.excludedRows()).isEqualTo(3);

        // and the test set is the days one after the other
        assertThat(split.testSize()).isEqualTo(5);
        assertThat(split.testTransactionIds()).containsExactly("b2", "d2", "e2", "h2", "d3");
        assertThat(split.testLabels()).containsExactly(0, 0, 1, 0, 0);
    }

    @Test
    void shouldRefuseRowsReadForAShorterRange() throws Exception {
        Protocol protocol = Protocol.of(LocalDate.of(2018, 7, 25), 2, 1, 2);
        Path csv =
                new FeatureCsv()
                        .genuine("d1", "2018-07-25 11:00:00", "D")
                        .write(dir.resolve("features.csv"));
        FeatureFile data =
                FeatureFile.read(csv, protocol.dataFrom(), Instant.parse("2018-07-29T00:00:00Z"));

        assertThatThrownBy(() -> protocol.split(data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "the protocol needs [2018-07-25T00:00:00Z, 2018-07-30T00:00:00Z)");
    }

    private static List<String> ids(FeatureFile data, int[] rows) {
        return Arrays.stream(rows).mapToObj(data::transactionId).toList();
    }
}
