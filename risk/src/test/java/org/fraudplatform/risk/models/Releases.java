package org.fraudplatform.risk.models;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.models.runtime.LinearModel;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.Standardization;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;

/**
 * Registry records of small logistic models over the real inputs ({@code amount_minor} and the
 * catalogue): {@code sigmoid(-2 + amountWeight * (amount - 5000) / 2000 + ipWeight *
 * ip_distinct_cards_1d)}.
 */
public final class Releases {

    public static final FeatureCatalogue CATALOGUE = FeatureCatalogue.standard();

    private Releases() {}

    /** The amount and every catalogue feature, in the order the models here read them. */
    public static List<String> inputs() {
        List<String> features = new ArrayList<>();
        features.add(LoadedModel.AMOUNT);
        features.addAll(CATALOGUE.names());
        return features;
    }

    static LinearModel model(double amountWeight, double ipWeight) {
        List<String> features = inputs();
        int n = features.size();
        double[] mean = new double[n];
        double[] std = new double[n];
        Arrays.fill(std, 1.0);
        mean[0] = 5000;
        std[0] = 2000;
        double[] weights = new double[n];
        weights[0] = amountWeight;
        weights[features.indexOf("ip_distinct_cards_1d")] = ipWeight;
        return new LinearModel(features, new Standardization(mean, std), weights, -2);
    }

    static ModelRelease release(
            String version, ModelStage stage, Instant changedAt, double amountWeight) {
        return release(version, stage, changedAt, ModelCodec.write(model(amountWeight, 0.5)))
                .build();
    }

    /** A release of the given model bytes, every other field filled; change what a test needs. */
    public static ModelRelease.Builder release(
            String version, ModelStage stage, Instant changedAt, byte[] model) {
        return ModelRelease.newBuilder()
                .setVersion(version)
                .setName("lr-" + version)
                .setKind(LinearModel.KIND)
                .setStage(stage)
                .setFeatureNames(inputs())
                .setCatalogueHash(CATALOGUE.hash())
                .setTrainedFrom(Instant.EPOCH)
                .setTrainedTo(Instant.EPOCH)
                .setTestedFrom(Instant.EPOCH)
                .setTestedTo(Instant.EPOCH)
                .setMetrics(Map.of())
                .setSeed(1L)
                .setLibraries(Map.of())
                .setModel(ByteBuffer.wrap(model))
                .setAuthor("ds")
                .setMessage("test")
                .setCreatedAt(changedAt)
                .setStageChangedAt(changedAt)
                .setStageChangedBy("ds");
    }
}
