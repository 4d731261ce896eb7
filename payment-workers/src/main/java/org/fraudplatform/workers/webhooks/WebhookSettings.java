package org.fraudplatform.workers.webhooks;

import java.time.Duration;

/**
 * How deliveries are retried.
 *
 * @param firstRetry the pause after the first failed attempt; each further one doubles, up to
 *     {@code maxRetry}, and half of each pause is random (jitter), so endpoints that recover are
 *     not hit by every queued delivery at once
 * @param maxRetry the longest pause
 * @param attempts tries before a delivery fails for good (and goes to {@code webhooks.dlq})
 * @param timeout how long an endpoint may take to answer (connection and TLS handshake included)
 * @param privateDestinationsAllowed endpoints may also be plain {@code http} and have loopback,
 *     private and carrier-grade NAT addresses ({@code --webhooks-allow-private}): for local
 *     development and tests only; by default only public {@code https} endpoints are registered and
 *     sent to ({@link WebhookDestinations})
 */
public record WebhookSettings(
        Duration firstRetry,
        Duration maxRetry,
        int attempts,
        Duration timeout,
        boolean privateDestinationsAllowed) {

    /**
     * 10 s, doubling up to 1 h, 8 attempts (about 2 h in all), 10 s to answer, public {@code https}
     * endpoints only.
     */
    public static final WebhookSettings DEFAULTS =
            new WebhookSettings(
                    Duration.ofSeconds(10), Duration.ofHours(1), 8, Duration.ofSeconds(10), false);

    public WebhookSettings {
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("retry pauses must be positive, first <= max");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("a delivery needs at least one attempt");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
    }

    /** The pause before attempt {@code attempt + 1} after {@code attempt} failed ones. */
    public Duration pauseAfter(int attempt, java.util.random.RandomGenerator random) {
        long base = firstRetry.toMillis();
        long pause = base;
        for (int i = 1; i < attempt && pause < maxRetry.toMillis(); i++) {
            pause *= 2;
        }
        pause = Math.min(pause, maxRetry.toMillis());
        long half = pause / 2;
        return Duration.ofMillis(half + random.nextLong(pause - half + 1));
    }
}
