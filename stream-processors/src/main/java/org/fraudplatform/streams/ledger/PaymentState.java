package org.fraudplatform.streams.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;

/**
 * One payment as the fold of its ledger events: how much was authorized, captured, refunded and
 * charged back, and which operations happened. {@link #decide} turns a command into the events it
 * causes, or refuses it naming the {@link Invariant} it would break; {@link #apply} folds an event
 * in (an event seen before changes nothing). Not thread-safe: one instance per payment per task.
 */
public final class PaymentState {

    /** Where the authorization stands. */
    public enum Authorization {
        NONE,
        DECLINED,
        AUTHORIZED,
        VOIDED,
        EXPIRED
    }

    /** The outcome of a command. */
    public sealed interface Decision {
        /** The events the command causes, to be written to the ledger and folded in. */
        record Accepted(List<PaymentEvent> events) implements Decision {}

        /** The command breaks an invariant; nothing changes. */
        record Refused(Invariant invariant, String detail) implements Decision {}

        /** The operation happened already; nothing changes. */
        record Duplicate() implements Decision {}
    }

    private PaymentEvent template;
    private Authorization authorization = Authorization.NONE;
    private Instant authorizedAt;
    private long authorized;
    private long captured;
    private long refunded;
    private long chargebackLost;
    private final Map<String, Long> openChargebacks = new LinkedHashMap<>();
    private final Map<String, String> operations = new LinkedHashMap<>();
    private final Set<String> eventIds = new HashSet<>();

    public static PaymentState empty() {
        return new PaymentState();
    }

    /** The state of a payment with these events, in order. */
    public static PaymentState of(List<PaymentEvent> events) {
        PaymentState s = new PaymentState();
        events.forEach(s::apply);
        return s;
    }

    /** Folds one event in; false (and no change) when the event was folded before. */
    public boolean apply(PaymentEvent e) {
        if (!eventIds.add(e.getEventId())) {
            return false;
        }
        long amount = e.getAmount();
        switch (e.getType()) {
            case AUTHORIZED -> {
                template = e;
                authorization = Authorization.AUTHORIZED;
                authorizedAt = e.getEventTime();
                authorized = amount;
            }
            case DECLINED -> {
                template = e;
                authorization = Authorization.DECLINED;
            }
            case CAPTURED -> captured += amount;
            case VOIDED -> authorization = Authorization.VOIDED;
            case EXPIRED -> authorization = Authorization.EXPIRED;
            case REFUNDED -> refunded += amount;
            case CHARGEBACK_OPENED -> openChargebacks.put(e.getOperationId(), amount);
            case CHARGEBACK_WON -> openChargebacks.remove(e.getOperationId());
            case CHARGEBACK_LOST -> {
                openChargebacks.remove(e.getOperationId());
                chargebackLost += amount;
            }
            default -> {
                // PENDING, FAILED, SETTLED, RETURNED, UNKNOWN move no money in this fold
            }
        }
        if (e.getOperationId() != null) {
            operations.putIfAbsent(e.getOperationId(), e.getType().name() + ":" + amount);
        }
        return true;
    }

