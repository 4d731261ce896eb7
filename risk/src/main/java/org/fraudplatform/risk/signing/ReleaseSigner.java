package org.fraudplatform.risk.signing;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.RulesetRelease;

/**
 * Signs releases with the release-signing key: the Ed25519 signature of the release's canonical
 * bytes ({@link ReleaseSignature}) and the key's id go into the release's {@code signature} and
 * {@code signingKeyId}. Whoever publishes a release signs it: {@code fraud rules deploy|rollback},
 * {@code fraud models register|shadow|promote|rollback}, the platform's first start (the packaged
 * ruleset) and the console (a rollback).
 */
public final class ReleaseSigner {

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private ReleaseSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = Objects.requireNonNull(privateKey);
        this.publicKey = Objects.requireNonNull(publicKey);
        this.keyId = ReleaseSignature.keyId(publicKey);
    }

    /** A signer with a key pair in memory. */
    public static ReleaseSigner of(KeyPair pair) {
        return new ReleaseSigner(pair.getPrivate(), pair.getPublic());
    }

    /**
     * Reads the private key file and its public key beside it ({@code <file>.pub}), which gives the
     * key id, and checks that the two belong together.
     *
     * @throws IllegalArgumentException naming the file, when either is missing, unreadable,
     *     readable by others (the private one), not Ed25519, or the two do not match
     */
    public static ReleaseSigner read(Path privateKeyFile) {
        ReleaseSigner signer =
                new ReleaseSigner(
                        ReleaseKeys.readPrivateKey(privateKeyFile),
                        ReleaseKeys.readPublicKey(ReleaseKeys.publicKeyFile(privateKeyFile)));
        byte[] probe = {1, 2, 3};
        if (!TrustedKeys.verifies(signer.publicKey, probe, signer.sign(probe))) {
            throw new IllegalArgumentException(
                    "the release-signing key "
                            + privateKeyFile
                            + " does not belong to the public key "
                            + ReleaseKeys.publicKeyFile(privateKeyFile));
        }
        return signer;
    }

    /** The id releases signed here carry. */
    public String keyId() {
        return keyId;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The release with this key's signature and id (whatever signature it had is replaced). */
    public RulesetRelease sign(RulesetRelease release) {
        return RulesetRelease.newBuilder(release)
                .setSignature(ByteBuffer.wrap(sign(ReleaseSignature.canonical(release))))
                .setSigningKeyId(keyId)
                .build();
    }

    /** The release with this key's signature and id (whatever signature it had is replaced). */
    public ModelRelease sign(ModelRelease release) {
        return ModelRelease.newBuilder(release)
                .setSignature(ByteBuffer.wrap(sign(ReleaseSignature.canonical(release))))
                .setSigningKeyId(keyId)
                .build();
    }

    private byte[] sign(byte[] canonical) {
        try {
            Signature s = Signature.getInstance(ReleaseSignature.ALGORITHM);
            s.initSign(privateKey);
            s.update(canonical);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the release-signing key", e);
        }
    }

    @Override
    public String toString() {
        return "ReleaseSigner[key " + keyId + "]";
    }
}
