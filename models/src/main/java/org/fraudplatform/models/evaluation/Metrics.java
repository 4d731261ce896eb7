package org.fraudplatform.models.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The handbook's performance metrics of fraud scores against labels (1 fraud, 0 genuine); a higher
 * score means more suspicious.
 *
 * <p>Every metric works on the distinct score thresholds, high to low, so tied scores are always
 * one step: a model cannot look better or worse through the order of its ties. Scores must not be
 * NaN, labels must be 0 or 1 and the arrays of equal, non-zero length ({@link
 * IllegalArgumentException} otherwise: that is a caller's bug). A metric undefined for the data (no
 * fraud, or no genuine row, where it needs both) is {@link Double#NaN}, so a report can still show
 * the others; the report prints it as "n/a".
 */
public final class Metrics {

    /** Key of {@link #rocAuc} in {@link #summary}. */
    public static final String ROC_AUC = "roc_auc";

    /** Key of {@link #averagePrecision} in {@link #summary}. */
    public static final String AVERAGE_PRECISION = "average_precision";

    /** Key of {@link #cardPrecisionAtK} with k = 100 in {@link #summary}. */
    public static final String CARD_PRECISION_AT_100 = "card_precision_at_100";

    /** Key of {@link #recallAtFalsePositiveRate} at 1 % in {@link #summary}. */
    public static final String RECALL_AT_1PCT_FPR = "recall_at_1pct_fpr";

    /** Key of {@link #brier}. */
    public static final String BRIER = "brier_score";

    /** Bins of a reliability plot ({@link #reliability}). */
    public static final int RELIABILITY_BINS = 10;

    /** The most points a curve keeps for a chart. */
    public static final int CHART_POINTS = 200;

    /** Bins per class of a score histogram. */
    public static final int HISTOGRAM_BINS = 20;

    private Metrics() {}

    /** A point of a curve: false-positive rate and recall (ROC), or recall and precision (PR). */
    public record CurvePoint(double x, double y) {}

    /**
     * Counts of fraud and genuine scores in equal-width bins over {@code [low, high]} (the last bin
     * closed): {@code [0, 1]} when every score lies there, else the range of the finite scores (an
     * infinite score counts in the first or last bin).
     */
    public record ScoreHistogram(double low, double high, long[] fraud, long[] genuine) {

        /** The {@code bins + 1} bin edges. */
        public double[] edges() {
            double[] edges = new double[fraud.length + 1];
            for (int i = 0; i < edges.length; i++) {
                edges[i] = low + (high - low) * i / fraud.length;
            }
            return edges;
        }
    }

    /**
     * The handbook's headline metrics of a model's test scores, aligned with {@link
     * Split#testRows()}: {@link #ROC_AUC}, {@link #AVERAGE_PRECISION}, {@link
     * #CARD_PRECISION_AT_100}, {@link #RECALL_AT_1PCT_FPR}, then {@link #BRIER}, in that order.
     */
    public static Map<String, Double> summary(Split split, double[] scores) {
        int[] labels = split.testLabels();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(ROC_AUC, rocAuc(scores, labels));
        metrics.put(AVERAGE_PRECISION, averagePrecision(scores, labels));
        metrics.put(CARD_PRECISION_AT_100, cardPrecisionAtK(split.testDays(), scores, 100));
        metrics.put(RECALL_AT_1PCT_FPR, recallAtFalsePositiveRate(scores, labels, 0.01));
        metrics.put(BRIER, brier(scores, labels));
        return metrics;
    }

    /**
     * The Brier score: the mean squared difference between the score, read as a fraud probability,
     * and the label (1 fraud, 0 genuine). 0 is perfect; lower is better; it rewards calibration and
     * ranking together.
     */
    public static double brier(double[] scores, int[] labels) {
        Steps.check(scores, labels);
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            double d = scores[i] - labels[i];
            sum += d * d;
        }
        return sum / scores.length;
    }

    /**
     * One bin of a reliability plot: the rows whose score lies in [low, high) (the last bin
     * includes 1), their mean score and the share of them that was fraud.
     */
    public record ReliabilityBin(
            double low, double high, long rows, double meanScore, double fraudRate) {}

    /**
     * The reliability plot's points: scores in {@code bins} equal bins of [0, 1], the non-empty
     * ones in order. For calibrated scores each bin's fraud rate is close to its mean score.
     */
    public static List<ReliabilityBin> reliability(double[] scores, int[] labels, int bins) {
        Steps.check(scores, labels);
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1");
        }
        long[] rows = new long[bins];
        long[] frauds = new long[bins];
        double[] sums = new double[bins];
        for (int i = 0; i < scores.length; i++) {
            double s = Math.min(Math.max(scores[i], 0), 1);
            int bin = Math.min((int) (s * bins), bins - 1);
            rows[bin]++;
            frauds[bin] += labels[i];
            sums[bin] += scores[i];
        }
        List<ReliabilityBin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (rows[b] > 0) {
                out.add(
                        new ReliabilityBin(
                                (double) b / bins,
                                (double) (b + 1) / bins,
                                rows[b],
                                sums[b] / rows[b],
                                (double) frauds[b] / rows[b]));
            }
        }
        return out;
    }

    /**
     * Area under the ROC curve: the probability that a random fraud scores above a random genuine
     * row, a tie counting one half (the Mann-Whitney statistic; tied scores take their average
     * rank). NaN without fraud or without genuine rows.
     */
    public static double rocAuc(double[] scores, int[] labels) {
        Steps s = Steps.of(scores, labels);
        if (s.positives == 0 || s.negatives == 0) {
            return Double.NaN;
        }
        // trapezoids under the ROC steps, in integer units of (1 / P) x (1 / N) / 2
        long area = 0;
        long tp = 0;
        long fp = 0;
        for (int k = 0; k < s.size(); k++) {
            area += (s.fp[k] - fp) * (s.tp[k] + tp);
            tp = s.tp[k];
            fp = s.fp[k];
        }
        return area / (2.0 * s.positives * s.negatives);
    }

    /**
     * Average precision, as scikit-learn computes it (the handbook's tool): the precision at each
     * threshold weighted by the recall it adds, {@code sum (R_k - R_k-1) P_k}, without
     * interpolation. NaN without fraud; 1 when every row is fraud.
     */
    public static double averagePrecision(double[] scores, int[] labels) {
        Steps s = Steps.of(scores, labels);
        if (s.positives == 0) {
            return Double.NaN;
        }
        double sum = 0;
        long tp = 0;
        for (int k = 0; k < s.size(); k++) {
            long added = s.tp[k] - tp;
            if (added > 0) {
                sum += (double) added * s.tp[k] / (s.tp[k] + s.fp[k]);
            }
            tp = s.tp[k];
        }
        return sum / s.positives;
    }

    /**
     * The highest share of frauds caught by a threshold whose false-positive rate is at most {@code
     * maxFalsePositiveRate} (0 when even the highest threshold exceeds it). NaN without fraud or
     * without genuine rows.
     */
    public static double recallAtFalsePositiveRate(
            double[] scores, int[] labels, double maxFalsePositiveRate) {
        if (!(maxFalsePositiveRate >= 0 && maxFalsePositiveRate <= 1)) {
            throw new IllegalArgumentException(
                    "a false-positive rate lies in [0, 1], not " + maxFalsePositiveRate);
        }
        Steps s = Steps.of(scores, labels);
        if (s.positives == 0 || s.negatives == 0) {
            return Double.NaN;
        }
        long best = 0;
        for (int k = 0; k < s.size(); k++) {
            if ((double) s.fp[k] / s.negatives > maxFalsePositiveRate) {
                break;
            }
            best = s.tp[k];
        }
        return (double) best / s.positives;
    }

    /**
     * Card precision at {@code k}, the handbook's daily measure of an investigator's queue: per
     * test day, each card scores its highest score that day, the {@code k} highest cards are
     * checked, and the share of them that are compromised (any fraud row that day) is the day's
     * value, always over {@code k} (a day with fewer cards cannot fill the queue); the result is
     * the mean over days. A compromised card found in a day's queue is blocked, so it leaves the
     * rankings of every later day (the handbook's {@code card_precision_top_k}): a model is not
     * credited twice for a card it has already caught. Cards tied across the cut-off share the
     * remaining places: they count their expected number of frauds under a random order, so ties
     * cannot be broken in a model's favour; only the cards sure to be in the queue (above the
     * cut-off, or the whole tied group when it fits) count as found for later days. NaN without
     * test days.
     *
     * @param scores aligned with the days' rows concatenated in order ({@link Split#testRows()})
     */
    public static double cardPrecisionAtK(List<TestDay> testDays, double[] scores, int k) {
        double[] byDay = cardPrecisionAtKByDay(testDays, scores, k);
        if (byDay.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double d : byDay) {
            sum += d;
        }
        return sum / byDay.length;
    }

    /** The daily values behind {@link #cardPrecisionAtK}, in day order. */
    public static double[] cardPrecisionAtKByDay(List<TestDay> testDays, double[] scores, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, not " + k);
        }
        int total = 0;
        for (TestDay day : testDays) {
            total += day.size();
        }
        if (scores.length != total) {
            throw new IllegalArgumentException(
                    scores.length + " scores for " + total + " test rows");
        }
        double[] byDay = new double[testDays.size()];
        Set<String> found = new HashSet<>();
        int offset = 0;
        for (int d = 0; d < testDays.size(); d++) {
            TestDay day = testDays.get(d);
            byDay[d] = dayCardPrecision(day, scores, offset, k, found);
            offset += day.size();
        }
        return byDay;
    }

    /**
     * One day's card precision over the cards not yet in {@code found}; adds the compromised cards
     * sure to be in this day's queue to {@code found}.
     */
    private static double dayCardPrecision(
            TestDay day, double[] scores, int offset, int k, Set<String> found) {
        Map<String, Integer> index = new HashMap<>();
        String[] names = new String[day.size()];
        double[] max = new double[day.size()];
        boolean[] fraud = new boolean[day.size()];
        int cards = 0;
        for (int i = 0; i < day.size(); i++) {
            double score = scores[offset + i];
            if (Double.isNaN(score)) {
                throw new IllegalArgumentException("score " + (offset + i) + " is NaN");
            }
            String card = day.cards()[i];
            if (found.contains(card)) {
                continue;
            }
            Integer c = index.get(card);
            if (c == null) {
                c = cards++;
                index.put(card, c);
                names[c] = card;
                max[c] = score;
            } else {
                max[c] = Math.max(max[c], score);
            }
            fraud[c] |= day.labels()[i] == 1;
        }
        // every card is in the queue when there are at most k of them
        double cut = Double.NEGATIVE_INFINITY;
        if (cards > k) {
            double[] sorted = Arrays.copyOf(max, cards);
            Arrays.sort(sorted);
            cut = sorted[cards - k]; // the k-th highest card score
        }
        int above = 0;
        int fraudAbove = 0;
        int tied = 0;
        int fraudTied = 0;
        for (int c = 0; c < cards; c++) {
            if (max[c] > cut) {
                above++;
                fraudAbove += fraud[c] ? 1 : 0;
            } else if (max[c] == cut) {
                tied++;
                fraudTied += fraud[c] ? 1 : 0;
            }
        }
        boolean tiedFit = above + tied <= k;
        for (int c = 0; c < cards; c++) {
            if (fraud[c] && (max[c] > cut || (max[c] == cut && tiedFit))) {
                found.add(names[c]);
            }
        }
        if (tied == 0 || tiedFit) {
            return (double) (fraudAbove + fraudTied) / k;
        }
        double places = k - above;
        return (fraudAbove + places * fraudTied / tied) / k;
    }

    /**
     * The ROC curve, false-positive rate (x) against recall (y), from (0, 0) to (1, 1), one point
     * per distinct threshold, thinned to at most {@link #CHART_POINTS} points for a chart.
     *
     * @throws IllegalArgumentException without fraud or without genuine rows (no curve)
     */
    public static List<CurvePoint> rocCurve(double[] scores, int[] labels) {
        return rocCurve(scores, labels, CHART_POINTS);
    }

    /** As {@link #rocCurve(double[], int[])}, with at most {@code maxPoints} points. */
    public static List<CurvePoint> rocCurve(double[] scores, int[] labels, int maxPoints) {
        Steps s = Steps.of(scores, labels);
        if (s.positives == 0 || s.negatives == 0) {
            throw new IllegalArgumentException("a ROC curve needs fraud and genuine rows");
        }
        List<CurvePoint> points = new ArrayList<>(s.size() + 1);
        points.add(new CurvePoint(0, 0));
        for (int k = 0; k < s.size(); k++) {
            points.add(
                    new CurvePoint((double) s.fp[k] / s.negatives, (double) s.tp[k] / s.positives));
        }
        return thin(points, maxPoints);
    }

    /**
     * The precision-recall curve, recall (x) against precision (y), one point per distinct
     * threshold from the highest, starting as scikit-learn does at (0, 1); thinned to at most
     * {@link #CHART_POINTS} points for a chart.
     *
     * @throws IllegalArgumentException without fraud (no curve)
     */
    public static List<CurvePoint> precisionRecallCurve(double[] scores, int[] labels) {
        return precisionRecallCurve(scores, labels, CHART_POINTS);
    }

    /** As {@link #precisionRecallCurve(double[], int[])}, with at most {@code maxPoints} points. */
    public static List<CurvePoint> precisionRecallCurve(
            double[] scores, int[] labels, int maxPoints) {
        Steps s = Steps.of(scores, labels);
        if (s.positives == 0) {
            throw new IllegalArgumentException("a precision-recall curve needs fraud rows");
        }
        List<CurvePoint> points = new ArrayList<>(s.size() + 1);
        points.add(new CurvePoint(0, 1));
        for (int k = 0; k < s.size(); k++) {
            points.add(
                    new CurvePoint(
                            (double) s.tp[k] / s.positives,
                            (double) s.tp[k] / (s.tp[k] + s.fp[k])));
        }
        return thin(points, maxPoints);
    }

    /** Fraud and genuine scores in {@link #HISTOGRAM_BINS} bins each. */
    public static ScoreHistogram histogram(double[] scores, int[] labels) {
        return histogram(scores, labels, HISTOGRAM_BINS);
    }

    /** Fraud and genuine scores in {@code bins} bins each. */
    public static ScoreHistogram histogram(double[] scores, int[] labels, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be positive, not " + bins);
        }
        Steps.check(scores, labels);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            if (!Double.isInfinite(s)) {
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
        }
        if (min > max) { // only infinite scores
            min = 0;
            max = 1;
        }
        double low = min >= 0 && max <= 1 ? 0 : min;
        double high = min >= 0 && max <= 1 ? 1 : max;
        if (high == low) {
            low -= 0.5;
            high += 0.5;
        }
        long[] fraud = new long[bins];
        long[] genuine = new long[bins];
        for (int i = 0; i < scores.length; i++) {
            int bin = (int) Math.floor((scores[i] - low) / (high - low) * bins);
            bin = Math.max(0, Math.min(bins - 1, bin));
            if (labels[i] == 1) {
                fraud[bin]++;
            } else {
                genuine[bin]++;
            }
        }
        return new ScoreHistogram(low, high, fraud, genuine);
    }

    /**
     * Keeps at most {@code maxPoints} points of a curve, evenly spaced along its length (so the
     * steep start of a ROC curve keeps its shape), always the first and the last.
     */
    static List<CurvePoint> thin(List<CurvePoint> points, int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("a curve needs at least 2 points");
        }
        if (points.size() <= maxPoints) {
            return List.copyOf(points);
        }
        double[] along = new double[points.size()];
        for (int i = 1; i < points.size(); i++) {
            CurvePoint a = points.get(i - 1);
            CurvePoint b = points.get(i);
            along[i] = along[i - 1] + Math.hypot(b.x() - a.x(), b.y() - a.y());
        }
        double step = along[along.length - 1] / (maxPoints - 1);
        List<CurvePoint> kept = new ArrayList<>(maxPoints);
        kept.add(points.get(0));
        double next = step;
        for (int i = 1; i < points.size() - 1 && kept.size() < maxPoints - 1; i++) {
            if (along[i] >= next) {
                kept.add(points.get(i));
                next = (Math.floor(along[i] / step) + 1) * step;
            }
        }
        kept.add(points.get(points.size() - 1));
        return List.copyOf(kept);
    }

    /**
     * The cumulative counts of fraud (true positives) and genuine rows (false positives) scoring at
     * or above each distinct score, from the highest score down.
     */
    private static final class Steps {
        private final long[] tp;
        private final long[] fp;
        private final int size;
        private final long positives;
        private final long negatives;

        private Steps(long[] tp, long[] fp, int size, long positives, long negatives) {
            this.tp = tp;
            this.fp = fp;
            this.size = size;
            this.positives = positives;
            this.negatives = negatives;
        }

        int size() {
            return size;
        }

        static void check(double[] scores, int[] labels) {
            if (scores.length != labels.length) {
                throw new IllegalArgumentException(
                        scores.length + " scores but " + labels.length + " labels");
            }
            if (scores.length == 0) {
                throw new IllegalArgumentException("no scores");
            }
            for (int i = 0; i < scores.length; i++) {
                if (labels[i] != 0 && labels[i] != 1) {
                    throw new IllegalArgumentException(
                            "label " + i + " is " + labels[i] + ", not 0 or 1");
                }
                if (Double.isNaN(scores[i])) {
                    throw new IllegalArgumentException("score " + i + " is NaN");
                }
            }
        }

        static Steps of(double[] scores, int[] labels) {
            check(scores, labels);
            int positives = 0;
            for (int label : labels) {
                positives += label;
            }
            double[] fraud = new double[positives];
            double[] genuine = new double[scores.length - positives];
            int f = 0;
            int g = 0;
            for (int i = 0; i < scores.length; i++) {
                if (labels[i] == 1) {
                    fraud[f++] = scores[i];
                } else {
                    genuine[g++] = scores[i];
                }
            }
            Arrays.sort(fraud);
            Arrays.sort(genuine);
            long[] tp = new long[scores.length];
            long[] fp = new long[scores.length];
            int size = 0;
            int i = fraud.length - 1;
            int j = genuine.length - 1;
            long t = 0;
            long n = 0;
            while (i >= 0 || j >= 0) {
                double threshold =
                        i < 0 ? genuine[j] : j < 0 ? fraud[i] : Math.max(fraud[i], genuine[j]);
                while (i >= 0 && fraud[i] == threshold) {
                    t++;
                    i--;
                }
                while (j >= 0 && genuine[j] == threshold) {
                    n++;
                    j--;
                }
                tp[size] = t;
                fp[size] = n;
                size++;
            }
            return new Steps(tp, fp, size, positives, genuine.length);
        }
    }
}
