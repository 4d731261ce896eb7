package org.fraudplatform.providers;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A payment provider connector: the only place a card number leaves the API process.
 *
 * <p>Calls are asynchronous and must not block the caller. A call that does not answer within its
 * timeout completes with {@link ProviderResult.Outcome#UNKNOWN}; callers never retry it blindly and
 * never send it to another provider, they ask {@link #status} or repeat it with the same
 * idempotency key.
 *
 * <p>Every call is idempotent at the provider: an authorization by its payment id, a capture, void
 * or refund by its operation id within the authorization. Repeating a call returns the first answer
 * and never performs the operation twice.
 */
public interface PaymentProvider {

    /**
     * Operation id of the single full capture that {@link #capture(String, long, String)} makes,
     * the same id the ledger gives an automatic capture.
     */
    String AUTOMATIC_CAPTURE = "capture";

    /** Name of this provider instance, recorded on ledger events. */
    String name();

    /**
     * The providers, this one or those behind it, that charge tokens their own client-side scripts
     * made ({@link AuthorizationCall.ProviderTokenMethod}), by name, with their kind ({@code
     * stripe}, {@code adyen}). Empty for a provider that takes card numbers only.
     */
    default Map<String, String> providerTokenKinds() {
        return Map.of();
    }

    /**
     * Authorizes (reserves) the amount on the instrument. The payment id is the idempotency key: a
     * second call for the same payment id answers with the first outcome.
     */
    CompletableFuture<ProviderResult> authorize(AuthorizationCall call);

    /**
     * Captures an earlier authorization, in full or in part.
     *
     * @param authorizationReference the reference the authorization answered with
     * @param amount minor units, at most what is still uncaptured
     * @param operationId idempotency key, unique within the authorization
     */
    CompletableFuture<ProviderResult> capture(
            String authorizationReference, long amount, String currency, String operationId);

    /**
     * Captures an earlier authorization once, with operation id {@link #AUTOMATIC_CAPTURE}: a
     * repeated call answers with the first capture.
     */
    default CompletableFuture<ProviderResult> capture(
            String authorizationReference, long amount, String currency) {
        return capture(authorizationReference, amount, currency, AUTOMATIC_CAPTURE);
    }

    /**
     * Releases what is still uncaptured of an authorization.
     *
     * @param operationId idempotency key, unique within the authorization
     */
    CompletableFuture<ProviderResult> voidAuthorization(
            String authorizationReference, String operationId);

    /**
     * Pays back captured money, in full or in part.
     *
     * @param amount minor units, at most what is captured and not yet refunded
     * @param operationId idempotency key, unique within the authorization
     */
    CompletableFuture<ProviderResult> refund(
            String authorizationReference, long amount, String currency, String operationId);

    /**
     * What the provider did with our payment id: the outcome of its authorization ({@code APPROVED}
     * with the reference, {@code DECLINED} with the code, ...), or {@code NOT_FOUND} when it never
     * saw the payment. This resolves an {@code UNKNOWN} authorization.
     */
    CompletableFuture<ProviderResult> status(String paymentId);

    /**
     * Ends an authorization whose outcome this provider cannot tell ({@link #status} keeps
     * answering {@code UNKNOWN}, as Adyen does until its notification arrives): afterwards nothing
     * of it can be captured, whether it was authorized or not. {@code APPROVED} when the provider
     * took the cancel, so the payment may be recorded failed with nothing charged; {@code ERROR}
     * {@link ProviderResult#NOT_SUPPORTED} from a provider that can always tell, which is the
     * default.
     */
    default CompletableFuture<ProviderResult> cancelUnknown(String paymentId) {
        return CompletableFuture.completedFuture(
                ProviderResult.error(
                        name(),
                        ProviderResult.NOT_SUPPORTED,
                        "This provider always tells an authorization's outcome"));
    }
}
