package org.fraudplatform.api.payments;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.topics.Topic;

/**
 * Writes ledger events to {@code payments.events}, keyed by payment id. A future completes when the
 * broker has acknowledged the event (acks=all, idempotent producer), so the API replies only after
 * the outcome is durable.
 */
final class Ledger {

    private final Producer<String, PaymentEvent> producer;
    private final Topic<String, PaymentEvent> topic;

    Ledger(Producer<String, PaymentEvent> producer, Topic<String, PaymentEvent> topic) {
        this.producer = producer;
        this.topic = topic;
    }

    CompletableFuture<PaymentEvent> append(PaymentEvent event) {
        CompletableFuture<PaymentEvent> acked = new CompletableFuture<>();
        producer.send(
                new ProducerRecord<>(topic.name(), event.getPaymentId(), event),
                (metadata, failure) -> {
                    if (failure != null) {
                        acked.completeExceptionally(failure);
                    } else {
                        acked.complete(event);
                    }
                });
        return acked;
    }

    /** An event of this payment, filled from what the attempt knows. */
    static PaymentEvent.Builder event(
            PaymentAttempt attempt, PaymentEventType type, long amount, Instant at) {
        return PaymentEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setPaymentId(attempt.paymentId())
                .setMerchantId(attempt.merchantId())
                .setType(type)
                .setAmount(amount)
                .setCurrency(attempt.request().getCurrency())
                .setInstrumentKey(attempt.instrumentKey())
                .setPaymentMethod(attempt.paymentMethod())
                .setCustomerId(attempt.request().getCustomer().getId())
                .setRiskAction((RiskAction) null)
                .setEventTime(at)
                .setCorrelationId(attempt.request().getCorrelationId());
    }
}
