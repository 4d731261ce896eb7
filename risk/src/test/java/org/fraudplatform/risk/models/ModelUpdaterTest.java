package org.fraudplatform.risk.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.risk.signing.SignedReleases.keyPair;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;
import static org.fraudplatform.schemas.testing.TestInstants.T0;

import java.security.KeyPair;
import java.time.Instant;
import org.apache.kafka.streams.TestInputTopic;
import org.fraudplatform.risk.releases.LiveReleasesDriver;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;
import org.fraudplatform.schemas.RiskDecision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The risk topology folds into its registry, through its global store of {@code models}, only the
 * model records that a trusted key signed as they are: a champion or shadow published unsigned,
 * signed by an unknown key, or restaged after signing is refused and counted, and the model in that
 * slot goes on scoring.
 */
class ModelUpdaterTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private static final KeyPair DATA_SCIENTISTS = keyPair(21);
    private static final ReleaseSigner SIGNER = ReleaseSigner.of(DATA_SCIENTISTS);
    private static final ReleaseSigner STRANGER = ReleaseSigner.of(keyPair(22));

    private LiveReleasesDriver risk;
    private TestInputTopic<String, ModelRelease> models;

    @BeforeEach
    void startWithoutModels() {
        risk =
                new LiveReleasesDriver(
                        Releases.CATALOGUE, TrustedKeys.of(DATA_SCIENTISTS.getPublic()));
        models = risk.input(risk.topics().models());
    }

    @AfterEach
    void close() {
        risk.close();
    }

    @Test
    void shouldScoreTheNextPaymentWithASignedChampionAndShadow() {
        RiskDecision before = decide("pay_before");

        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));
        arrive(SIGNER.sign(Releases.release("trial", ModelStage.SHADOW, T.plusSeconds(1), 2)));
        RiskDecision after = decide("pay_after");

        assertThat(before.getModelVersion()).isNull();
        assertThat(after.getModelVersion()).isEqualTo("good");
        assertThat(after.getModelScore()).isNotNull();
        assertThat(after.getShadowModelVersion()).isEqualTo("trial");
        assertThat(risk.releases().modelRefusals().total()).isZero();
    }

    @Test
    void shouldStopScoringWithAChampionWhoseRecordsWereRemoved() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        models.pipeInput("good", null);

        assertThat(risk.releases().models().champion()).isNull();
        assertThat(decide("pay_without").getModelVersion()).isNull();
    }

    @Test
    void shouldKeepTheChampionWhenItsSuccessorDoesNotFitTheFeatureCatalogue() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        arrive(
                SIGNER.sign(
                        ModelRelease.newBuilder(
                                        Releases.release(
                                                "elsewhere",
                                                ModelStage.CHAMPION,
                                                T.plusSeconds(5),
                                                1))
                                .setCatalogueHash("a-catalogue-this-instance-does-not-compute")
                                .build()));

        assertThat(risk.releases().models().champion().version()).isEqualTo("good");
        assertThat(risk.releases().modelRefusals().get(ReleaseRefusal.Reason.INVALID)).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnsignedChampionAndKeepScoringWithTheGoodOne() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        arrive(Releases.release("rogue", ModelStage.CHAMPION, T.plusSeconds(5), 9));

        assertThat(risk.releases().models().champion().version()).isEqualTo("good");
        assertThat(risk.releases().modelRefusals().get(ReleaseRefusal.Reason.UNSIGNED))
                .isEqualTo(1);
        assertThat(risk.releases().modelRefusals().total()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAChampionSignedByAnUnknownKey() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        arrive(STRANGER.sign(Releases.release("rogue", ModelStage.CHAMPION, T.plusSeconds(5), 9)));

        assertThat(risk.releases().models().champion().version()).isEqualTo("good");
        assertThat(risk.releases().modelRefusals().get(ReleaseRefusal.Reason.UNKNOWN_KEY))
                .isEqualTo(1);
    }

    @Test
    void shouldRefuseACandidatePromotedAfterItWasSigned() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));
        ModelRelease candidate =
                SIGNER.sign(Releases.release("other", ModelStage.CANDIDATE, T.plusSeconds(1), 9));
        arrive(candidate);

        // the data scientists' signature of a candidate, with its stage edited to champion
        arrive(
                ModelRelease.newBuilder(candidate)
                        .setStage(ModelStage.CHAMPION)
                        .setStageChangedAt(T.plusSeconds(5))
                        .build());

        assertThat(risk.releases().models().champion().version()).isEqualTo("good");
        assertThat(risk.releases().modelRefusals().get(ReleaseRefusal.Reason.BAD_SIGNATURE))
                .isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnsignedRetirementOfTheChampion() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        arrive(Releases.release("good", ModelStage.RETIRED, T.plusSeconds(5), 1));

        assertThat(risk.releases().models().champion().version()).isEqualTo("good");
        assertThat(risk.releases().modelRefusals().get(ReleaseRefusal.Reason.UNSIGNED))
                .isEqualTo(1);
    }

    /** A registry record arrives on the topic while the instance runs. */
    private void arrive(ModelRelease release) {
        models.pipeInput(release.getVersion(), release);
    }

    private RiskDecision decide(String paymentId) {
        return risk.decide(
                aCardPayment().paymentId(paymentId).cardToken("card-" + paymentId).at(T0).build());
    }
}
