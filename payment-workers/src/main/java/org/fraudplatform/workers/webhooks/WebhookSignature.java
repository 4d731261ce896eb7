package org.fraudplatform.workers.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature on every webhook delivery, in the header {@value #HEADER}: {@code t=<unix
 * seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>}. A receiver verifies it
 * with {@link #verify}: the MAC over the exact bytes received, and a timestamp within a tolerance
 * of its own clock, so a captured delivery cannot be replayed later.
 */
public final class WebhookSignature {

    public static final String HEADER = "Fraud-Signature";

    /** Five minutes, for clocks that drift and deliveries that queue. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {}

    /** The header value for {@code body} sent at {@code at}. */
    public static String sign(String secret, Instant at, byte[] body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(secret, t, body));
    }

    /**
     * Checks a received delivery.
     *
     * @throws SecurityException with the reason when the header is malformed, the MAC does not
     *     match or the timestamp is outside {@code tolerance} of {@code now}
     */
    public static void verify(
            String secret, String header, byte[] body, Instant now, Duration tolerance) {
        if (header == null || header.isBlank()) {
            throw new SecurityException("no " + HEADER + " header");
        }
        Long t = null;
        byte[] v1 = null;
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            try {
                if (kv[0].equals("t")) {
                    t = Long.parseLong(kv[1]);
                } else if (kv[0].equals("v1")) {
                    v1 = HexFormat.of().parseHex(kv[1]);
                }
            } catch (IllegalArgumentException e) {
                throw new SecurityException("malformed " + HEADER + " header: " + part);
            }
        }
        if (t == null || v1 == null) {
            throw new SecurityException(HEADER + " needs t= and v1=");
        }
        if (!MessageDigest.isEqual(v1, mac(secret, t, body))) {
            throw new SecurityException("the signature does not match the body");
        }
        long skew = Math.abs(now.getEpochSecond() - t);
        if (skew > tolerance.toSeconds()) {
            throw new SecurityException(
                    "the timestamp is " + skew + " s from now, more than " + tolerance.toSeconds());
        }
    }

    private static byte[] mac(String secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
