package org.fraudplatform.api.tokenization;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed HMAC-SHA256 tokens: the same input and key always give the same token, and without the key
 * a token reveals nothing. Each kind of token has its own derived key (domain separation), so a
 * card token cannot be matched against an e-mail hash.
 *
 * <ul>
 *   <li>{@code tok_…}: card token, platform-wide, the velocity and partition key
 *   <li>{@code fp_…}: card fingerprint, scoped to one merchant (merchants cannot link cards)
 *   <li>{@code acct_…}, {@code wal_…}, {@code em_…}: bank account, wallet or provider token, e-mail
 *   <li>{@code pcard_…}: the card behind a provider's token, from the provider's own card
 *       fingerprint, platform-wide (the velocity key of such payments)
 * </ul>
 *
 * Thread-safe.
 */
public final class Tokenizer {

    private final byte[] cardKey;
    private final byte[] fingerprintKey;
    private final byte[] accountKey;
    private final byte[] walletKey;
    private final byte[] emailKey;
    private final byte[] providerCardKey;

    public Tokenizer(TokenizationKey key) {
        byte[] master = key.bytes();
        this.cardKey = derive(master, "card-token");
        this.fingerprintKey = derive(master, "card-fingerprint");
        this.accountKey = derive(master, "bank-account");
        this.walletKey = derive(master, "wallet-token");
        this.emailKey = derive(master, "email");
        this.providerCardKey = derive(master, "provider-card");
    }

    public String cardToken(String pan) {
        return "tok_" + hmac(cardKey, pan);
    }

    public String cardFingerprint(String merchantId, String pan) {
        return "fp_" + hmac(fingerprintKey, merchantId + "\u0000" + pan).substring(0, 22);
    }

    public String accountToken(String normalizedIban) {
        return "acct_" + hmac(accountKey, normalizedIban);
    }

    public String walletToken(String provider, String token) {
        return "wal_" + hmac(walletKey, provider + "\u0000" + token);
    }

    /**
     * The card behind a provider's token, from the fingerprint the provider gives it (under the
     * provider's configured name: two provider accounts fingerprint alike only by chance).
     */
    public String providerCardToken(String provider, String fingerprint) {
        return "pcard_" + hmac(providerCardKey, provider + "\u0000" + fingerprint);
    }

    public String emailHash(String email) {
        return "em_" + hmac(emailKey, email.trim().toLowerCase(Locale.ROOT));
    }

    private static byte[] derive(byte[] master, String purpose) {
        return mac(master).doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    }

    private static String hmac(byte[] key, String value) {
        byte[] digest = mac(key).doFinal(value.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 32);
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
