package org.fraudplatform.models.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.fraudplatform.models.runtime.ScoringModel;
import org.fraudplatform.models.training.TrainingData;

/**
 * Chooses a model's settings by prequential validation ({@link Prequential}): every candidate is
 * trained on each fold's training rows and scored on its validation days, and the candidate with
 * the highest average precision over the folds (the mean of the folds' APs) wins; NaN ranks last
 * and the first of equals wins, so the order of the candidates decides ties. ROC AUC and card
 * precision@100 per fold are kept for the report but choose nothing. The test weeks are never read.
 */
public final class PrequentialSearch {

    /**
     * One setting to try.
     *
     * @param name unique within a search, e.g. {@code depth 6, eta 0.1, balanced}
     * @param settings the values that differ between candidates, for the report
     * @param trainer trains a model on a fold's training rows (with its own seed, so that a fold
     *     gives the same model each time)
     */
    public record Candidate(
            String name,
            Map<String, String> settings,
            Function<TrainingData, ScoringModel> trainer) {

        public Candidate {
            if (name == null || name.isBlank() || trainer == null) {
                throw new IllegalArgumentException("a candidate needs a name and a trainer");
            }
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }
    }

    /**
     * A candidate's validation metrics, one value per fold (newest fold first).
     *
     * @param seconds wall-clock time over all folds, training and scoring
     */
    public record Outcome(
            Candidate candidate,
            double[] averagePrecision,
            double[] rocAuc,
            double[] cardPrecisionAt100,
            double seconds) {

        public Outcome {
            averagePrecision = averagePrecision.clone();
            rocAuc = rocAuc.clone();
            cardPrecisionAt100 = cardPrecisionAt100.clone();
        }

        /** The mean of the folds' average precisions: what the search maximizes. */
        public double meanAveragePrecision() {
            return mean(averagePrecision);
        }

        public double meanRocAuc() {
            return mean(rocAuc);
        }

        public double meanCardPrecisionAt100() {
            return mean(cardPrecisionAt100);
        }

        @Override
        public double[] averagePrecision() {
            return averagePrecision.clone();
        }

        @Override
        public double[] rocAuc() {
            return rocAuc.clone();
        }

        @Override
        public double[] cardPrecisionAt100() {
            return cardPrecisionAt100.clone();
        }
    }

    /**
     * What a search tried and found.
     *
     * @param folds each fold's description (newest first), as its split describes itself
     * @param outcomes one per candidate, in the order tried
     */
    public record Result(List<String> folds, List<Outcome> outcomes) {

        public Result {
            folds = List.copyOf(folds);
            outcomes = List.copyOf(outcomes);
            if (outcomes.isEmpty()) {
                throw new IllegalArgumentException("a search needs at least one candidate");
            }
        }

        /** The outcome with the highest mean validation AP (NaN last, the first of equals). */
        public Outcome best() {
            Outcome best = outcomes.get(0);
            for (Outcome o : outcomes) {
                double ap = o.meanAveragePrecision();
                double bestAp = best.meanAveragePrecision();
                if (!Double.isNaN(ap) && (Double.isNaN(bestAp) || ap > bestAp)) {
                    best = o;
                }
            }
            return best;
        }

        /** Total wall-clock seconds of the search. */
        public double seconds() {
            double s = 0;
            for (Outcome o : outcomes) {
                s += o.seconds();
            }
            return s;
        }
    }

    private PrequentialSearch() {}

    /**
     * Trains and validates every candidate on every fold, reporting each fold's AP and each
     * candidate's mean to {@code progress} as it goes.
     *
     * @param folds the validation splits (newest first), e.g. each of {@link
     *     Prequential#protocols()} applied to its rows
     * @throws IllegalArgumentException without folds or candidates, or with two candidates of one
     *     name
     */
    public static Result run(
            List<Split> folds, List<Candidate> candidates, Consumer<String> progress) {
        if (folds.isEmpty() || candidates.isEmpty()) {
            throw new IllegalArgumentException("a search needs folds and candidates");
        }
        if (candidates.stream().map(Candidate::name).distinct().count() != candidates.size()) {
            throw new IllegalArgumentException("two candidates share a name");
        }
        List<String> descriptions = new ArrayList<>();
        for (Split fold : folds) {
            descriptions.add(fold.design().description());
        }
        List<Outcome> outcomes = new ArrayList<>();
        int index = 0;
        for (Candidate c : candidates) {
            index++;
            long started = System.nanoTime();
            double[] ap = new double[folds.size()];
            double[] auc = new double[folds.size()];
            double[] cp = new double[folds.size()];
            for (int f = 0; f < folds.size(); f++) {
                Split fold = folds.get(f);
                TrainingData training =
                        new TrainingData(
                                fold.data().featureNames(),
                                fold.training().features(),
                                fold.training().labels());
                ScoringModel model = c.trainer().apply(training);
                double[][] x = fold.testFeatures();
                double[] scores = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    scores[i] = model.score(x[i]);
                }
                int[] labels = fold.testLabels();
                ap[f] = Metrics.averagePrecision(scores, labels);
                auc[f] = Metrics.rocAuc(scores, labels);
                cp[f] = Metrics.cardPrecisionAtK(fold.testDays(), scores, 100);
                progress.accept(
                        String.format(
                                Locale.ROOT,
                                "search %d/%d %s, fold %d/%d: validation AP %.3f",
                                index,
                                candidates.size(),
                                c.name(),
                                f + 1,
                                folds.size(),
                                ap[f]));
            }
            Outcome o = new Outcome(c, ap, auc, cp, (System.nanoTime() - started) / 1e9);
            outcomes.add(o);
            progress.accept(
                    String.format(
                            Locale.ROOT,
                            "search %d/%d %s: mean validation AP %.4f, AUC %.4f, CP@100 %.4f"
                                    + " (%.0f s)",
                            index,
                            candidates.size(),
                            c.name(),
                            o.meanAveragePrecision(),
                            o.meanRocAuc(),
                            o.meanCardPrecisionAt100(),
                            o.seconds()));
        }
        return new Result(descriptions, outcomes);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
