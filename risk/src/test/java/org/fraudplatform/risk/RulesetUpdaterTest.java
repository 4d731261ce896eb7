package org.fraudplatform.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.risk.signing.SignedReleases.editedPackagedRuleset;
import static org.fraudplatform.risk.signing.SignedReleases.keyPair;
import static org.fraudplatform.risk.signing.SignedReleases.ruleset;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;
import static org.fraudplatform.schemas.testing.TestInstants.T0;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.risk.releases.LiveReleases;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The risk topology takes up, through its global store of {@code rules.rulesets}, only the ruleset
 * releases that a trusted key signed as they are: an unsigned release, one signed by an unknown
 * key, one changed after signing or one that does not compile is refused and counted, and the
 * payments that follow are decided by the ruleset that was live.
 */
class RulesetUpdaterTest {

    private static final KeyPair ANALYSTS = keyPair(11);
    private static final ReleaseSigner SIGNER = ReleaseSigner.of(ANALYSTS);
    private static final ReleaseSigner STRANGER = ReleaseSigner.of(keyPair(12));
    private static final RulesetSource GOOD = editedPackagedRuleset("reviewed by ana");
    private static final RulesetSource OTHER = editedPackagedRuleset("nobody reviewed this");

    private static CompiledRuleset packaged;

    private final Topics topics = Topics.create(InMemorySchemaRegistry.inMemory(), 1);
    private LiveReleases releases;
    private TopologyTestDriver driver;
    private TestInputTopic<String, RulesetRelease> rulesets;
    private TestInputTopic<String, byte[]> rawRulesets;
    private TestInputTopic<String, PaymentRequest> requests;
    private TestOutputTopic<String, RiskDecision> decisions;
    private int payments;

    @BeforeAll
    static void compileThePackagedRuleset() {
        packaged = RuleEngine.compile(RulesetSource.packaged());
    }

    @BeforeEach
    void startOnThePackagedRuleset() {
        releases =
                new LiveReleases(
                        packaged,
                        CurrencyRates.packaged(),
                        RiskSettings.DEFAULTS.catalogue(),
                        TrustedKeys.of(ANALYSTS.getPublic()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-test");
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
        var rs = topics.rulesets();
        rulesets =
                driver.createInputTopic(
                        rs.name(), rs.keySerde().serializer(), rs.valueSerde().serializer());
        rawRulesets =
                driver.createInputTopic(
                        rs.name(), rs.keySerde().serializer(), Serdes.ByteArray().serializer());
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
    void shouldTakeUpARulesetSignedByATrustedKeyBetweenTwoPayments() {
        assertThat(rulesetOfTheNextDecision()).isEqualTo(RulesetSource.packaged().version());

        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(releases.rulesetRefusals().total()).isZero();
    }

    @Test
    void shouldRefuseAnUnsignedRulesetWhileTheGoodOneKeepsDeciding() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        arrive(ruleset(OTHER, "mallory"));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(releases.rulesetRefusals().get(ReleaseRefusal.Reason.UNSIGNED)).isEqualTo(1);
        assertThat(releases.rulesetRefusals().total()).isEqualTo(1);
    }

    @Test
    void shouldRefuseARulesetSignedByAnUnknownKey() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        arrive(STRANGER.sign(ruleset(OTHER, "mallory")));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(releases.rulesetRefusals().get(ReleaseRefusal.Reason.UNKNOWN_KEY)).isEqualTo(1);
    }

    @Test
    void shouldRefuseARulesetWhoseSignatureDoesNotVerify() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));
        RulesetRelease signedForAnother = SIGNER.sign(ruleset(GOOD, "ana"));

        // the files of another ruleset under a signature the analysts made for theirs
        arrive(
                RulesetRelease.newBuilder(ruleset(OTHER, "ana"))
                        .setSignature(signedForAnother.getSignature())
                        .setSigningKeyId(signedForAnother.getSigningKeyId())
                        .build());

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(releases.rulesetRefusals().get(ReleaseRefusal.Reason.BAD_SIGNATURE))
                .isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnsignedCopyOfTheLiveVersion() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        arrive(ruleset(GOOD, "mallory"));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(releases.rulesetRefusals().get(ReleaseRefusal.Reason.UNSIGNED)).isEqualTo(1);
    }

    @Test
    void shouldDecideWithTheNewestSignedReleaseWhenTheReleasesAfterItAreRefused() {
        // given the topic as an instance finds it at start: two good releases, then two refused
        RulesetSource earlier = editedPackagedRuleset("the first deploy");

        // when
        arrive(SIGNER.sign(ruleset(earlier, "ana")));
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));
        arrive(ruleset(OTHER, "mallory"));
        arrive(STRANGER.sign(ruleset(OTHER, "mallory")));

        // then
        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(releases.rulesetRefusals().get(ReleaseRefusal.Reason.UNSIGNED)).isEqualTo(1);
        assertThat(releases.rulesetRefusals().get(ReleaseRefusal.Reason.UNKNOWN_KEY)).isEqualTo(1);
    }

    @Test
    void shouldRefuseASignedRulesetThatDoesNotCompileAsInvalid() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));
        RulesetSource broken =
                RulesetSource.of(
                        java.util.Map.of(
                                "broken.drl",
                                "rule \"x\" when then oops"
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        arrive(SIGNER.sign(ruleset(broken, "ana")));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(releases.rulesetRefusals().get(ReleaseRefusal.Reason.INVALID)).isEqualTo(1);
    }

    @Test
    void shouldRefuseARecordThatIsNotARelease() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        rawRulesets.pipeInput("garbage", "not avro".getBytes(StandardCharsets.UTF_8));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(releases.rulesetRefusals().get(ReleaseRefusal.Reason.INVALID)).isEqualTo(1);
    }

    @Test
    void shouldGoBackToAnEarlierReleasePublishedAgain() {
        RulesetRelease first = SIGNER.sign(ruleset(GOOD, "ana"));
        arrive(first);
        arrive(SIGNER.sign(ruleset(editedPackagedRuleset("a later deploy"), "ana")));

        // a rollback publishes the earlier version again, newest
        arrive(first);

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(releases.rulesetVersion()).isEqualTo(GOOD.version());
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(RiskTopology.RULESETS_STORE);
        assertThat(
                        topics.rulesets()
                                .valueSerde()
                                .deserializer()
                                .deserialize(
                                        topics.rulesets().name(), store.get(RulesetUpdater.LIVE))
                                .getVersion())
                .as("the store holds the live release")
                .isEqualTo(GOOD.version());
    }

    /** A release arrives on the topic while the instance runs. */
    private void arrive(RulesetRelease release) {
        rulesets.pipeInput(release.getVersion(), release);
    }

    private String rulesetOfTheNextDecision() {
        PaymentRequest payment =
                aCardPayment()
                        .paymentId("pay_" + payments)
                        .cardToken("card-" + payments)
                        .at(T0.plusSeconds(payments))
                        .build();
        payments++;
        requests.pipeInput("ignored-key", payment, payment.getEventTime());
        RiskDecision decision = decisions.readValue();
        assertThat(decisions.isEmpty()).as("and nothing else was emitted").isTrue();
        return decision.getRulesetVersion();
    }
}
