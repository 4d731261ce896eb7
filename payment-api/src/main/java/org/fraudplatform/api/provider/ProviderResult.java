package org.fraudplatform.api.provider;

import java.util.Objects;

/**
 * What a payment provider answered.
 *
 * @param outcome approved, declined, pending (asynchronous methods), error, or unknown (timed out:
 *     it may have succeeded, so it is never retried blindly)
 * @param provider name of the provider instance that answered
 * @param reference the provider's id for the operation, when it gave one
 * @param code machine-readable reason for a decline or error (e.g. {@code insufficient_funds})
 * @param message human-readable reason
 */
public record ProviderResult(
        Outcome outcome, String provider, String reference, String code, String message) {

    public enum Outcome {
        APPROVED,
        DECLINED,
        PENDING,
        ERROR,
        UNKNOWN
    }

    public ProviderResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(provider, "provider");
    }

    public static ProviderResult approved(String provider, String reference) {
        return new ProviderResult(Outcome.APPROVED, provider, reference, null, null);
    }

    public static ProviderResult pending(String provider, String reference) {
        return new ProviderResult(Outcome.PENDING, provider, reference, null, null);
    }

    public static ProviderResult declined(
            String provider, String reference, String code, String message) {
        return new ProviderResult(Outcome.DECLINED, provider, reference, code, message);
    }

    public static ProviderResult error(String provider, String code, String message) {
        return new ProviderResult(Outcome.ERROR, provider, null, code, message);
    }

    public static ProviderResult unknown(String provider, String message) {
        return new ProviderResult(Outcome.UNKNOWN, provider, null, "provider_timeout", message);
    }
}
