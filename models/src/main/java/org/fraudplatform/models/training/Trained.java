package org.fraudplatform.models.training;

import java.util.function.ToDoubleFunction;
import org.fraudplatform.models.runtime.ScoringModel;

/**
 * What a trainer returns.
 *
 * @param model the portable model, what the decision path scores with
 * @param library the same score computed by the training library itself (Tribuo, XGBoost,
 *     Deeplearning4j), one row at a time: the reference the portable model is tested against, and a
 *     baseline for benchmarks; it holds the library's model (and native memory) while referenced
 * @param trainingSeconds wall-clock seconds the training call took, export included
 */
public record Trained(
        ScoringModel model, ToDoubleFunction<double[]> library, double trainingSeconds) {}
