package org.fraudplatform.models.runtime;

import java.util.List;
import java.util.Objects;

/**
 * A model whose score is a fraud probability: the model's own score passed through its {@link
 * PlattCalibration}, fitted on a validation period. The ranking, and so every explanation, is the
 * model's own: {@link #explain} gives the uncalibrated model's contributions. {@link ModelCodec}
 * stores the calibration with the model (format 2), so the registry, the risk topology and the
 * back-test all score the calibrated probability.
 */
public final class CalibratedModel implements ScoringModel {

    private final ScoringModel model;
    private final PlattCalibration calibration;

    public CalibratedModel(ScoringModel model, PlattCalibration calibration) {
        if (model instanceof CalibratedModel) {
            throw new IllegalArgumentException("the model is calibrated already");
        }
        this.model = Objects.requireNonNull(model, "model");
        this.calibration = Objects.requireNonNull(calibration, "calibration");
    }

    /** The model before calibration. */
    public ScoringModel uncalibrated() {
        return model;
    }

    public PlattCalibration calibration() {
        return calibration;
    }

    @Override
    public String kind() {
        return model.kind();
    }

    @Override
    public List<String> featureNames() {
        return model.featureNames();
    }

    @Override
    public double score(double[] x) {
        return calibration.apply(model.score(x));
    }

    @Override
    public List<Contribution> explain(double[] x, int top) {
        return model.explain(x, top);
    }
}
