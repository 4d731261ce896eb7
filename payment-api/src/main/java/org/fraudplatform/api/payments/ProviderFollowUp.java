package org.fraudplatform.api.payments;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.fraudplatform.api.provider.PaymentProvider;
import org.fraudplatform.api.provider.ProviderResult;
import org.fraudplatform.schemas.PaymentCommand;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the payment provider what the ledger accepted: captures, voids (also of a rejected review)
 * and refunds, under the ledger's operation id. The provider applies each operation id once, so a
 * call that failed or timed out is simply sent again, with growing pauses; the ledger, not the
 * provider's answer, decides what the merchant was told. A call that still fails after the last try
 * is logged; reconciliation with the provider's settlement report finds it.
 */
public final class ProviderFollowUp {

    private static final Logger log = LoggerFactory.getLogger(ProviderFollowUp.class);
    private static final int ATTEMPTS = 5;

    private final PaymentProvider provider;
    private final ScheduledExecutorService timers;
    private final Duration firstPause;

    public ProviderFollowUp(
            PaymentProvider provider, ScheduledExecutorService timers, Duration firstPause) {
        this.provider = provider;
        this.timers = timers;
        this.firstPause = firstPause;
    }

    /** What the provider must do after {@code command} was accepted, leaving {@code after}. */
    void accepted(PaymentCommand command, PaymentSnapshot after) {
        String reference = authorizationReference(after);
        if (reference == null) {
            return; // nothing authorized at a provider (a bank transfer, an unresolved payment)
        }
        String op = command.getOperationId();
        switch (command.getType()) {
            case CAPTURE -> {
                PaymentEvent e = event(after, PaymentEventType.CAPTURED, op);
                if (e != null) {
                    send(
                            after,
                            "capture " + op,
                            () -> provider.capture(reference, e.getAmount(), e.getCurrency(), op),
                            1);
                }
            }
            case REFUND -> {
                PaymentEvent e = event(after, PaymentEventType.REFUNDED, op);
                if (e != null) {
                    send(
                            after,
                            "refund " + op,
                            () -> provider.refund(reference, e.getAmount(), e.getCurrency(), op),
                            1);
                }
            }
            case VOID, REJECT_REVIEW -> {
                PaymentEvent e = event(after, PaymentEventType.VOIDED, null);
                if (e != null) {
                    send(
                            after,
                            "void",
                            () -> provider.voidAuthorization(reference, e.getOperationId()),
                            1);
                }
            }
            default -> {
                // fraud reports, review approvals and chargebacks ask nothing of the provider
            }
        }
    }

    private void send(
            PaymentSnapshot payment,
            String what,
            Supplier<CompletableFuture<ProviderResult>> call,
            int attempt) {
        call.get()
                .whenComplete(
                        (result, failure) -> {
                            boolean retry =
                                    failure != null
                                            || result.outcome() == ProviderResult.Outcome.UNKNOWN
                                            || result.isUnavailable();
                            if (!retry) {
                                if (result.outcome() != ProviderResult.Outcome.APPROVED) {
                                    log.error(
                                            "provider refused {} of payment {}: {} {}",
                                            what,
                                            payment.getPaymentId(),
                                            result.code(),
                                            result.message());
                                }
                                return;
                            }
                            if (attempt >= ATTEMPTS) {
                                log.error(
                                        "provider did not confirm {} of payment {} after {} tries;"
                                                + " reconciliation will show it",
                                        what,
                                        payment.getPaymentId(),
                                        attempt);
                                return;
                            }
                            long pause = firstPause.toMillis() << (attempt - 1);
                            timers.schedule(
                                    () -> send(payment, what, call, attempt + 1),
                                    pause,
                                    TimeUnit.MILLISECONDS);
                        });
    }

    private static String authorizationReference(PaymentSnapshot s) {
        for (PaymentEvent e : s.getEvents()) {
            if (e.getType() == PaymentEventType.AUTHORIZED) {
                return e.getProviderReference();
            }
        }
        return null;
    }

    private static PaymentEvent event(PaymentSnapshot s, PaymentEventType type, String op) {
        for (PaymentEvent e : s.getEvents()) {
            if (e.getType() == type && (op == null || op.equals(e.getOperationId()))) {
                return e;
            }
        }
        return null;
    }
}
