package org.fraudplatform.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import org.fraudplatform.models.evaluation.Metrics.CurvePoint;
import org.fraudplatform.models.evaluation.Metrics.ScoreHistogram;
import org.junit.jupiter.api.Test;

/** The metrics on cases small enough to check by hand, and against their definitions. */
class MetricsTest {

    private static final double EXACT = 1e-12;

    @Test
    void rocAucShouldCountTheFraudGenuinePairsInOrder() {
        // frauds 0.9 and 0.7, genuine 0.8 and 0.6: 3 of the 4 pairs are in order
        double[] scores = {0.9, 0.8, 0.7, 0.6};
        int[] labels = {1, 0, 1, 0};

        assertThat(Metrics.rocAuc(scores, labels)).isCloseTo(0.75, within(EXACT));
    }

    @Test
    void rocAucShouldCountATieAsHalfAPair() {
        // fraud 0.5 ties both genuine 0.5 (2 x 1/2), fraud 0.2 is below both: 1 of 4
        double[] scores = {0.5, 0.5, 0.5, 0.2};
        int[] labels = {1, 0, 0, 1};

        assertThat(Metrics.rocAuc(scores, labels)).isCloseTo(0.25, within(EXACT));
        assertThat(Metrics.rocAuc(new double[] {0.3, 0.3}, new int[] {1, 0})).isEqualTo(0.5);
    }

    @Test
    void rocAucShouldBeTheChanceThatARandomFraudOutranksARandomGenuine() {
        // property: against brute force over every pair, on small random data with many ties
        Random random = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            int n = 2 + random.nextInt(40);
            double[] scores = new double[n];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(8) / 8.0;
                labels[i] = random.nextInt(3) == 0 ? 1 : 0;
            }
            labels[0] = 1;
            labels[1] = 0;
            double pairs = 0;
            double inOrder = 0;
            for (int f = 0; f < n; f++) {
                for (int g = 0; g < n; g++) {
                    if (labels[f] == 1 && labels[g] == 0) {
                        pairs++;
                        inOrder += scores[f] > scores[g] ? 1 : scores[f] == scores[g] ? 0.5 : 0;
                    }
                }
            }

