package org.fraudplatform.risk.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.ReleaseKind;
import org.fraudplatform.schemas.RulesetRelease;

/**
 * Releases and release-signing keys for tests: ruleset releases as {@code fraud rules deploy}
 * publishes them (unsigned until a test signs them), and key pairs drawn from a fixed seed, so that
 * a signature is the same on every run.
 */
public final class SignedReleases {

    /** When the releases here were made. */
    public static final Instant RELEASED_AT = Instant.parse("2026-03-01T10:00:00Z");

    private SignedReleases() {}

    /** The key pair of the 32-byte seed {@code seed, seed, …}: the same on every run. */
    public static KeyPair keyPair(int seed) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ReleaseSignature.ALGORITHM);
            g.initialize(
                    NamedParameterSpec.ED25519,
                    new SecureRandom() {
                        @Override
                        public void nextBytes(byte[] bytes) {
                            Arrays.fill(bytes, (byte) seed);
                        }
                    });
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned release of {@code source} by {@code author}, as a deploy makes it. */
    public static RulesetRelease ruleset(RulesetSource source, String author) {
        Map<String, ByteBuffer> files = new LinkedHashMap<>();
        source.files().forEach(f -> files.put(f.name(), ByteBuffer.wrap(f.content())));
        return RulesetRelease.newBuilder()
                .setVersion(source.version())
                .setFiles(files)
                .setKind(ReleaseKind.DEPLOY)
                .setAuthor(author)
                .setMessage("velocity: decline from the 4th payment")
                .setReleasedAt(RELEASED_AT)
                .setCases(12)
                .build();
    }

    /** The packaged ruleset with a line added to its first file: another version that compiles. */
    public static RulesetSource editedPackagedRuleset(String comment) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        RulesetSource packaged = RulesetSource.packaged();
        packaged.files().forEach(f -> files.put(f.name(), f.content()));
        String first = packaged.files().get(0).name();
        files.put(
                first,
                (new String(files.get(first), StandardCharsets.UTF_8) + "\n// " + comment + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        return RulesetSource.of(files);
    }
}
