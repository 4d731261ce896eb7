package org.fraudplatform.models.training;

import org.fraudplatform.models.runtime.ScoringModel;

/** Scores of many rows, for the tests. */
final class Scores {

    private Scores() {}

    /** The model's score of every row. */
    static double[] of(ScoringModel model, TrainingData data) {
        double[] scores = new double[data.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = model.score(data.x()[i]);
        }
        return scores;
    }

    /**
     * The mean score with every fraud weighted {@link TrainingData#balancedFraudWeight()}: about
     * one half for a model trained on that balanced problem.
     */
    static double fraudWeightedMean(ScoringModel model, TrainingData data) {
        double weight = data.balancedFraudWeight();
        double sum = 0;
        double total = 0;
        for (int i = 0; i < data.size(); i++) {
            double w = data.y()[i] == 1 ? weight : 1;
            sum += w * model.score(data.x()[i]);
            total += w;
        }
        return sum / total;
    }
}
