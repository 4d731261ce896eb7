package org.fraudplatform.risk.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.risk.signing.SignedReleases.RELEASED_AT;
import static org.fraudplatform.risk.signing.SignedReleases.keyPair;
import static org.fraudplatform.risk.signing.SignedReleases.ruleset;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.HexFormat;
import java.util.Map;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;
import org.fraudplatform.schemas.ReleaseKind;
import org.fraudplatform.schemas.RulesetRelease;
import org.junit.jupiter.api.Test;

/**
 * A release's signature covers every field but itself, in one unambiguous canonical form: a release
 * signed by a trusted key passes as it is, and a release changed in any field after signing, an
 * unsigned one, or one signed by a key the instance does not trust is refused with the reason.
 */
class ReleaseSignatureTest {

    private static final KeyPair ANALYSTS = keyPair(1);
    private static final KeyPair STRANGER = keyPair(2);
    private static final ReleaseSigner SIGNER = ReleaseSigner.of(ANALYSTS);
    private static final TrustedKeys TRUSTED = TrustedKeys.of(ANALYSTS.getPublic());

    private static final RulesetSource RULES =
            RulesetSource.of(
                    Map.of(
                            "velocity.drl", "rule velocity".getBytes(StandardCharsets.UTF_8),
                            "geo.drl", "rule geo".getBytes(StandardCharsets.UTF_8)));

    @Test
    void shouldAcceptARulesetSignedByATrustedKey() {
        RulesetRelease signed = SIGNER.sign(ruleset(RULES, "ana"));

        assertThat(signed.getSigningKeyId()).isEqualTo(SIGNER.keyId());
        assertThat(signed.getSignature().remaining()).isEqualTo(64);
        assertThat(TRUSTED.check(signed)).isEmpty();
    }

    @Test
    void shouldAcceptAModelReleaseSignedByATrustedKey() {
        assertThat(TRUSTED.check(SIGNER.sign(model(ModelStage.CHAMPION)))).isEmpty();
    }

    @Test
    void shouldRefuseAnUnsignedRuleset() {
        assertThat(TRUSTED.check(ruleset(RULES, "ana")))
                .hasValue(new ReleaseRefusal(ReleaseRefusal.Reason.UNSIGNED, "it is not signed"));
    }

    @Test
    void shouldRefuseARulesetSignedByAnUnknownKey() {
        RulesetRelease signed = ReleaseSigner.of(STRANGER).sign(ruleset(RULES, "ana"));

        assertThat(TRUSTED.check(signed))
                .hasValueSatisfying(
                        r -> {
                            assertThat(r.reason()).isEqualTo(ReleaseRefusal.Reason.UNKNOWN_KEY);
                            assertThat(r.message())
                                    .contains(
                                            ReleaseSignature.keyId(STRANGER.getPublic()),
                                            "does not trust",
                                            SIGNER.keyId());
                        });
    }

    @Test
    void shouldRefuseASignatureByAnotherKeyThatClaimsTheIdOfATrustedOne() {
        RulesetRelease forged =
                RulesetRelease.newBuilder(ReleaseSigner.of(STRANGER).sign(ruleset(RULES, "ana")))
                        .setSigningKeyId(SIGNER.keyId())
                        .build();

        assertThat(TRUSTED.check(forged))
                .map(ReleaseRefusal::reason)
                .hasValue(ReleaseRefusal.Reason.BAD_SIGNATURE);
    }

    @Test
    void shouldRefuseARulesetWhoseRuleFileChangedByOneByteAfterSigning() {
        RulesetRelease signed = SIGNER.sign(ruleset(RULES, "ana"));
        byte[] geo = "rule geo".getBytes(StandardCharsets.UTF_8);
        geo[geo.length - 1] ^= 1;

        RulesetRelease changed =
                RulesetRelease.newBuilder(signed)
                        .setFiles(
                                Map.of(
                                        "velocity.drl",
                                        signed.getFiles().get("velocity.drl"),
                                        "geo.drl",
                                        ByteBuffer.wrap(geo)))
                        .build();

        assertThat(TRUSTED.check(changed))
                .map(ReleaseRefusal::reason)
                .hasValue(ReleaseRefusal.Reason.BAD_SIGNATURE);
    }

