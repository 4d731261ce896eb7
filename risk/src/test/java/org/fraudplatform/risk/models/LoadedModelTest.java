package org.fraudplatform.risk.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;
import org.fraudplatform.schemas.ReasonCode;
import org.junit.jupiter.api.Test;

/** What makes a registry release fit to score, and how it reads a payment. */
class LoadedModelTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aReleaseOnTheRunningCatalogueLoadsAndReadsTheAmountAndFeaturesByName() {
        LoadedModel model =
                LoadedModel.load(
                        Releases.release("v1", ModelStage.CHAMPION, T, 2.0), Releases.CATALOGUE);

        double[] x = model.vector(9_000, Map.of("ip_distinct_cards_1d", 4.0));

        List<String> inputs = Releases.inputs();
        assertThat(x[0]).isEqualTo(9_000);
        assertThat(x[inputs.indexOf("ip_distinct_cards_1d")]).isEqualTo(4.0);
        assertThat(x[inputs.indexOf("card_count_1h")]).as("absent feature = missing").isNaN();
        double z = -2 + 2.0 * (9_000 - 5_000) / 2_000.0 + 0.5 * 4;
        assertThat(model.score(x))
                .isCloseTo(1 / (1 + Math.exp(-z)), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aCalibratedReleaseScoresTheFraudProbabilityTheRulesBandsRead() {
        // the same logistic model, calibrated with a = 0.5, b = -1: p = sigmoid(0.5 z - 1)
        byte[] calibrated =
                ModelCodec.write(
                        new org.fraudplatform.models.runtime.CalibratedModel(
                                Releases.model(2.0, 0.5),
                                new org.fraudplatform.models.runtime.PlattCalibration(0.5, -1)));
        LoadedModel model =
                LoadedModel.load(
                        Releases.release("v2", ModelStage.CHAMPION, T, calibrated).build(),
                        Releases.CATALOGUE);

        double[] x = model.vector(9_000, Map.of("ip_distinct_cards_1d", 4.0));

        double z = -2 + 2.0 * (9_000 - 5_000) / 2_000.0 + 0.5 * 4;
        assertThat(model.score(x))
                .isCloseTo(
                        1 / (1 + Math.exp(-(0.5 * z - 1))),
                        org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void reasonsNameTheFeaturesThatRaisedTheScoreMostAndOnlyThose() {
        LoadedModel model =
                LoadedModel.load(
                        Releases.release("v1", ModelStage.CHAMPION, T, 2.0), Releases.CATALOGUE);
        double[] x = model.vector(9_000, Map.of("ip_distinct_cards_1d", 4.0));

        List<ReasonCode> reasons = model.reasons(x, model.score(x), 3);

        assertThat(reasons)
                .extracting(ReasonCode::getCode)
                .containsExactly("ML_AMOUNT_MINOR", "ML_IP_DISTINCT_CARDS_1D");
        assertThat(reasons.get(0).getMessage())
                .contains("lr-v1", "amount_minor = 9000", "raised it by 4.000");
        assertThat(model.reasons(model.vector(1_000, Map.of()), 0.01, 3))
                .as("a feature that lowers the score is no reason")
                .isEmpty();
    }

    @Test
    void aReleaseFromAnotherCatalogueIsRefusedWithTheReason() {
        ModelRelease foreign =
                ModelRelease.newBuilder(Releases.release("v2", ModelStage.CHAMPION, T, 2.0))
                        .setCatalogueHash("0123456789abcdef0123")
                        .build();

        assertThat(LoadedModel.problem(foreign, Releases.CATALOGUE))
                .hasValueSatisfying(p -> assertThat(p).contains("catalogue 0123456789ab"));
        assertThatThrownBy(() -> LoadedModel.load(foreign, Releases.CATALOGUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model v2 refused");
    }

    @Test
    void aReleaseReadingAFeatureThePlatformDoesNotComputeIsRefused() {
        List<String> names = new ArrayList<>(Releases.inputs());
        names.set(1, "card_count_13h");
        ModelRelease unknown =
                ModelRelease.newBuilder(Releases.release("v3", ModelStage.CHAMPION, T, 2.0))
                        .setFeatureNames(names)
                        .build();

        assertThat(LoadedModel.problem(unknown, Releases.CATALOGUE))
                .hasValue("features not in the catalogue: card_count_13h");
    }

    @Test
    void aReleaseWhoseModelDoesNotDecodeOrDisagreesWithItsFeatureListIsRefused() {
        ModelRelease garbage =
                Releases.release(
                                "v4",
                                ModelStage.CHAMPION,
                                T,
                                "{\"format\": 1, \"kind\": \"tree".getBytes(StandardCharsets.UTF_8))
                        .build();
        List<String> reordered = new ArrayList<>(Releases.inputs());
        java.util.Collections.swap(reordered, 1, 2);
        ModelRelease swapped =
                ModelRelease.newBuilder(Releases.release("v5", ModelStage.CHAMPION, T, 2.0))
                        .setFeatureNames(reordered)
                        .setModel(ByteBuffer.wrap(ModelCodec.write(Releases.model(2.0, 0.5))))
                        .build();

        assertThat(LoadedModel.problem(garbage, Releases.CATALOGUE))
                .hasValueSatisfying(p -> assertThat(p).startsWith("the model does not decode"));
        assertThat(LoadedModel.problem(swapped, Releases.CATALOGUE))
                .hasValue("the model's inputs differ from the release's feature names");
    }
}
