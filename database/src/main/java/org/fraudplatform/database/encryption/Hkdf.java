package org.fraudplatform.database.encryption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): turns one secret into independent keys, one per label, so that
 * a key made for one purpose says nothing about another. Extract (a pseudorandom key from the input
 * and a salt; no salt is a string of zeros) then expand (as many bytes as asked, bound to {@code
 * info}). Pinned by RFC 5869's test case 1 ({@code HkdfTest}).
 */
public final class Hkdf {

    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LENGTH = 32;

    private Hkdf() {}

    /** {@code length} bytes derived from {@code secret} for the purpose named by {@code label}. */
    public static byte[] derive(byte[] secret, String label, int length) {
        return sha256(secret, null, label.getBytes(StandardCharsets.UTF_8), length);
    }

    /**
     * HKDF-SHA256 as RFC 5869 defines it.
     *
     * @param salt or null for none (then {@code HashLen} zero bytes)
     * @param length at most 255 × 32 bytes
     */
    public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 yields 1 to 8160 bytes, not " + length);
        }
        try {
            byte[] prk = mac(salt == null ? new byte[HASH_LENGTH] : salt).doFinal(ikm);
            Mac expand = mac(prk);
            byte[] okm = new byte[length];
            byte[] t = new byte[0];
            for (int i = 1, done = 0; done < length; i++) {
                expand.update(t);
                expand.update(info);
                expand.update((byte) i);
                t = expand.doFinal();
                int n = Math.min(t.length, length - done);
                System.arraycopy(t, 0, okm, done, n);
                done += n;
            }
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static Mac mac(byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(HMAC);
        // an empty salt is allowed by RFC 5869 but not by SecretKeySpec: it is the zero salt
        mac.init(new SecretKeySpec(key.length == 0 ? new byte[HASH_LENGTH] : key, HMAC));
        return mac;
    }
}