    @Test
    void shouldRefuseARulesetWhoseVersionChangedAfterSigning() {
        RulesetRelease signed = SIGNER.sign(ruleset(RULES, "ana"));

        RulesetRelease changed =
                RulesetRelease.newBuilder(signed).setVersion("0123456789ab").build();

        assertThat(TRUSTED.check(changed))
                .map(ReleaseRefusal::reason)
                .hasValue(ReleaseRefusal.Reason.BAD_SIGNATURE);
    }

    @Test
    void shouldRefuseARulesetWhoseAuthorChangedAfterSigning() {
        RulesetRelease signed = SIGNER.sign(ruleset(RULES, "ana"));

        RulesetRelease changed = RulesetRelease.newBuilder(signed).setAuthor("anb").build();

        assertThat(TRUSTED.check(changed))
                .map(ReleaseRefusal::reason)
                .hasValue(ReleaseRefusal.Reason.BAD_SIGNATURE);
    }

    @Test
    void shouldRefuseARulesetWhoseKindOrTimeChangedAfterSigning() {
        RulesetRelease signed = SIGNER.sign(ruleset(RULES, "ana"));

        assertThat(
                        TRUSTED.check(
                                RulesetRelease.newBuilder(signed)
                                        .setKind(ReleaseKind.ROLLBACK)
                                        .build()))
                .isPresent();
        assertThat(
                        TRUSTED.check(
                                RulesetRelease.newBuilder(signed)
                                        .setReleasedAt(RELEASED_AT.plusMillis(1))
                                        .build()))
                .isPresent();
    }

    @Test
    void shouldRefuseAModelReleaseWhoseStageChangedAfterSigning() {
        ModelRelease candidate = SIGNER.sign(model(ModelStage.CANDIDATE));

        ModelRelease promoted =
                ModelRelease.newBuilder(candidate).setStage(ModelStage.CHAMPION).build();

        assertThat(TRUSTED.check(promoted))
                .map(ReleaseRefusal::reason)
                .hasValue(ReleaseRefusal.Reason.BAD_SIGNATURE);
    }

    @Test
    void shouldRefuseAModelReleaseWhoseArtifactChangedByOneByteAfterSigning() {
        ModelRelease signed = SIGNER.sign(model(ModelStage.CHAMPION));
        byte[] artifact = "{\"kind\":\"linear\"}".getBytes(StandardCharsets.UTF_8);
        artifact[3] ^= 1;

        ModelRelease changed =
                ModelRelease.newBuilder(signed).setModel(ByteBuffer.wrap(artifact)).build();

        assertThat(TRUSTED.check(changed))
                .map(ReleaseRefusal::reason)
                .hasValue(ReleaseRefusal.Reason.BAD_SIGNATURE);
    }

    @Test
    void shouldTellFieldsApartWhereTheirTextsJoinTheSame() {
        RulesetRelease a = RulesetRelease.newBuilder(ruleset(RULES, "ana")).setMessage("x").build();
        RulesetRelease b = RulesetRelease.newBuilder(ruleset(RULES, "anax")).setMessage("").build();

        assertThat(ReleaseSignature.canonical(a)).isNotEqualTo(ReleaseSignature.canonical(b));
        assertThat(TRUSTED.check(withSignatureOf(b, SIGNER.sign(a)))).isPresent();
    }

    @Test
    void shouldNotTakeTheOrderOfTheFilesIntoAccount() {
        RulesetRelease release = ruleset(RULES, "ana");
        RulesetRelease reordered =
                RulesetRelease.newBuilder(release)
                        .setFiles(new java.util.TreeMap<>(release.getFiles()).descendingMap())
                        .build();

        assertThat(ReleaseSignature.canonical(reordered))
                .isEqualTo(ReleaseSignature.canonical(release));
    }

