package org.fraudplatform.risk.signing;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.RulesetRelease;

/**
 * The public keys whose releases a scoring instance takes up ({@code --release-public-key}, by
 * default the data folder's {@code release-signing-key.pub}). A release passes when it carries a
 * signature, its key id names one of these keys, and the signature verifies over its canonical
 * bytes ({@link ReleaseSignature}); otherwise {@link #check} says why it is refused. The key id
 * only chooses the key: a release cannot make an instance trust a key.
 */
public final class TrustedKeys {

    private final Map<String, PublicKey> byId;

    private TrustedKeys(Collection<PublicKey> keys) {
        Map<String, PublicKey> m = new LinkedHashMap<>();
        for (PublicKey k : keys) {
            m.put(ReleaseSignature.keyId(k), k);
        }
        this.byId = Map.copyOf(m);
    }

    /** These keys. */
    public static TrustedKeys of(PublicKey... keys) {
        return new TrustedKeys(List.of(keys));
    }

    /**
     * Reads public key files.
     *
     * @throws IllegalArgumentException naming the file, when one is missing, unreadable or not an
     *     Ed25519 public key, or when no file is given
     */
    public static TrustedKeys read(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException(
                    "no release public key given: every release would be refused");
        }
        List<PublicKey> keys = new ArrayList<>();
        for (Path f : files) {
            keys.add(ReleaseKeys.readPublicKey(f));
        }
        return new TrustedKeys(keys);
    }

    /** The ids of the trusted keys. */
    public Set<String> keyIds() {
        return byId.keySet();
    }

    /** Why the release is refused, or empty when a trusted key signed it as it is. */
    public Optional<ReleaseRefusal> check(RulesetRelease release) {
        return check(
                release.getSignature(),
                release.getSigningKeyId(),
                ReleaseSignature.canonical(release));
    }

    /** Why the release is refused, or empty when a trusted key signed it as it is. */
    public Optional<ReleaseRefusal> check(ModelRelease release) {
        return check(
                release.getSignature(),
                release.getSigningKeyId(),
                ReleaseSignature.canonical(release));
    }

    private Optional<ReleaseRefusal> check(ByteBuffer signature, String keyId, byte[] canonical) {
        if (signature == null || keyId == null) {
            return Optional.of(
                    new ReleaseRefusal(ReleaseRefusal.Reason.UNSIGNED, "it is not signed"));
        }
        PublicKey key = byId.get(keyId);
        if (key == null) {
            return Optional.of(
                    new ReleaseRefusal(
                            ReleaseRefusal.Reason.UNKNOWN_KEY,
                            "it is signed by key "
                                    + keyId
                                    + ", which this instance does not trust (trusted: "
                                    + String.join(", ", byId.keySet())
                                    + ")"));
        }
        ByteBuffer b = signature.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        if (!verifies(key, canonical, bytes)) {
            return Optional.of(
                    new ReleaseRefusal(
                            ReleaseRefusal.Reason.BAD_SIGNATURE,
                            "its signature by key "
                                    + keyId
                                    + " does not verify: it was changed after signing, or not"
                                    + " signed with that key"));
        }
        return Optional.empty();
    }

    static boolean verifies(PublicKey key, byte[] canonical, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ReleaseSignature.ALGORITHM);
            s.initVerify(key);
            s.update(canonical);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed signature verifies nothing
        }
    }

    @Override
    public String toString() {
        return "TrustedKeys" + byId.keySet();
    }
}
