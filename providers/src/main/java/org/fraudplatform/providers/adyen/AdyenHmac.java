package org.fraudplatform.providers.adyen;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC signature of Adyen's standard notifications: HMAC-SHA256, keyed with the hex-decoded
 * HMAC key of the webhook endpoint, over {@code
 * pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success}
 * (an absent field is an empty string), Base64-encoded in {@code additionalData.hmacSignature}.
 * Comparison takes constant time.
 */
public final class AdyenHmac {

    private AdyenHmac() {}

    /** The string Adyen signs for one {@code NotificationRequestItem}. */
    public static String payload(JsonNode item) {
        return String.join(
                ":",
                item.path("pspReference").asText(""),
                item.path("originalReference").asText(""),
                item.path("merchantAccountCode").asText(""),
                item.path("merchantReference").asText(""),
                item.path("amount").path("value").asText(""),
                item.path("amount").path("currency").asText(""),
                item.path("eventCode").asText(""),
                item.path("success").asText(""));
    }

    /** The Base64 signature of an item under a hex key. */
    public static String sign(JsonNode item, String hexKey) {
        return Base64.getEncoder().encodeToString(mac(payload(item), hexKey));
    }

    /** Whether the item's {@code additionalData.hmacSignature} is the one the key makes. */
    public static boolean isValid(JsonNode item, String hexKey) {
        String given = item.path("additionalData").path("hmacSignature").asText(null);
        if (given == null) {
            return false;
        }
        byte[] received;
        try {
            received = Base64.getDecoder().decode(given);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(payload(item), hexKey), received);
    }

    private static byte[] mac(String payload, String hexKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(hexKey), "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
