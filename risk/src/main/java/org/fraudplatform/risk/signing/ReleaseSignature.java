package org.fraudplatform.risk.signing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.RulesetRelease;

/**
 * What a release's signature covers: the canonical bytes of every field of a {@link RulesetRelease}
 * or {@link ModelRelease} except the signature and the key id themselves. Ed25519 signs these bytes
 * ({@link ReleaseSigner}); every scoring instance recomputes them from the release it read and
 * verifies ({@link TrustedKeys}), so a change to any field after signing, or a release without a
 * signature, is refused.
 *
 * <p>The form is unambiguous: a fixed domain tag first (so a ruleset's signature never passes as a
 * model's), then each field in schema order, each encoded as one of
 *
 * <ul>
 *   <li>text: 4-byte big-endian length of its UTF-8 bytes, then the bytes (length -1 for null);
 *   <li>number (int, long, instant as epoch milliseconds, double as its IEEE-754 bits): 8 bytes,
 *       big-endian;
 *   <li>large content (a rule file, the model artifact): its 32-byte SHA-256, as text is encoded;
 *   <li>list: its count (number), then each element; map: its count, then each key and value, keys
 *       in ascending order.
 * </ul>
 *
 * A ruleset release: tag {@value #RULESET_TAG}, version, files (name → SHA-256 of the content),
 * kind, author, message, releasedAt, cases. A model release: tag {@value #MODEL_TAG}, version,
 * name, kind, stage, featureNames, catalogueHash, trainedFrom, trainedTo, testedFrom, testedTo,
 * metrics, seed, libraries, SHA-256 of the model, author, message, createdAt, stageChangedAt,
 * stageChangedBy. A new field of either schema is added to this form with a new tag.
 */
public final class ReleaseSignature {

    /** The JDK's name of the signature algorithm (and of the key algorithm). */
    public static final String ALGORITHM = "Ed25519";

    static final String RULESET_TAG = "fraud-platform ruleset release v1";
    static final String MODEL_TAG = "fraud-platform model release v1";

    private ReleaseSignature() {}

    /** The bytes a ruleset release's signature covers. */
    public static byte[] canonical(RulesetRelease r) {
        Canonical c = new Canonical(RULESET_TAG);
        c.text(r.getVersion());
        Map<String, ByteBuffer> files = new TreeMap<>(r.getFiles());
        c.number(files.size());
        files.forEach(
                (name, content) -> {
                    c.text(name);
                    c.digest(content);
                });
        c.text(r.getKind() == null ? null : r.getKind().name());
        c.text(r.getAuthor());
        c.text(r.getMessage());
        c.instant(r.getReleasedAt());
        c.number(r.getCases());
        return c.bytes();
    }

    /** The bytes a model release's signature covers, its stage included. */
    public static byte[] canonical(ModelRelease r) {
        Canonical c = new Canonical(MODEL_TAG);
        c.text(r.getVersion());
        c.text(r.getName());
        c.text(r.getKind());
        c.text(r.getStage() == null ? null : r.getStage().name());
        List<String> features = r.getFeatureNames();
        c.number(features.size());
        features.forEach(c::text);
        c.text(r.getCatalogueHash());
        c.instant(r.getTrainedFrom());
        c.instant(r.getTrainedTo());
        c.instant(r.getTestedFrom());
        c.instant(r.getTestedTo());
        Map<String, Double> metrics = new TreeMap<>(r.getMetrics());
        c.number(metrics.size());
        metrics.forEach(
                (name, value) -> {
                    c.text(name);
                    c.number(Double.doubleToLongBits(value));
                });
        c.number(r.getSeed());
        Map<String, String> libraries = new TreeMap<>(r.getLibraries());
        c.number(libraries.size());
        libraries.forEach(
                (name, version) -> {
                    c.text(name);
                    c.text(version);
                });
        c.digest(r.getModel());
        c.text(r.getAuthor());
        c.text(r.getMessage());
        c.instant(r.getCreatedAt());
        c.instant(r.getStageChangedAt());
        c.text(r.getStageChangedBy());
        return c.bytes();
    }

    /**
     * A public key's id, as releases carry it: the first 16 hex digits of the SHA-256 of its X.509
     * SubjectPublicKeyInfo encoding.
     */
    public static String keyId(PublicKey key) {
        return HexFormat.of().formatHex(sha256(key.getEncoded())).substring(0, 16);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The encoder of the form above. */
    private static final class Canonical {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Canonical(String tag) {
            text(tag);
        }

        void text(String s) {
            raw(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        void number(long n) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(n).array());
        }

        void instant(Instant t) {
            number(t == null ? Long.MIN_VALUE : t.toEpochMilli());
        }

        void digest(ByteBuffer content) {
            if (content == null) {
                raw(null);
                return;
            }
            ByteBuffer b = content.duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            raw(sha256(bytes));
        }

        private void raw(byte[] bytes) {
            out.writeBytes(
                    ByteBuffer.allocate(4).putInt(bytes == null ? -1 : bytes.length).array());
            if (bytes != null) {
                out.writeBytes(bytes);
            }
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
