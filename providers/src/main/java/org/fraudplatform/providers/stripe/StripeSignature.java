package org.fraudplatform.providers.stripe;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's webhook signature ({@code Stripe-Signature: t=<unix seconds>,v1=<hex>,…}): the {@code
 * v1} value is the HMAC-SHA256, keyed with the endpoint's signing secret, of {@code <t>.<payload>}.
 * A header may carry several {@code v1} values (while a secret is rolled); one matching is enough.
 * The timestamp must be within the tolerance of now (Stripe's libraries use 300 s), so that a
 * captured event cannot be replayed later. Comparisons take constant time.
 */
public final class StripeSignature {

    /** Stripe's default tolerance. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private StripeSignature() {}

    /** Why a signature was refused. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Checks a header against the payload exactly as received (bytes, before any parsing).
     *
     * @throws Refused when the header is missing or malformed, the timestamp is outside the
     *     tolerance, or no {@code v1} matches
     */
    public static void verify(
            String header, byte[] payload, String secret, Instant now, Duration tolerance)
            throws Refused {
        if (header == null || header.isBlank()) {
            throw new Refused("no Stripe-Signature header");
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            try {
                if (key.equals("t")) {
                    timestamp = Long.parseLong(value);
                } else if (key.equals("v1")) {
                    signatures.add(HexFormat.of().parseHex(value));
                }
            } catch (IllegalArgumentException e) {
                throw new Refused("malformed Stripe-Signature header");
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw new Refused("the Stripe-Signature header has no timestamp or no v1 signature");
        }
        byte[] expected = sign(timestamp, payload, secret);
        boolean matches = false;
        for (byte[] signature : signatures) {
            matches |= MessageDigest.isEqual(expected, signature);
        }
        if (!matches) {
            throw new Refused("no v1 signature matches the payload");
        }
        long age = Math.abs(now.getEpochSecond() - timestamp);
        if (age > tolerance.toSeconds()) {
            throw new Refused("the signature's timestamp is " + age + " s away from now");
        }
    }

    /** The {@code v1} signature of a payload at a timestamp. */
    public static byte[] sign(long timestamp, byte[] payload, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(payload);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A header as Stripe sends it, for fakes and tests. */
    public static String header(long timestamp, byte[] payload, String secret) {
        return "t="
                + timestamp
                + ",v1="
                + HexFormat.of().formatHex(sign(timestamp, payload, secret));
    }
}
