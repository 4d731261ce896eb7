package org.fraudplatform.providers;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.fraudplatform.runtime.metrics.DomainMetrics;

/**
 * A provider whose every call is timed and counted by operation and outcome ({@code
 * provider_requests_seconds{provider, operation, outcome}}): what the provider answered, or {@code
 * failed} when the call itself threw. Wraps each real provider, below the router, so the router's
 * own answers (a breaker open, no route) are not counted as the provider's.
 */
public final class MeteredProvider implements PaymentProvider {

    private final PaymentProvider provider;

    public MeteredProvider(PaymentProvider provider) {
        this.provider = provider;
    }

    @Override
    public String name() {
        return provider.name();
    }

    @Override
    public java.util.Map<String, String> providerTokenKinds() {
        return provider.providerTokenKinds();
    }

    @Override
    public CompletableFuture<ProviderResult> cancelUnknown(String paymentId) {
        return timed("cancel_unknown", () -> provider.cancelUnknown(paymentId));
    }

    @Override
    public CompletableFuture<ProviderResult> authorize(AuthorizationCall call) {
        return timed("authorize", () -> provider.authorize(call));
    }

    @Override
    public CompletableFuture<ProviderResult> capture(
            String authorizationReference, long amount, String currency, String operationId) {
        return timed(
                "capture",
                () -> provider.capture(authorizationReference, amount, currency, operationId));
    }

    @Override
    public CompletableFuture<ProviderResult> voidAuthorization(
            String authorizationReference, String operationId) {
        return timed("void", () -> provider.voidAuthorization(authorizationReference, operationId));
    }

    @Override
    public CompletableFuture<ProviderResult> refund(
            String authorizationReference, long amount, String currency, String operationId) {
        return timed(
                "refund",
                () -> provider.refund(authorizationReference, amount, currency, operationId));
    }

    @Override
    public CompletableFuture<ProviderResult> status(String paymentId) {
        return timed("status", () -> provider.status(paymentId));
    }

    private CompletableFuture<ProviderResult> timed(
            String operation, Supplier<CompletableFuture<ProviderResult>> call) {
        long started = System.nanoTime();
        CompletableFuture<ProviderResult> result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            DomainMetrics.providerCall(name(), operation, "failed", System.nanoTime() - started);
            throw e;
        }
        return result.whenComplete(
                (r, e) ->
                        DomainMetrics.providerCall(
                                name(),
                                operation,
                                e != null || r == null ? "failed" : r.outcome().name(),
                                System.nanoTime() - started));
    }
}