            assertThat(Metrics.rocAuc(scores, labels)).isCloseTo(inOrder / pairs, within(EXACT));
        }
    }

    @Test
    void averagePrecisionShouldWeighEachThresholdsPrecisionByTheRecallItAdds() {
        // 0.9: P 1, R 1/2; 0.8: no recall added; 0.7: P 2/3, R 1 => 1/2 * 1 + 1/2 * 2/3
        double[] scores = {0.9, 0.8, 0.7, 0.6};
        int[] labels = {1, 0, 1, 0};

        assertThat(Metrics.averagePrecision(scores, labels))
                .isCloseTo(0.5 + 0.5 * 2 / 3.0, within(EXACT));
    }

    @Test
    void averagePrecisionShouldTakeTiedScoresAsOneThreshold() {
        // 0.5 holds a fraud and a genuine: P 1/2 at R 1/2; then 0.1: P 2/3 at R 1
        double[] scores = {0.5, 0.5, 0.1};
        int[] labels = {1, 0, 1};

        assertThat(Metrics.averagePrecision(scores, labels))
                .isCloseTo(0.5 * 0.5 + 0.5 * 2 / 3.0, within(EXACT));
        // a fraud tied with the genuine row first or second: the same answer
        assertThat(Metrics.averagePrecision(new double[] {0.5, 0.5, 0.1}, new int[] {0, 1, 1}))
                .isCloseTo(0.5 * 0.5 + 0.5 * 2 / 3.0, within(EXACT));
    }

    @Test
    void recallAtOnePercentShouldStopAtTheLastThresholdWithinTheRate() {
        // 100 genuine rows scoring 0.01 .. 1.00; frauds at 1.5, 0.995 and 0.5. Above 1.00: 1
        // fraud, no false positive; at 0.995: 2 frauds, 1 false positive = 1 %; then 2 % and more.
        double[] scores = new double[103];
        int[] labels = new int[103];
        for (int i = 0; i < 100; i++) {
            scores[i] = (i + 1) / 100.0;
        }
        scores[100] = 1.5;
        scores[101] = 0.995;
        scores[102] = 0.5;
        labels[100] = labels[101] = labels[102] = 1;

        assertThat(Metrics.recallAtFalsePositiveRate(scores, labels, 0.01))
                .isCloseTo(2 / 3.0, within(EXACT));
        assertThat(Metrics.recallAtFalsePositiveRate(scores, labels, 0.0))
                .isCloseTo(1 / 3.0, within(EXACT));
        assertThat(Metrics.recallAtFalsePositiveRate(scores, labels, 1.0)).isEqualTo(1.0);
    }

    @Test
    void metricsShouldBeNaNWhenTheDataHasOneClass() {
        double[] scores = {0.1, 0.2, 0.3};
        int[] genuine = {0, 0, 0};
        int[] fraud = {1, 1, 1};

        assertThat(Metrics.rocAuc(scores, genuine)).isNaN();
        assertThat(Metrics.rocAuc(scores, fraud)).isNaN();
        assertThat(Metrics.averagePrecision(scores, genuine)).isNaN();
        assertThat(Metrics.averagePrecision(scores, fraud)).isEqualTo(1.0);
        assertThat(Metrics.recallAtFalsePositiveRate(scores, genuine, 0.01)).isNaN();
        assertThat(Metrics.recallAtFalsePositiveRate(scores, fraud, 0.01)).isNaN();
        assertThatThrownBy(() -> Metrics.rocCurve(scores, genuine))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metricsShouldRefuseBrokenInput() {
        assertThatThrownBy(() -> Metrics.rocAuc(new double[] {0.1}, new int[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("1 scores but 2 labels");
        assertThatThrownBy(() -> Metrics.rocAuc(new double[] {0.1, 0.2}, new int[] {1, 2}))
                .hasMessage("label 1 is 2, not 0 or 1");
        assertThatThrownBy(() -> Metrics.averagePrecision(new double[] {Double.NaN}, new int[] {1}))
                .hasMessage("score 0 is NaN");
        assertThatThrownBy(() -> Metrics.rocAuc(new double[0], new int[0])).hasMessage("no scores");
    }

    @Test
    void cardPrecisionShouldRankCardsByTheirHighestScoreOfTheDay() {
        // day 1: card a's fraud row scores 0.1 but its genuine row 0.9, so a ranks first and is
        // compromised; b (0.8) is genuine; c (0.7, fraud) is outside the top 2 => 1/2.
        TestDay day1 = day(new String[] {"a", "a", "b", "c"}, new int[] {1, 0, 0, 1});
        double[] scores1 = {0.1, 0.9, 0.8, 0.7};
        // day 2: f (0.4) first, then d (fraud) and e tie at 0.3 for the last place: half a fraud
        TestDay day2 = day(new String[] {"d", "e", "f"}, new int[] {1, 0, 0});
        double[] scores2 = {0.3, 0.3, 0.4};
        double[] both = {0.1, 0.9, 0.8, 0.7, 0.3, 0.3, 0.4};

        assertThat(Metrics.cardPrecisionAtKByDay(List.of(day1, day2), both, 2))
                .containsExactly(0.5, 0.25);
        assertThat(Metrics.cardPrecisionAtK(List.of(day1, day2), both, 2)).isEqualTo(0.375);
        assertThat(Metrics.cardPrecisionAtK(List.of(day1), scores1, 2)).isEqualTo(0.5);
        assertThat(Metrics.cardPrecisionAtK(List.of(day2), scores2, 2)).isEqualTo(0.25);
    }

    /**
     * The handbook's {@code card_precision_top_k} with k = 2 over three days:
     *
     * <pre>
     * day  card score fraud  ranked (found cards left out)  value  found after
     * 1    a 0.9 yes, b 0.8 no, c 0.7 yes      a b          1/2    a
     * 2    a 0.95 yes, c 0.6 yes, d 0.5 no     c d          1/2    a c
     * 3    c 0.9 yes, e 0.4 yes, f 0.3 no      e f          1/2    a c e
     * </pre>
     *
     * Mean 1/2; ranking every card every day would give (1/2 + 1 + 1) / 3.
     */
    @Test
    void cardPrecisionShouldLeaveCardsFoundOnAnEarlierDayOutOfLaterRankings() {
        TestDay day1 = day(new String[] {"a", "b", "c"}, new int[] {1, 0, 1});
        TestDay day2 = day(new String[] {"a", "c", "d"}, new int[] {1, 1, 0});
        TestDay day3 = day(new String[] {"c", "e", "f"}, new int[] {1, 1, 0});
        double[] scores = {0.9, 0.8, 0.7, 0.95, 0.6, 0.5, 0.9, 0.4, 0.3};

        assertThat(Metrics.cardPrecisionAtKByDay(List.of(day1, day2, day3), scores, 2))
                .containsExactly(0.5, 0.5, 0.5);
        assertThat(Metrics.cardPrecisionAtK(List.of(day1, day2, day3), scores, 2)).isEqualTo(0.5);
    }

    @Test
    void cardPrecisionShouldKeepCardsTiedAcrossTheCutOffInLaterRankings() {
        // day 1, k = 2: a (0.9) is in the queue; fraud b and genuine c tie at 0.5 for the last
        // place: (1 + 1/2) / 2. Only a is sure to have been checked, so b ranks again on day 2,
        // where a (0.99) is left out: b and d fill the queue, 1/2.
        TestDay day1 = day(new String[] {"a", "b", "c"}, new int[] {1, 1, 0});
        TestDay day2 = day(new String[] {"a", "b", "d"}, new int[] {1, 1, 0});
        double[] scores = {0.9, 0.5, 0.5, 0.99, 0.8, 0.2};

        assertThat(Metrics.cardPrecisionAtKByDay(List.of(day1, day2), scores, 2))
                .containsExactly(0.75, 0.5);
    }

    @Test
    void cardPrecisionShouldDivideByKEvenWhenFewerCardsPaid() {
        // two compromised cards of three, k = 100: the queue is mostly empty
        TestDay day = day(new String[] {"a", "b", "c"}, new int[] {1, 1, 0});

        assertThat(Metrics.cardPrecisionAtK(List.of(day), new double[] {0.1, 0.2, 0.3}, 100))
                .isEqualTo(0.02);
        assertThat(Metrics.cardPrecisionAtK(List.of(), new double[0], 100)).isNaN();
        assertThatThrownBy(() -> Metrics.cardPrecisionAtK(List.of(day), new double[] {0.1}, 100))
                .hasMessage("1 scores for 3 test rows");
    }

    @Test
    void rocCurveShouldRunFromTheOriginToTheCornerThroughEachThreshold() {
        double[] scores = {0.9, 0.8, 0.7, 0.6};
        int[] labels = {1, 0, 1, 0};

        assertThat(Metrics.rocCurve(scores, labels))
                .containsExactly(
                        new CurvePoint(0, 0),
                        new CurvePoint(0, 0.5),
                        new CurvePoint(0.5, 0.5),
                        new CurvePoint(0.5, 1),
                        new CurvePoint(1, 1));
        assertThat(Metrics.precisionRecallCurve(scores, labels))
                .containsExactly(
                        new CurvePoint(0, 1),
                        new CurvePoint(0.5, 1),
                        new CurvePoint(0.5, 0.5),
                        new CurvePoint(1, 2 / 3.0),
                        new CurvePoint(1, 0.5));
    }

    @Test
    void curvesShouldBeThinnedForChartsKeepingBothEnds() {
        Random random = new Random(3);
        int n = 20_000;
        double[] scores = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(50) == 0 ? 1 : 0;
            scores[i] = random.nextDouble() + labels[i] * 0.5;
        }

        List<CurvePoint> roc = Metrics.rocCurve(scores, labels);
        List<CurvePoint> pr = Metrics.precisionRecallCurve(scores, labels);

        assertThat(roc).hasSizeLessThanOrEqualTo(Metrics.CHART_POINTS).hasSizeGreaterThan(100);
        assertThat(roc.get(0)).isEqualTo(new CurvePoint(0, 0));
        assertThat(roc.get(roc.size() - 1)).isEqualTo(new CurvePoint(1, 1));
        for (int i = 1; i < roc.size(); i++) {
            assertThat(roc.get(i).x()).isGreaterThanOrEqualTo(roc.get(i - 1).x());
            assertThat(roc.get(i).y()).isGreaterThanOrEqualTo(roc.get(i - 1).y());
        }
        assertThat(pr).hasSizeLessThanOrEqualTo(Metrics.CHART_POINTS);
        assertThat(pr.get(0)).isEqualTo(new CurvePoint(0, 1));
        assertThat(pr.get(pr.size() - 1).x()).isEqualTo(1.0);
    }

    @Test
    void histogramShouldCountEachClassInTwentyBins() {
        double[] scores = {0.0, 0.04, 0.05, 0.5, 0.99, 1.0};
        int[] labels = {0, 0, 0, 1, 1, 0};

        ScoreHistogram h = Metrics.histogram(scores, labels);

        assertThat(h.low()).isEqualTo(0.0);
        assertThat(h.high()).isEqualTo(1.0);
        assertThat(h.genuine()).hasSize(20);
        assertThat(h.genuine()[0]).isEqualTo(2); // 0.0 and 0.04
        assertThat(h.genuine()[1]).isEqualTo(1); // 0.05
        assertThat(h.genuine()[19]).isEqualTo(1); // 1.0, the last bin is closed
        assertThat(h.fraud()[10]).isEqualTo(1);
        assertThat(h.fraud()[19]).isEqualTo(1);
        assertThat(h.edges()).hasSize(21).startsWith(0.0, 0.05).endsWith(1.0);
        // scores outside [0, 1] use their own range
        assertThat(Metrics.histogram(new double[] {-2, 3}, new int[] {0, 1}).low()).isEqualTo(-2);
        // and an infinite score falls into the end bin
        assertThat(
                        Metrics.histogram(
                                        new double[] {0.5, Double.POSITIVE_INFINITY},
                                        new int[] {0, 1})
                                .fraud()[19])
                .isEqualTo(1);
    }

    @Test
    void brierScoreShouldBeTheMeanSquaredDistanceOfTheScoreFromTheLabel() {
        // (0.1 - 0)² + (0.4 - 1)² + (0.8 - 1)² + (0.5 - 0)² = 0.01 + 0.36 + 0.04 + 0.25 = 0.66
        double[] scores = {0.1, 0.4, 0.8, 0.5};
        int[] labels = {0, 1, 1, 0};

        assertThat(Metrics.brier(scores, labels)).isCloseTo(0.66 / 4, within(EXACT));
    }

    @Test
    void brierScoreShouldBeZeroForCertainAndRightAndOneForCertainAndWrong() {
        assertThat(Metrics.brier(new double[] {0, 1}, new int[] {0, 1})).isZero();
        assertThat(Metrics.brier(new double[] {1, 0}, new int[] {0, 1})).isEqualTo(1.0);
    }

    @Test
    void reliabilityShouldGiveEachNonEmptyBinItsMeanScoreAndShareOfFraud() {
        // bin [0, 0.1): 0.02, 0.04, 0.06 with one fraud; bin [0.8, 0.9): 0.85, 0.85 with two;
        // bin [0.9, 1]: 1.0, the last bin holding the top of the scale
        double[] scores = {0.02, 0.04, 0.06, 0.85, 0.85, 1.0};
        int[] labels = {0, 1, 0, 1, 1, 0};

        List<Metrics.ReliabilityBin> bins = Metrics.reliability(scores, labels, 10);

        assertThat(bins).hasSize(3);
        assertThat(bins.get(0).low()).isEqualTo(0.0);
        assertThat(bins.get(0).rows()).isEqualTo(3);
        assertThat(bins.get(0).meanScore()).isCloseTo(0.04, within(EXACT));
        assertThat(bins.get(0).fraudRate()).isCloseTo(1.0 / 3, within(EXACT));
        assertThat(bins.get(1).low()).isCloseTo(0.8, within(EXACT));
        assertThat(bins.get(1).meanScore()).isCloseTo(0.85, within(EXACT));
        assertThat(bins.get(1).fraudRate()).isEqualTo(1.0);
        assertThat(bins.get(2).high()).isEqualTo(1.0);
        assertThat(bins.get(2).rows()).isEqualTo(1);
        assertThat(bins.get(2).fraudRate()).isZero();
    }

    private static TestDay day(String[] cards, int[] labels) {
        return new TestDay(
                LocalDate.of(2018, 8, 8), new int[cards.length], cards, labels, List.of(), 0);
    }
}
