package org.fraudplatform.api.payments;

import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.runtime.RequestIds;
import org.fraudplatform.runtime.tracing.Tracing;
import org.fraudplatform.schemas.CommandResult;
import org.fraudplatform.schemas.PaymentCommand;
import org.fraudplatform.schemas.PaymentCommandType;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.topics.Topic;

/**
 * The API's way to the ledger: {@link PaymentCommand}s to {@code payments.commands}, keyed by
 * payment id (acks=all, idempotent producer), and the ledger's results back on this instance's
 * reply partition. The ledger topology is the only writer of {@code payments.events}; the API
 * records what it learned (authorization outcomes) and asks for everything that moves money.
 */
public final class Ledger {

    /** Operation id of the capture that follows an automatic-capture authorization. */
    public static final String AUTOMATIC_CAPTURE = "capture";

    /** Reason code of an AUTHORIZING event: an approval is authorized and kept for capture. */
    public static final String INTENT_APPROVE = "approve";

    /** Reason code of an AUTHORIZING event: an approval is captured at once. */
    public static final String INTENT_APPROVE_AND_CAPTURE = "approve_capture";

    /** Reason code of an AUTHORIZING event: an approval is held for manual review. */
    public static final String INTENT_REVIEW = "review";

    private final Producer<String, PaymentCommand> producer;
    private final Topic<String, PaymentCommand> topic;
    private final PendingReplies<CommandResult> results;
    private final int replyPartition;

    /**
     * @param results where results for this instance's reply partition arrive
     * @param replyPartition this instance's partition of {@code payments.command-results}
     */
    public Ledger(
            Producer<String, PaymentCommand> producer,
            Topic<String, PaymentCommand> topic,
            PendingReplies<CommandResult> results,
            int replyPartition) {
        this.producer = producer;
        this.topic = topic;
        this.results = results;
        this.replyPartition = replyPartition;
    }

    /**
     * Hands an outcome of the authorization flow to the ledger without waiting for its answer: an
     * authorization outcome is recorded as a fact; a {@code CAPTURED} event of an automatic capture
     * becomes the capture command the ledger decides (it always accepts it on a fresh
     * authorization). Completes when the broker has the command.
     */
    CompletableFuture<Void> submit(PaymentEvent e) {
        PaymentCommand.Builder c =
                PaymentCommand.newBuilder()
                        .setCommandId(e.getEventId())
                        .setPaymentId(e.getPaymentId())
                        .setMerchantId(e.getMerchantId())
                        .setActor("merchant:" + e.getMerchantId())
                        .setRequestedAt(e.getEventTime())
                        .setReplyPartition(-1);
        if (e.getType() == PaymentEventType.CAPTURED) {
            c.setType(PaymentCommandType.CAPTURE)
                    .setOperationId(e.getOperationId())
                    .setAmount(e.getAmount());
        } else {
            c.setType(PaymentCommandType.RECORD).setEvent(e);
        }
        return send(c.build()).thenApply(ignored -> null);
    }

    /**
     * Sends a command and waits (without a thread) for the ledger's result.
     *
     * @param timeout after this the future fails with a {@link
     *     java.util.concurrent.TimeoutException} (the command may still be applied later; its
     *     operation id makes a retry safe)
     */
    public CompletableFuture<CommandResult> execute(PaymentCommand command, Duration timeout) {
        command.setReplyPartition(replyPartition);
        CompletableFuture<CommandResult> result = results.register(command.getCommandId());
        send(command)
                .whenComplete(
                        (ok, failure) -> {
                            if (failure != null) {
                                results.abandon(command.getCommandId());
                                result.completeExceptionally(failure);
                            }
                        });
        return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete(
                        (r, failure) -> {
                            if (failure != null) {
                                results.abandon(command.getCommandId());
                            }
                        });
    }

    private CompletableFuture<PaymentCommand> send(PaymentCommand command) {
        CompletableFuture<PaymentCommand> acked = new CompletableFuture<>();
        ProducerRecord<String, PaymentCommand> record =
                new ProducerRecord<>(topic.name(), command.getPaymentId(), command);
        RequestIds.addTo(record.headers());
        Tracing.current().toHeaders(Context.current(), record.headers());
        producer.send(
                record,
                (metadata, failure) -> {
                    if (failure != null) {
                        acked.completeExceptionally(failure);
                    } else {
                        acked.complete(command);
                    }
                });
        return acked;
    }

    /** A command for a payment, with a fresh command id. */
    public static PaymentCommand.Builder command(
            String merchantId,
            String paymentId,
            PaymentCommandType type,
            String actor,
            Instant at) {
        return PaymentCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setPaymentId(paymentId)
                .setMerchantId(merchantId)
                .setType(type)
                .setActor(actor)
                .setRequestedAt(at);
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
