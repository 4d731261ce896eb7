package org.fraudplatform.dev.simulate;

/**
 * A genuine customer of the merchant: their card, the IP address and device they pay from, their
 * e-mail address and country, and the amount they typically spend (minor units; each payment is
 * drawn around it).
 */
public record Customer(
        String id,
        String email,
        Card card,
        String ip,
        String deviceId,
        String country,
        long typicalAmount) {}
