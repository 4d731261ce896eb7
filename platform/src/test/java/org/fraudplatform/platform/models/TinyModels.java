package org.fraudplatform.platform.models;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.models.runtime.LinearModel;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.Standardization;
import org.fraudplatform.risk.models.LoadedModel;
import org.fraudplatform.risk.models.ModelArtifact;

/**
 * Small hand-made models over the real model inputs ({@code amount_minor} and the catalogue's
 * features) whose scores a test can predict: only the amount counts, and {@code amountWeight} says
 * how much.
 */
public final class TinyModels {

    private TinyModels() {}

    /**
     * A logistic model scoring {@code sigmoid(-2 + amountWeight * (amount - 5000) / 2000)}: with
     * weight 2, 25.00 scores about 0.01 and 200.00 about 1.
     */
    public static ModelArtifact amountModel(
            String name, double amountWeight, String catalogueHash) {
        List<String> features = new ArrayList<>();
        features.add(LoadedModel.AMOUNT);
        features.addAll(FeatureCatalogue.standard().names());
        int n = features.size();
        double[] mean = new double[n];
        double[] std = new double[n];
        Arrays.fill(std, 1.0);
        mean[0] = 5000;
        std[0] = 2000;
        double[] weights = new double[n];
        weights[0] = amountWeight;
        LinearModel model = new LinearModel(features, new Standardization(mean, std), weights, -2);
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        return new ModelArtifact(
                name,
                LinearModel.KIND,
                features,
                catalogueHash,
                from,
                from.plusSeconds(7 * 86_400),
                from.plusSeconds(14 * 86_400),
                from.plusSeconds(21 * 86_400),
                Map.of("roc_auc", 0.5),
                7L,
                Map.of("java", System.getProperty("java.version")),
                ModelCodec.write(model));
    }
}
