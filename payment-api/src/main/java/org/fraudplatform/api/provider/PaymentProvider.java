package org.fraudplatform.api.provider;

import java.util.concurrent.CompletableFuture;

/**
 * A payment provider connector: the only place a card number leaves the API process.
 *
 * <p>Calls are asynchronous and must not block the caller. A call that does not answer within its
 * timeout completes with {@link ProviderResult.Outcome#UNKNOWN}; callers never retry it blindly.
 */
public interface PaymentProvider {

    /** Name of this provider instance, recorded on ledger events. */
    String name();

    /** Authorizes (reserves) the amount on the instrument. */
    CompletableFuture<ProviderResult> authorize(AuthorizationCall call);

    /** Captures an earlier authorization, in full or in part. */
    CompletableFuture<ProviderResult> capture(
            String authorizationReference, long amount, String currency);
}
