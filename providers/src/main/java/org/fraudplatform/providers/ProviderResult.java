package org.fraudplatform.providers;

import java.util.Objects;
import org.fraudplatform.schemas.cards.CardNumberDetector;

/**
 * What a payment provider answered.
 *
 * <p>Two failures look alike and must never be confused: {@link #unavailable} (the provider refused
 * the connection, so it certainly did nothing and another provider may be tried) and {@link
 * #unknown} (the provider did not answer in time: it may have done the operation, so the call is
 * never sent to another provider; a {@link PaymentProvider#status status} query tells what
 * happened).
 *
 * <p>Every answer of a provider enters the platform as one of these, and from here its code and
 * message go into the payment's reply to the merchant, the ledger's events, the provider journal
 * and the logs. A provider may echo the card number in them ({@code "card 4111111111111111
 * declined"}), so both are masked when the answer is made, to the first six and last four digits
 * ({@link CardNumberDetector}): no connector can hand the platform an unmasked one. The reference
 * is the provider's id of the operation, passed back to it as it came.
 *
 * @param outcome approved, declined, pending (asynchronous methods), error, unknown (timed out: it
 *     may have succeeded, so it is never retried blindly) or not found (a status query for a
 *     payment the provider never saw)
 * @param provider name of the provider instance that answered
 * @param reference the provider's id for the operation, when it gave one
 * @param code machine-readable reason for a decline or error (e.g. {@code insufficient_funds}),
 *     card numbers masked
 * @param message human-readable reason, card numbers masked
 */
public record ProviderResult(
        Outcome outcome, String provider, String reference, String code, String message) {

    /** Code of an {@code ERROR}: the provider could not be reached and did nothing. */
    public static final String UNAVAILABLE = "provider_unavailable";

    /** Code of an {@code UNKNOWN}: the provider did not answer in time. */
    public static final String TIMEOUT = "provider_timeout";

    /** Code of an {@code ERROR}: a follow-up named an authorization the provider does not know. */
    public static final String UNKNOWN_REFERENCE = "unknown_reference";

    /** Code of a {@code NOT_FOUND}. */
    public static final String NOT_FOUND = "not_found";

    /** Code of an {@code ERROR}: the provider does not do what was asked (it never has to). */
    public static final String NOT_SUPPORTED = "not_supported";

    public enum Outcome {
        APPROVED,
        DECLINED,
        PENDING,
        ERROR,
        UNKNOWN,
        NOT_FOUND
    }

    public ProviderResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(provider, "provider");
        code = CardNumberDetector.mask(code);
        message = CardNumberDetector.mask(message);
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
        return new ProviderResult(Outcome.UNKNOWN, provider, null, TIMEOUT, message);
    }

    /** The provider could not be reached: it certainly did nothing. */
    public static ProviderResult unavailable(String provider, String message) {
        return error(provider, UNAVAILABLE, message);
    }

    /** A status query for a payment the provider never saw. */
    public static ProviderResult notFound(String provider, String message) {
        return new ProviderResult(Outcome.NOT_FOUND, provider, null, NOT_FOUND, message);
    }

    /**
     * Whether the provider could not be reached. Only then is it safe to send the same call to
     * another provider.
     */
    public boolean isUnavailable() {
        return outcome == Outcome.ERROR && UNAVAILABLE.equals(code);
    }
}