    /**
     * What a command does to this payment at {@code now}.
     *
     * @param validity how long an authorization can be captured (7 days by default)
     */
    public Decision decide(LedgerCommand command, Instant now, Duration validity) {
        if (authorization == Authorization.NONE || authorization == Authorization.DECLINED) {
            return refuse(
                    Invariant.NOT_AUTHORIZED,
                    "payment " + (template == null ? "?" : template.getPaymentId()));
        }
        boolean expired = !now.isBefore(authorizedAt.plus(validity));
        if (command instanceof LedgerCommand.Capture c) {
            Decision seen = seen(c.operationId(), "CAPTURED:" + c.amount());
            if (seen != null) {
                return seen;
            }
            if (c.amount() <= 0) {
                return refuse(Invariant.AMOUNT_NOT_POSITIVE, "capture of " + c.amount());
            }
            if (authorization == Authorization.VOIDED) {
                return refuse(Invariant.AUTHORIZATION_VOIDED, "");
            }
            if (authorization == Authorization.EXPIRED || expired) {
                return refuse(Invariant.AUTHORIZATION_EXPIRED, "authorized at " + authorizedAt);
            }
            if (captured + c.amount() > authorized) {
                return refuse(
                        Invariant.CAPTURE_EXCEEDS_AUTHORIZED,
                        captured + " captured of " + authorized + ", asked " + c.amount());
            }
            return accept(PaymentEventType.CAPTURED, c.operationId(), c.amount(), now, null);
        }
        if (command instanceof LedgerCommand.Void v) {
            Decision seen = seen(v.operationId(), "VOIDED:" + (authorized - captured));
            if (seen != null) {
                return seen;
            }
            if (authorization == Authorization.VOIDED) {
                return refuse(Invariant.AUTHORIZATION_VOIDED, "");
            }
            if (captured > 0) {
                return refuse(Invariant.VOID_AFTER_CAPTURE, captured + " captured");
            }
            if (authorization == Authorization.EXPIRED) {
                return refuse(Invariant.AUTHORIZATION_EXPIRED, "authorized at " + authorizedAt);
            }
            return accept(PaymentEventType.VOIDED, v.operationId(), authorized, now, null);
        }
        if (command instanceof LedgerCommand.Refund r) {
            Decision seen = seen(r.operationId(), "REFUNDED:" + r.amount());
            if (seen != null) {
                return seen;
            }
            if (r.amount() <= 0) {
                return refuse(Invariant.AMOUNT_NOT_POSITIVE, "refund of " + r.amount());
            }
            if (r.amount() > available()) {
                return refuse(
                        Invariant.REFUND_EXCEEDS_CAPTURED,
                        available() + " can be refunded, asked " + r.amount());
            }
            return accept(PaymentEventType.REFUNDED, r.operationId(), r.amount(), now, null);
        }
        if (command instanceof LedgerCommand.OpenChargeback o) {
            Decision seen = seen(o.operationId(), "CHARGEBACK_OPENED:" + o.amount());
            if (seen != null) {
                return seen;
            }
            if (o.amount() <= 0) {
                return refuse(Invariant.AMOUNT_NOT_POSITIVE, "chargeback of " + o.amount());
            }
            if (o.amount() > available()) {
                return refuse(
                        Invariant.CHARGEBACK_EXCEEDS_CAPTURED,
                        available() + " can be charged back, asked " + o.amount());
            }
            return accept(
                    PaymentEventType.CHARGEBACK_OPENED,
                    o.operationId(),
                    o.amount(),
                    now,
                    o.reasonCode());
        }
        if (command instanceof LedgerCommand.WinChargeback w) {
            return resolve(w.chargebackId(), true, now);
        }
        if (command instanceof LedgerCommand.LoseChargeback l) {
            return resolve(l.chargebackId(), false, now);
        }
        if (command instanceof LedgerCommand.Expire x) {
            if (authorization == Authorization.EXPIRED) {
                return new Decision.Duplicate();
            }
            if (authorization != Authorization.AUTHORIZED || !expired) {
                return new Decision.Duplicate();
            }
            return accept(PaymentEventType.EXPIRED, "expiry", authorized - captured, now, null);
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    private Decision resolve(String chargebackId, boolean won, Instant now) {
        String resolution = "resolution:" + chargebackId;
        if (eventIds.contains(eventId(resolution, PaymentEventType.CHARGEBACK_WON))
                || eventIds.contains(eventId(resolution, PaymentEventType.CHARGEBACK_LOST))) {
            return new Decision.Duplicate();
        }
        Long amount = openChargebacks.get(chargebackId);
        if (amount == null) {
            return refuse(Invariant.CHARGEBACK_NOT_OPEN, chargebackId);
        }
        PaymentEvent e =
                event(
                        won ? PaymentEventType.CHARGEBACK_WON : PaymentEventType.CHARGEBACK_LOST,
                        chargebackId,
                        amount,
                        now,
                        null);
        e.setEventId(eventId(resolution, e.getType()));
        return new Decision.Accepted(List.of(e));
    }

    /** Captured money not refunded, not lost and not under an open chargeback. */
    public long available() {
        return captured - refunded - chargebackLost - openTotal();
    }

    private long openTotal() {
        return openChargebacks.values().stream().mapToLong(Long::longValue).sum();
    }

    private Decision seen(String operationId, String fingerprint) {
        String earlier = operations.get(operationId);
        if (earlier == null) {
            return null;
        }
        return earlier.equals(fingerprint)
                ? new Decision.Duplicate()
                : refuse(Invariant.OPERATION_REUSED, operationId + " was " + earlier);
    }

    private Decision accept(
            PaymentEventType type, String operationId, long amount, Instant now, String reason) {
        PaymentEvent e = event(type, operationId, amount, now, reason);
        e.setEventId(eventId(operationId, type));
        return new Decision.Accepted(List.of(e));
    }

    private String eventId(String operationId, PaymentEventType type) {
        return template.getPaymentId() + ":" + operationId + ":" + type;
    }

    private PaymentEvent event(
            PaymentEventType type, String operationId, long amount, Instant now, String reason) {
        return PaymentEvent.newBuilder(template)
                .setEventId("")
                .setType(type)
                .setAmount(amount)
                .setOperationId(operationId)
                .setReasonCode(reason)
                .setReasonMessage(null)
                .setRiskAction(null)
                .setEventTime(now)
                .setPaymentTime(template.getEventTime())
                .build();
    }

    private static Decision refuse(Invariant invariant, String detail) {
        return new Decision.Refused(invariant, detail);
    }

    /**
     * The invariants this state breaks, by name; empty for every state a fold of decided events can
     * reach (the property tests hold it to that).
     */
    public List<Invariant> violations() {
        List<Invariant> broken = new ArrayList<>();
        if (captured > authorized) {
            broken.add(Invariant.CAPTURE_EXCEEDS_AUTHORIZED);
        }
        if (refunded + chargebackLost + openTotal() > captured) {
            broken.add(Invariant.REFUND_EXCEEDS_CAPTURED);
        }
        if (authorization == Authorization.VOIDED && captured > 0) {
            broken.add(Invariant.VOID_AFTER_CAPTURE);
        }
        return broken;
    }

    public Authorization authorization() {
        return authorization;
    }

    public long authorized() {
        return authorized;
    }

    public long captured() {
        return captured;
    }

    public long refunded() {
        return refunded;
    }

    /** Charged back: under open chargebacks plus lost ones. */
    public long chargedBack() {
        return chargebackLost + openTotal();
    }

    /** Still capturable now: authorized, not captured, not voided or expired. */
    public long capturable(Instant now, Duration validity) {
        if (authorization != Authorization.AUTHORIZED
                || !now.isBefore(authorizedAt.plus(validity))) {
            return 0;
        }
        return authorized - captured;
    }
}
