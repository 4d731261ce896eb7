package org.fraudplatform.models.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.fraudplatform.models.training.Trained;
import org.fraudplatform.models.training.Trainers;
import org.fraudplatform.models.training.TrainingData;

/**
 * The fraud handbook's baseline model, rebuilt on a feature backfill to check the whole metric
 * stack against the book: a logistic regression as the book trains it (scikit-learn's defaults on
 * standardized inputs: L2 with C = 1, no class weights) on exactly the book's 15 inputs ({@link
 * #INPUTS}), scored with {@link Metrics}. On the book's protocol and a backfill with exact merchant
 * windows ({@code --merchant-bucket 0s}), it should land on the book's published baseline ({@link
 * EvaluationReport#HANDBOOK_BASELINES}).
 *
 * <p>Run it on a backfill: {@code HandbookBaseline <features.csv> [trainFrom trainDays gapDays
 * testDays]}; it prints the metrics and the book's.
 */
public final class HandbookBaseline {

    /**
     * The book's inputs by their catalogue names: {@code TX_AMOUNT}, {@code TX_DURING_WEEKEND},
     * {@code TX_DURING_NIGHT}, the customer's number of transactions and average amount over 1, 7
     * and 30 days, and the terminal's number of transactions and fraud risk over 1, 7 and 30 days
     * ending 7 days before.
     */
    public static final List<String> INPUTS =
            List.of(
                    "amount_minor",
                    "during_weekend",
                    "during_night",
                    "card_count_1d",
                    "card_count_7d",
                    "card_count_30d",
                    "card_avg_amount_1d",
                    "card_avg_amount_7d",
                    "card_avg_amount_30d",
                    "merchant_count_1d_lag7d",
                    "merchant_count_7d_lag7d",
                    "merchant_count_30d_lag7d",
                    "merchant_fraud_rate_1d_lag7d",
                    "merchant_fraud_rate_7d_lag7d",
                    "merchant_fraud_rate_30d_lag7d");

    /** scikit-learn's default inverse regularization strength. */
    public static final double C = 1.0;

    /** The name of the result in reports. */
    public static final String NAME = "handbook_logistic_regression";

    private HandbookBaseline() {}

    /**
     * Trains the book's logistic regression on the split's training rows and scores its test rows.
     *
     * @throws IllegalArgumentException if the file lacks one of the {@link #INPUTS}
     */
    public static ModelResult evaluate(Split split, Consumer<String> progress) {
        int[] columns = columns(split.data().featureNames());
        TrainingData training =
                new TrainingData(
                        INPUTS,
                        select(split.training().features(), columns),
                        split.training().labels());
        Trained trained = Trainers.penalizedLogisticRegression(training, C, progress);
        double[][] test = select(split.testFeatures(), columns);
        double[] scores = new double[test.length];
        for (int i = 0; i < test.length; i++) {
            scores[i] = trained.model().score(test[i]);
        }
        return ModelResult.evaluate(
                NAME,
                "logistic regression, L2, C = 1, standardized (scikit-learn's defaults)",
                trained.trainingSeconds(),
                Map.of("C", Double.toString(C), "inputs", Integer.toString(INPUTS.size())),
                split,
                scores);
    }

    /** The positions of {@link #INPUTS} among a file's model inputs. */
    static int[] columns(List<String> featureNames) {
        int[] columns = new int[INPUTS.size()];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < columns.length; j++) {
            columns[j] = featureNames.indexOf(INPUTS.get(j));
            if (columns[j] < 0) {
                missing.add(INPUTS.get(j));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "the backfill lacks the handbook's inputs " + missing);
        }
        return columns;
    }

    private static double[][] select(double[][] rows, int[] columns) {
        double[][] selected = new double[rows.length][columns.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < columns.length; j++) {
                selected[i][j] = rows[i][columns[j]];
            }
        }
        return selected;
    }

    /**
     * {@code <features.csv> [trainFrom trainDays gapDays testDays]}: the book's protocol by
     * default.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1 && args.length != 5) {
            System.err.println(
                    "usage: HandbookBaseline <features.csv> [trainFrom trainDays gapDays testDays]");
            System.exit(2);
        }
        Protocol protocol =
                args.length == 1
                        ? Protocol.handbookDefault()
                        : Protocol.of(
                                LocalDate.parse(args[1]),
                                Integer.parseInt(args[2]),
                                Integer.parseInt(args[3]),
                                Integer.parseInt(args[4]));
        Split split =
                protocol.split(
                        FeatureFile.read(Path.of(args[0]), protocol.dataFrom(), protocol.dataTo()));
        ModelResult r = evaluate(split, line -> {});
        System.out.println(protocol.describe());
        System.out.printf(
                Locale.ROOT,
                "%-36s AUC %.3f  AP %.3f  CP@100 %.3f%n",
                NAME,
                r.metric(Metrics.ROC_AUC),
                r.metric(Metrics.AVERAGE_PRECISION),
                r.metric(Metrics.CARD_PRECISION_AT_100));
        if (split.design().handbookBaselinesApply()) {
            for (EvaluationReport.Baseline b : EvaluationReport.HANDBOOK_BASELINES) {
                System.out.printf(
                        Locale.ROOT,
                        "%-36s AUC %.3f  AP %.3f  CP@100 %.3f%n",
                        b.name(),
                        b.rocAuc(),
                        b.averagePrecision(),
                        b.cardPrecisionAt100());
            }
        }
    }
}
