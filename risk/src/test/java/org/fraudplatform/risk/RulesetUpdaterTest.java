package org.fraudplatform.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.risk.signing.SignedReleases.editedPackagedRuleset;
import static org.fraudplatform.risk.signing.SignedReleases.keyPair;
import static org.fraudplatform.risk.signing.SignedReleases.ruleset;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;
import static org.fraudplatform.schemas.testing.TestInstants.T0;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.risk.releases.LiveReleasesDriver;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
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

    private LiveReleasesDriver risk;
    private TestInputTopic<String, RulesetRelease> rulesets;
    private TestInputTopic<String, byte[]> rawRulesets;
    private int payments;

    @BeforeEach
    void startOnThePackagedRuleset() {
        risk =
                new LiveReleasesDriver(
                        RiskSettings.DEFAULTS.catalogue(), TrustedKeys.of(ANALYSTS.getPublic()));
        rulesets = risk.input(risk.topics().rulesets());
        rawRulesets = risk.rawInput(risk.topics().rulesets());
    }

    @AfterEach
    void close() {
        risk.close();
    }

    @Test
    void shouldTakeUpARulesetSignedByATrustedKeyBetweenTwoPayments() {
        assertThat(rulesetOfTheNextDecision()).isEqualTo(RulesetSource.packaged().version());

        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(risk.releases().rulesetRefusals().total()).isZero();
    }

    @Test
    void shouldRefuseAnUnsignedRulesetWhileTheGoodOneKeepsDeciding() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        arrive(ruleset(OTHER, "mallory"));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(risk.releases().rulesetRefusals().get(ReleaseRefusal.Reason.UNSIGNED))
                .isEqualTo(1);
        assertThat(risk.releases().rulesetRefusals().total()).isEqualTo(1);
    }

    @Test
    void shouldRefuseARulesetSignedByAnUnknownKey() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        arrive(STRANGER.sign(ruleset(OTHER, "mallory")));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(risk.releases().rulesetRefusals().get(ReleaseRefusal.Reason.UNKNOWN_KEY))
                .isEqualTo(1);
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
        assertThat(risk.releases().rulesetRefusals().get(ReleaseRefusal.Reason.BAD_SIGNATURE))
                .isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnsignedCopyOfTheLiveVersion() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        arrive(ruleset(GOOD, "mallory"));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(risk.releases().rulesetRefusals().get(ReleaseRefusal.Reason.UNSIGNED))
                .isEqualTo(1);
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
        assertThat(risk.releases().rulesetRefusals().get(ReleaseRefusal.Reason.UNSIGNED))
                .isEqualTo(1);
        assertThat(risk.releases().rulesetRefusals().get(ReleaseRefusal.Reason.UNKNOWN_KEY))
                .isEqualTo(1);
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
        assertThat(risk.releases().rulesetRefusals().get(ReleaseRefusal.Reason.INVALID))
                .isEqualTo(1);
    }

    @Test
    void shouldRefuseARecordThatIsNotARelease() {
        arrive(SIGNER.sign(ruleset(GOOD, "ana")));

        rawRulesets.pipeInput("garbage", "not avro".getBytes(StandardCharsets.UTF_8));

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(risk.releases().rulesetRefusals().get(ReleaseRefusal.Reason.INVALID))
                .isEqualTo(1);
    }

    @Test
    void shouldGoBackToAnEarlierReleasePublishedAgain() {
        RulesetRelease first = SIGNER.sign(ruleset(GOOD, "ana"));
        arrive(first);
        arrive(SIGNER.sign(ruleset(editedPackagedRuleset("a later deploy"), "ana")));

        // a rollback publishes the earlier version again, newest
        arrive(first);

        assertThat(rulesetOfTheNextDecision()).isEqualTo(GOOD.version());
        assertThat(risk.releases().rulesetVersion()).isEqualTo(GOOD.version());
        KeyValueStore<String, byte[]> store = risk.store(RiskTopology.RULESETS_STORE);
        assertThat(
                        risk.topics()
                                .rulesets()
                                .valueSerde()
                                .deserializer()
                                .deserialize(Topics.RULESETS, store.get(RulesetUpdater.LIVE))
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
        return risk.decide(payment).getRulesetVersion();
    }
}
