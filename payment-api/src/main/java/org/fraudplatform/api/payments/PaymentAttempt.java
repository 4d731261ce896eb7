package org.fraudplatform.api.payments;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fraudplatform.api.http.HttpReply;
import org.fraudplatform.providers.AuthorizationCall;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.topics.Keys;

/**
 * One authorization in flight: the published request, the provider instrument (card number held
 * only here, in memory, until the provider has answered), and the HTTP reply still owed.
 */
final class PaymentAttempt {

    private final String merchantId;
    private final String idempotencyKey;
    private final PaymentRequest request;
    private final String instrumentKey;
    private final PaymentMethodType paymentMethod;
    private final PaymentView initialView;
    private final long startedNanos;
    private final CompletableFuture<HttpReply> reply = new CompletableFuture<>();
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile AuthorizationCall.Method providerMethod;
    // the trace of the request that started this payment (tracing off: the root context)
    private final Context trace = Context.current();

    PaymentAttempt(
            String merchantId,
            String idempotencyKey,
            PaymentRequest request,
            AuthorizationCall.Method providerMethod,
            PaymentView initialView,
            long startedNanos) {
        this.merchantId = merchantId;
        this.idempotencyKey = idempotencyKey;
        this.request = request;
        this.instrumentKey = Keys.instrumentKey(request);
        this.paymentMethod = Keys.paymentMethod(request);
        this.providerMethod = providerMethod;
        this.initialView = initialView;
        this.startedNanos = startedNanos;
    }

    /** The trace context of the request that started this payment. */
    Context trace() {
        return trace;
    }

    /** Runs {@code work} (on any thread) as part of this payment's trace. */
    <T> T inTrace(java.util.function.Supplier<T> work) {
        if (!trace.equals(Context.root())) {
            try (Scope ignored = trace.makeCurrent()) {
                return work.get();
            }
        }
        return work.get();
    }

    String merchantId() {
        return merchantId;
    }

    String idempotencyKey() {
        return idempotencyKey;
    }

    String paymentId() {
        return request.getPaymentId();
    }

    PaymentRequest request() {
        return request;
    }

    String instrumentKey() {
        return instrumentKey;
    }

    PaymentMethodType paymentMethod() {
        return paymentMethod;
    }

    PaymentView initialView() {
        return initialView;
    }

    long startedNanos() {
        return startedNanos;
    }

    CompletableFuture<HttpReply> reply() {
        return reply;
    }

    /** Claims the right to send the HTTP reply; true for exactly one caller. */
    boolean claimAnswer() {
        return answered.compareAndSet(false, true);
    }

    /** The provider instrument, or null once it has been released. */
    AuthorizationCall.Method providerMethod() {
        return providerMethod;
    }

    /** Drops the reference to the card number once the provider no longer needs it. */
    void releaseCardData() {
        providerMethod = null;
    }
}
