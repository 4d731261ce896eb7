package org.fraudplatform.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.risk.signing.SignedReleases.editedPackagedRuleset;
import static org.fraudplatform.risk.signing.SignedReleases.keyPair;
import static org.fraudplatform.risk.signing.SignedReleases.ruleset;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;
import static org.fraudplatform.schemas.testing.TestInstants.T0;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scoring instance takes up only the ruleset releases that a trusted key signed as they are: an
 * unsigned release, one signed by an unknown key, or one changed after signing is refused and
 * counted, and the payments that follow are decided by the ruleset that was live.
 */
class RulesetWatcherTest {

    private static final KeyPair ANALYSTS = keyPair(11);
    private static final ReleaseSigner SIGNER = ReleaseSigner.of(ANALYSTS);
    private static final ReleaseSigner STRANGER = ReleaseSigner.of(keyPair(12));
    private static final RulesetSource GOOD = editedPackagedRuleset("reviewed by ana");
    private static final RulesetSource OTHER = editedPackagedRuleset("nobody reviewed this");

    private final Topics topics = Topics.create(InMemorySchemaRegistry.inMemory(), 1);
    private final List<ConsumerRecord<String, byte[]>> published = new ArrayList<>();
    private SwappableRiskScorer scorer;
    private RulesetWatcher watcher;
    private TopologyTestDriver driver;
    private TestInputTopic<String, PaymentRequest> requests;
    private TestOutputTopic<String, RiskDecision> decisions;
    private int payments;

    @BeforeEach
    void startOnThePackagedRuleset() {
        scorer =
                new SwappableRiskScorer(
                        RuleEngine.compile(RulesetSource.packaged()), CurrencyRates.packaged());
        watcher =
                new RulesetWatcher(topics.rulesets(), scorer, TrustedKeys.of(ANALYSTS.getPublic()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver =
                new TopologyTestDriver(
                        RiskTopology.build(RiskSettings.DEFAULTS, topics, scorer), props, T0);
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
        assertThat(watcher.refusals().total()).isZero();
    }

    @Test
    void shouldRefuseAnUnsignedRulesetWhileTheGoodOneKeepsDeciding() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        arrive(ruleset(OTHER, "mallory"));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(watcher.refusals().get(ReleaseRefusal.Reason.UNSIGNED)).isEqualTo(1);
        assertThat(watcher.refusals().total()).isEqualTo(1);
    }

    @Test
    void shouldRefuseARulesetSignedByAnUnknownKey() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        arrive(STRANGER.sign(ruleset(OTHER, "mallory")));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(watcher.refusals().get(ReleaseRefusal.Reason.UNKNOWN_KEY)).isEqualTo(1);
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
        assertThat(watcher.refusals().get(ReleaseRefusal.Reason.BAD_SIGNATURE)).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnsignedCopyOfTheLiveVersion() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        arrive(ruleset(GOOD, "mallory"));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(watcher.refusals().get(ReleaseRefusal.Reason.UNSIGNED)).isEqualTo(1);
    }

    @Test
    void shouldStartOnTheNewestSignedReleaseWhenTheReleasesAfterItAreRefused() {
        // given the topic as an instance finds it at start: two good releases, then two refused
        RulesetSource earlier = editedPackagedRuleset("the first deploy");
        List<ConsumerRecord<String, byte[]>> atStart =
                List.of(
                        record(SIGNER.sign(ruleset(earlier, "ana"))),
                        record(SIGNER.sign(ruleset(GOOD, "ana"))),
                        record(ruleset(OTHER, "mallory")),
                        record(STRANGER.sign(ruleset(OTHER, "mallory"))));

        // when
        watcher.applyNewestValid(atStart);

        // then
        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(watcher.refusals().get(ReleaseRefusal.Reason.UNSIGNED)).isEqualTo(1);
        assertThat(watcher.refusals().get(ReleaseRefusal.Reason.UNKNOWN_KEY)).isEqualTo(1);
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
        assertThat(watcher.refusals().get(ReleaseRefusal.Reason.INVALID)).isEqualTo(1);
    }

    /** A release arrives on the topic while the instance runs. */
    private void arrive(RulesetRelease release) {
        watcher.applyNewestValid(List.of(record(release)));
    }

    private ConsumerRecord<String, byte[]> record(RulesetRelease release) {
        String topic = topics.rulesets().name();
        ConsumerRecord<String, byte[]> r =
                new ConsumerRecord<>(
                        topic,
                        0,
                        published.size(),
                        release.getVersion(),
                        topics.rulesets().valueSerde().serializer().serialize(topic, release));
        published.add(r);
        return r;
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