    @Test
    void shouldEncodeARulesetReleaseInThePinnedCanonicalForm() {
        RulesetRelease release =
                RulesetRelease.newBuilder()
                        .setVersion("v1")
                        .setFiles(
                                Map.of(
                                        "b.drl", ByteBuffer.wrap(utf8("rule B")),
                                        "a.drl", ByteBuffer.wrap(utf8("rule A"))))
                        .setKind(ReleaseKind.DEPLOY)
                        .setAuthor("ana")
                        .setMessage("m")
                        .setReleasedAt(RELEASED_AT)
                        .setCases(2)
                        .build();

        String expected =
                text("fraud-platform ruleset release v1")
                        + text("v1")
                        + number(2) // files, by name
                        + text("a.drl")
                        + digest("rule A")
                        + text("b.drl")
                        + digest("rule B")
                        + text("DEPLOY")
                        + text("ana")
                        + text("m")
                        + number(RELEASED_AT.toEpochMilli())
                        + number(2); // cases
        assertThat(HexFormat.of().formatHex(ReleaseSignature.canonical(release)))
                .isEqualTo(expected);
        // Ed25519 is deterministic: what this key signed once, it signs the same way forever
        assertThat(HexFormat.of().formatHex(SIGNER.sign(release).getSignature().array()))
                .isEqualTo(PINNED_SIGNATURE);
    }

    @Test
    void shouldIdentifyAKeyByTheFirst16HexDigitsOfTheSha256OfItsPublicKey() {
        String sha256 =
                HexFormat.of()
                        .formatHex(ReleaseSignature.sha256(ANALYSTS.getPublic().getEncoded()));

        assertThat(SIGNER.keyId()).hasSize(16).isEqualTo(sha256.substring(0, 16));
        assertThat(SIGNER.keyId()).isEqualTo(PINNED_KEY_ID);
    }

    /** The signature of the release above by the key of seed 1, made when the form was fixed. */
    private static final String PINNED_SIGNATURE =
            "cc755e33ccff9c8c77510701f1b2c1f312ffb33f8a115a55c137a9c46de9fa7f"
                    + "b1807ab792828f49bc3447684072c9863a45bebf13e06190f5817c372b896c0f";

    private static final String PINNED_KEY_ID = "fd110d301d2f077d";

    private static RulesetRelease withSignatureOf(RulesetRelease release, RulesetRelease signed) {
        return RulesetRelease.newBuilder(release)
                .setSignature(signed.getSignature())
                .setSigningKeyId(signed.getSigningKeyId())
                .build();
    }

    private static ModelRelease model(ModelStage stage) {
        return ModelRelease.newBuilder()
                .setVersion("3f2a9c1b7d4e")
                .setName("gbt-2026-03-01")
                .setKind("logistic_regression")
                .setStage(stage)
                .setFeatureNames(java.util.List.of("amount_minor", "card_count_10m"))
                .setCatalogueHash("0123456789abcdef")
                .setTrainedFrom(RELEASED_AT.minusSeconds(86_400 * 30))
                .setTrainedTo(RELEASED_AT.minusSeconds(86_400 * 7))
                .setTestedFrom(RELEASED_AT.minusSeconds(86_400 * 7))
                .setTestedTo(RELEASED_AT)
                .setMetrics(Map.of("roc_auc", 0.91))
                .setSeed(42L)
                .setLibraries(Map.of("tribuo", "4.3"))
                .setModel(ByteBuffer.wrap(utf8("{\"kind\":\"linear\"}")))
                .setAuthor("dana")
                .setMessage("trees on our own history")
                .setCreatedAt(RELEASED_AT)
                .setStageChangedAt(RELEASED_AT)
                .setStageChangedBy("dana")
                .build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Length (4 bytes, big-endian) and UTF-8 bytes, in hex. */
    private static String text(String s) {
        return "%08x".formatted(utf8(s).length) + HexFormat.of().formatHex(utf8(s));
    }

    /** Eight bytes, big-endian, in hex. */
    private static String number(long n) {
        return "%016x".formatted(n);
    }

    /** Length 32 and the SHA-256 of the content, in hex. */
    private static String digest(String content) {
        return "00000020" + HexFormat.of().formatHex(ReleaseSignature.sha256(utf8(content)));
    }
}
