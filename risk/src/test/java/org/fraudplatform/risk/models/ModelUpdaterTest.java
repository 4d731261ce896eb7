package org.fraudplatform.risk.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.risk.signing.SignedReleases.keyPair;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;
import static org.fraudplatform.schemas.testing.TestInstants.T0;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.fraudplatform.risk.RiskSettings;
import org.fraudplatform.risk.RiskTopology;
import org.fraudplatform.risk.releases.LiveReleases;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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

    private static CompiledRuleset packaged;

    private final Topics topics = Topics.create(InMemorySchemaRegistry.inMemory(), 1);
    private LiveReleases releases;
    private TopologyTestDriver driver;
    private TestInputTopic<String, ModelRelease> models;
    private TestInputTopic<String, PaymentRequest> requests;
    private TestOutputTopic<String, RiskDecision> decisions;

    @BeforeAll
    static void compileThePackagedRuleset() {
        packaged = RuleEngine.compile(RulesetSource.packaged());
    }

    @BeforeEach
    void startWithoutModels() {
        releases =
                new LiveReleases(
                        packaged,
                        CurrencyRates.packaged(),
                        Releases.CATALOGUE,
                        TrustedKeys.of(DATA_SCIENTISTS.getPublic()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-models-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver =
                new TopologyTestDriver(
                        RiskTopology.build(
                                RiskSettings.DEFAULTS,
                                topics,
                                releases.scorer(),
                                releases.stores(topics),
                                1),
                        props,
                        T0);
        var m = topics.models();
        models =
                driver.createInputTopic(
                        m.name(), m.keySerde().serializer(), m.valueSerde().serializer());
        var req = topics.paymentRequests();
        requests =
                driver.createInputTopic(
                        req.name(), req.keySerde().serializer(), req.valueSerde().serializer());
        var dec = topics.paymentDecisions();
        decisions =
                driver.createOutputTopic(
                        dec.name(), dec.keySerde().deserializer(), dec.valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
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
        assertThat(releases.modelRefusals().total()).isZero();
    }

    @Test
    void shouldStopScoringWithAChampionWhoseRecordsWereRemoved() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        models.pipeInput("good", null);

        assertThat(releases.models().champion()).isNull();
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

        assertThat(releases.models().champion().version()).isEqualTo("good");
        assertThat(releases.modelRefusals().get(ReleaseRefusal.Reason.INVALID)).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnsignedChampionAndKeepScoringWithTheGoodOne() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        arrive(Releases.release("rogue", ModelStage.CHAMPION, T.plusSeconds(5), 9));

        assertThat(releases.models().champion().version()).isEqualTo("good");
        assertThat(releases.modelRefusals().get(ReleaseRefusal.Reason.UNSIGNED)).isEqualTo(1);
        assertThat(releases.modelRefusals().total()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAChampionSignedByAnUnknownKey() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        arrive(STRANGER.sign(Releases.release("rogue", ModelStage.CHAMPION, T.plusSeconds(5), 9)));

        assertThat(releases.models().champion().version()).isEqualTo("good");
        assertThat(releases.modelRefusals().get(ReleaseRefusal.Reason.UNKNOWN_KEY)).isEqualTo(1);
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

        assertThat(releases.models().champion().version()).isEqualTo("good");
        assertThat(releases.modelRefusals().get(ReleaseRefusal.Reason.BAD_SIGNATURE)).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnsignedRetirementOfTheChampion() {
        arrive(SIGNER.sign(Releases.release("good", ModelStage.CHAMPION, T, 1)));

        arrive(Releases.release("good", ModelStage.RETIRED, T.plusSeconds(5), 1));

        assertThat(releases.models().champion().version()).isEqualTo("good");
        assertThat(releases.modelRefusals().get(ReleaseRefusal.Reason.UNSIGNED)).isEqualTo(1);
    }

    /** A registry record arrives on the topic while the instance runs. */
    private void arrive(ModelRelease release) {
        models.pipeInput(release.getVersion(), release);
    }

    private RiskDecision decide(String paymentId) {
        PaymentRequest payment =
                aCardPayment().paymentId(paymentId).cardToken("card-" + paymentId).at(T0).build();
        requests.pipeInput("ignored-key", payment, payment.getEventTime());
        RiskDecision decision = decisions.readValue();
        assertThat(decisions.isEmpty()).as("and nothing else was emitted").isTrue();
        return decision;
    }
}
