package org.fraudplatform.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.features.FraudLabels;
import org.fraudplatform.runtime.metrics.DomainMetrics;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.CommandOutcome;
import org.fraudplatform.schemas.CommandResult;
import org.fraudplatform.schemas.Label;
import org.fraudplatform.schemas.PaymentCommand;
import org.fraudplatform.schemas.PaymentCommandType;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger: applies each {@link PaymentCommand} to its payment's state and writes what follows,
 * in one exactly-once transaction per commit: the new {@link PaymentEvent}s, the payment's {@link
 * PaymentSnapshot}, the {@link CommandResult} for the asking API instance, and the {@link Label}s
 * and {@link AuditEvent}s the events imply.
 *
 * <p>A command is decided at its {@code requestedAt} time, so a replay after a crash decides it the
 * same way. A wall-clock punctuation expires authorizations whose validity ran out (an index by
 * expiry time keeps that scan to the due payments).
 */
final class LedgerProcessor implements Processor<String, PaymentCommand, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(LedgerProcessor.class);
    private static final int EXPIRIES_PER_SCAN = 10_000;

    private final LedgerSettings settings;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, PaymentSnapshot> payments;
    private KeyValueStore<Bytes, byte[]> expiries;

    LedgerProcessor(LedgerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.payments = context.getStateStore(LedgerTopology.PAYMENTS_STORE);
        this.expiries = context.getStateStore(LedgerTopology.EXPIRY_STORE);
        context.schedule(
                settings.expiryScan(),
                PunctuationType.WALL_CLOCK_TIME,
                now -> expireDue(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, PaymentCommand> record) {
        PaymentCommand c = record.value();
        if (!c.getPaymentId().equals(record.key())) {
            answer(c, CommandOutcome.INVALID, null, "the key is not the payment id", null);
            return;
        }
        PaymentSnapshot stored = payments.get(c.getPaymentId());
        if (stored != null && !mayActOn(c, stored)) {
            answer(c, CommandOutcome.NOT_FOUND, null, "no payment " + c.getPaymentId(), null);
            return;
        }
        if (stored == null && c.getType() != PaymentCommandType.RECORD) {
            answer(c, CommandOutcome.NOT_FOUND, null, "no payment " + c.getPaymentId(), null);
            return;
        }
        PaymentState state =
                stored == null ? PaymentState.empty() : PaymentState.of(stored.getEvents());
        LedgerCommand command;
        try {
            command = toLedgerCommand(c, state);
        } catch (IllegalArgumentException e) {
            answer(c, CommandOutcome.INVALID, null, e.getMessage(), stored);
            return;
        }
        Instant at = c.getRequestedAt();
        PaymentState.Decision decision =
                state.decide(command, at, settings.authorizationValidity());
        if (decision instanceof PaymentState.Decision.Accepted accepted) {
            Instant expiredBefore = state.expiresAt(settings.authorizationValidity());
            PaymentSnapshot snapshot = commit(state, accepted.events(), c.getActor(), at);
            reschedule(c.getPaymentId(), expiredBefore, state);
            answer(c, CommandOutcome.ACCEPTED, null, null, snapshot);
        } else if (decision instanceof PaymentState.Decision.Refused refused) {
            answer(
                    c,
                    CommandOutcome.REFUSED,
                    refused.invariant().name(),
                    refused.invariant().message()
                            + (refused.detail().isEmpty() ? "" : " (" + refused.detail() + ")"),
                    stored);
        } else {
            answer(c, CommandOutcome.DUPLICATE, null, "done before; nothing changed", stored);
        }
    }

    /**
     * A merchant acts only on its own payments; the provider's notices and operators act on any.
     */
    private static boolean mayActOn(PaymentCommand c, PaymentSnapshot stored) {
        String actor = c.getActor();
        boolean privileged =
                actor.startsWith("provider:") || actor.equals("operator") || actor.equals("system");
        return privileged || stored.getMerchantId().equals(c.getMerchantId());
    }

    /** The command in the fold's terms; throws when it is malformed. */
    static LedgerCommand toLedgerCommand(PaymentCommand c, PaymentState state) {
        String op = c.getOperationId();
        Long amount = c.getAmount();
        switch (c.getType()) {
            case RECORD -> {
                PaymentEvent e = c.getEvent();
                require(e != null, "RECORD needs the event to record");
                require(
                        c.getPaymentId().equals(e.getPaymentId()),
                        "the event is of another payment");
                require(
                        c.getMerchantId().equals(e.getMerchantId()),
                        "the event is of another merchant");
                require(!e.getEventId().isBlank(), "the event has no id");
                require(e.getAmount() >= 0, "the event's amount is negative");
                return new LedgerCommand.Record(e);
            }
            case CAPTURE -> {
                requireOperation(op);
                long a = amountOrRest(amount, op, state, state.authorized() - state.captured());
                return new LedgerCommand.Capture(op, a);
            }
            case VOID -> {
                return new LedgerCommand.Void(op == null ? "void" : op);
            }
            case REFUND -> {
                requireOperation(op);
                return new LedgerCommand.Refund(
                        op, amountOrRest(amount, op, state, state.available()));
            }
            case OPEN_CHARGEBACK -> {
                requireOperation(op);
                require(c.getReasonCode() != null, "a chargeback needs its reason code");
                return new LedgerCommand.OpenChargeback(
                        op, amountOrRest(amount, op, state, state.available()), c.getReasonCode());
            }
            case WIN_CHARGEBACK -> {
                requireOperation(op);
                return new LedgerCommand.WinChargeback(op);
            }
            case LOSE_CHARGEBACK -> {
                requireOperation(op);
                return new LedgerCommand.LoseChargeback(op);
            }
            case APPROVE_REVIEW -> {
                return new LedgerCommand.ApproveReview();
            }
            case REJECT_REVIEW -> {
                return new LedgerCommand.RejectReview(c.getReasonCode());
            }
            case REPORT_FRAUD -> {
                return new LedgerCommand.ReportFraud(c.getReasonCode());
            }
            default -> throw new IllegalArgumentException("unknown command type " + c.getType());
        }
    }

    /** The amount asked, or (none asked) what the same operation moved before, or the rest. */
    private static long amountOrRest(Long asked, String op, PaymentState state, long rest) {
        if (asked != null) {
            return asked;
        }
        Long before = state.operationAmount(op);
        return before != null ? before : rest;
    }

    private static void requireOperation(String op) {
        require(op != null && !op.isBlank(), "the command needs an operation id");
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Folds the events in and writes them, their labels and audit records, and the snapshot. */
    private PaymentSnapshot commit(
            PaymentState state, List<PaymentEvent> events, String actor, Instant at) {
        for (PaymentEvent e : events) {
            state.apply(e);
            long ts = e.getEventTime().toEpochMilli();
            context.forward(
                    new Record<>(e.getPaymentId(), (Object) e, ts), LedgerTopology.EVENTS_SINK);
            Label label = FraudLabels.of(e);
            if (label != null) {
                context.forward(
                        new Record<>(e.getPaymentId(), (Object) label, ts),
                        LedgerTopology.LABELS_SINK);
            }
            AuditEvent audit = audit(e, actor);
            if (audit != null) {
                context.forward(
                        new Record<>(audit.getSubject(), (Object) audit, ts),
                        LedgerTopology.AUDIT_SINK);
            }
        }
        PaymentSnapshot snapshot = state.snapshot(at, settings.authorizationValidity());
        payments.put(snapshot.getPaymentId(), snapshot);
        context.forward(
                new Record<>(snapshot.getPaymentId(), (Object) snapshot, at.toEpochMilli()),
                LedgerTopology.SNAPSHOTS_SINK);
        return snapshot;
    }

    private void answer(
            PaymentCommand c,
            CommandOutcome outcome,
            String invariant,
            String detail,
            PaymentSnapshot snapshot) {
        DomainMetrics.ledgerCommand(c.getType().name(), outcome.name(), invariant);
        if (outcome != CommandOutcome.ACCEPTED && outcome != CommandOutcome.DUPLICATE) {
            log.info(
                    "{} {} for payment {}: {} {}",
                    c.getType(),
                    outcome,
                    c.getPaymentId(),
                    invariant == null ? "" : invariant,
                    detail);
        }
        if (c.getReplyPartition() < 0) {
            return;
        }
        CommandResult result =
                CommandResult.newBuilder()
                        .setCommandId(c.getCommandId())
                        .setPaymentId(c.getPaymentId())
                        .setReplyPartition(c.getReplyPartition())
                        .setOutcome(outcome)
                        .setInvariant(invariant)
                        .setDetail(detail)
                        .setPayment(snapshot)
                        .build();
        context.forward(
                new Record<>(c.getPaymentId(), (Object) result, context.currentSystemTimeMs()),
                LedgerTopology.RESULTS_SINK);
    }

    /** Review outcomes, fraud reports and chargebacks are audited: who, what, when. */
    private static AuditEvent audit(PaymentEvent e, String actor) {
        String action;
        switch (e.getType()) {
            case REVIEW_APPROVED -> action = "review.approve";
            case REVIEW_REJECTED -> action = "review.reject";
            case FRAUD_REPORTED -> action = "payment.report_fraud";
            case CHARGEBACK_OPENED -> action = "chargeback.open";
            case CHARGEBACK_WON -> action = "chargeback.win";
            case CHARGEBACK_LOST -> action = "chargeback.lose";
            default -> {
                return null;
            }
        }
        Map<String, String> details = new java.util.TreeMap<>();
        details.put("merchant", e.getMerchantId());
        details.put("amount", Long.toString(e.getAmount()));
        details.put("currency", e.getCurrency());
        if (e.getReasonCode() != null) {
            details.put("reason", e.getReasonCode());
        }
        return AuditEvent.newBuilder()
                .setEventId(e.getEventId())
                .setAt(e.getEventTime())
                .setActor(actor)
                .setAction(action)
                .setSubject(e.getPaymentId())
                .setDetails(details)
                .build();
    }

    // ---- expiry ----

    private void reschedule(String paymentId, Instant before, PaymentState state) {
        Instant after = state.expiresAt(settings.authorizationValidity());
        if (before != null && !before.equals(after)) {
            expiries.delete(expiryKey(before, paymentId));
        }
        if (after != null && !after.equals(before)) {
            expiries.put(expiryKey(after, paymentId), new byte[0]);
        }
    }

    /** Expires every authorization due at {@code now}: what was not captured is released. */
    void expireDue(Instant now) {
        List<Bytes> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = expiries.all()) {
            while (it.hasNext() && due.size() < EXPIRIES_PER_SCAN) {
                KeyValue<Bytes, byte[]> next = it.next();
                long at = ByteBuffer.wrap(next.key.get()).getLong();
                if (at > now.toEpochMilli()) {
                    break;
                }
                due.add(next.key);
            }
        }
        Duration validity = settings.authorizationValidity();
        for (Bytes key : due) {
            expiries.delete(key);
            String paymentId =
                    new String(
                            key.get(),
                            Long.BYTES,
                            key.get().length - Long.BYTES,
                            StandardCharsets.UTF_8);
            PaymentSnapshot stored = payments.get(paymentId);
            if (stored == null) {
                continue;
            }
            PaymentState state = PaymentState.of(stored.getEvents());
            PaymentState.Decision d = state.decide(new LedgerCommand.Expire(), now, validity);
            if (d instanceof PaymentState.Decision.Accepted accepted) {
                commit(state, accepted.events(), "system", now);
                log.info(
                        "authorization of payment {} expired; {} {} released",
                        paymentId,
                        accepted.events().get(0).getAmount(),
                        stored.getCurrency().toUpperCase(Locale.ROOT));
            }
            Instant after = state.expiresAt(validity);
            if (after != null) {
                // not expired after all (a later authorization time): keep it scheduled
                expiries.put(expiryKey(after, paymentId), new byte[0]);
            }
        }
    }

    /** Expiry time (big-endian, so RocksDB orders by it) then the payment id. */
    static Bytes expiryKey(Instant at, String paymentId) {
        byte[] id = paymentId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(
                ByteBuffer.allocate(Long.BYTES + id.length)
                        .putLong(at.toEpochMilli())
                        .put(id)
                        .array());
    }
}
