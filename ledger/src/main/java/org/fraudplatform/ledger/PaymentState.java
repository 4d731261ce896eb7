package org.fraudplatform.ledger;

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
import org.fraudplatform.schemas.PaymentMethodType;

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

    /** The failure code of a payment whose risk decision never came (the API's). */
    static final String NO_RISK_DECISION = "no_risk_decision";

    private PaymentEvent template;
    private PaymentEvent first;
    private final List<PaymentEvent> events = new ArrayList<>();
    private boolean pending;
    private boolean authorizing;
    private boolean pendingReported;
    private long requested;
    private boolean failed;
    private boolean underReview;
    private boolean reviewed;
    private boolean settledTransfer;
    private long returned;
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
        if (first == null) {
            first = e;
        }
        events.add(e);
        long amount = e.getAmount();
        switch (e.getType()) {
            case AUTHORIZED -> {
                template = e;
                authorization = Authorization.AUTHORIZED;
                authorizedAt = e.getEventTime();
                authorized = amount;
                pending = false;
                underReview = e.getRiskAction() == org.fraudplatform.schemas.RiskAction.REVIEW;
            }
            case DECLINED -> {
                template = e;
                authorization = Authorization.DECLINED;
                pending = false;
            }
            case AUTHORIZING -> {
                // the provider is being asked: pending until its outcome is recorded
                template = template == null ? e : template;
                pending = true;
                authorizing = true;
                requested = amount;
            }
            case PENDING -> {
                template = template == null ? e : template;
                pending = true;
                pendingReported = true;
                requested = requested == 0 ? amount : requested;
            }
            case FAILED -> {
                template = template == null ? e : template;
                failed = true;
                pending = false;
            }
            case SETTLED -> {
                // a bank transfer's money arrived: authorized and captured at once
                authorization = Authorization.AUTHORIZED;
                authorizedAt = e.getEventTime();
                authorized = amount;
                captured += amount;
                pending = false;
                settledTransfer = true;
            }
            case RETURNED -> returned += amount;
            case REVIEW_APPROVED -> {
                underReview = false;
                reviewed = true;
            }
            case REVIEW_REJECTED -> {
                underReview = false;
                reviewed = true;
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
                // FRAUD_REPORTED, UNKNOWN move no money
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
        if (command instanceof LedgerCommand.Record r) {
            return record(r.event());
        }
        if (command instanceof LedgerCommand.ReportFraud f) {
            if (template == null) {
                return refuse(Invariant.NOT_AUTHORIZED, "no such payment");
            }
            if (eventIds.contains(eventId("report", PaymentEventType.FRAUD_REPORTED))) {
                return new Decision.Duplicate();
            }
            return accept(PaymentEventType.FRAUD_REPORTED, "report", 0, now, f.reasonCode());
        }
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
            if (underReview) {
                return refuse(Invariant.UNDER_REVIEW, "");
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
        if (command instanceof LedgerCommand.ApproveReview) {
            return review(true, null, now);
        }
        if (command instanceof LedgerCommand.RejectReview j) {
            return review(false, j.reasonCode(), now);
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
            if (authorization != Authorization.AUTHORIZED || !expired || captured >= authorized) {
                return new Decision.Duplicate();
            }
            return accept(PaymentEventType.EXPIRED, "expiry", authorized - captured, now, null);
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    /** An authorization outcome or a transfer settlement, as the API or a provider reports it. */
    private Decision record(PaymentEvent e) {
        if (eventIds.contains(e.getEventId())) {
            return new Decision.Duplicate();
        }
        switch (e.getType()) {
            case AUTHORIZED, DECLINED, FAILED, PENDING, AUTHORIZING -> {
                if (authorization != Authorization.NONE || failed || settledTransfer) {
                    return refuse(
                            Invariant.ALREADY_AUTHORIZED,
                            "it is " + status() + ", " + e.getType() + " not recorded");
                }
                if (authorizing
                        && e.getType() == PaymentEventType.FAILED
                        && NO_RISK_DECISION.equals(e.getReasonCode())) {
                    // a decision was made and the provider asked: only its answer can follow
                    return refuse(
                            Invariant.ALREADY_AUTHORIZED,
                            "the provider is being asked, " + e.getType() + " not recorded");
                }
                if ((e.getType() == PaymentEventType.PENDING && pendingReported)
                        || (e.getType() == PaymentEventType.AUTHORIZING && authorizing)) {
                    return new Decision.Duplicate();
                }
                return new Decision.Accepted(List.of(e));
            }
            case SETTLED -> {
                if (!pending
                        || authorization != Authorization.NONE
                        || first.getPaymentMethod() != PaymentMethodType.BANK_TRANSFER) {
                    return refuse(
                            Invariant.TRANSFER_NOT_PENDING,
                            "it is a " + first.getPaymentMethod() + " payment, " + status());
                }
                if (e.getAmount() != requested) {
                    // the provider reports another amount than was sent: for reconciliation to
                    // show, never a new truth
                    return refuse(
                            Invariant.SETTLEMENT_AMOUNT_MISMATCH,
                            requested + " was sent, " + e.getAmount() + " reported");
                }
                return new Decision.Accepted(List.of(e));
            }
            case RETURNED -> {
                if (!settledTransfer) {
                    return refuse(Invariant.TRANSFER_NOT_PENDING, "it is " + status());
                }
                if (e.getAmount() <= 0 || e.getAmount() > available()) {
                    return refuse(
                            Invariant.REFUND_EXCEEDS_CAPTURED,
                            available() + " can come back, " + e.getAmount() + " reported");
                }
                return new Decision.Accepted(List.of(e));
            }
            default -> {
                return refuse(Invariant.NOT_RECORDABLE, e.getType() + " is decided by a command");
            }
        }
    }

    private Decision review(boolean approve, String reasonCode, Instant now) {
        if (reviewed) {
            boolean sameOutcome =
                    eventIds.contains(
                            eventId(
                                    "review",
                                    approve
                                            ? PaymentEventType.REVIEW_APPROVED
                                            : PaymentEventType.REVIEW_REJECTED));
            return sameOutcome
                    ? new Decision.Duplicate()
                    : refuse(Invariant.REVIEW_NOT_OPEN, "the review was decided otherwise");
        }
        if (!underReview) {
            return refuse(Invariant.REVIEW_NOT_OPEN, "it is " + status());
        }
        if (approve) {
            return accept(PaymentEventType.REVIEW_APPROVED, "review", 0, now, null);
        }
        PaymentEvent rejected =
                event(PaymentEventType.REVIEW_REJECTED, "review", 0, now, reasonCode);
        rejected.setEventId(eventId("review", PaymentEventType.REVIEW_REJECTED));
        List<PaymentEvent> out = new ArrayList<>(List.of(rejected));
        if (authorization == Authorization.AUTHORIZED) {
            PaymentEvent voided = event(PaymentEventType.VOIDED, "review", authorized, now, null);
            voided.setEventId(eventId("review", PaymentEventType.VOIDED));
            out.add(voided);
        }
        return new Decision.Accepted(out);
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

    /** The amount an operation moved, or null when no operation has that id. */
    public Long operationAmount(String operationId) {
        String earlier = operations.get(operationId);
        return earlier == null ? null : Long.valueOf(earlier.substring(earlier.indexOf(':') + 1));
    }

    /** Captured money not refunded, not lost and not under an open chargeback. */
    public long available() {
        return captured - refunded - returned - chargebackLost - openTotal();
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
                .setPaymentTime(first.getEventTime())
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
        if (refunded + returned + chargebackLost + openTotal() > captured) {
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

    /**
     * The payment's status in the API's words: pending, failed, declined, review, authorized,
     * voided, expired, captured, settled, partially_refunded, refunded, charged_back, returned, or
     * {@code unknown} before any event.
     */
    public String status() {
        if (first == null) {
            return "unknown";
        }
        if (failed) {
            return "failed";
        }
        if (pending) {
            return "pending";
        }
        switch (authorization) {
            case DECLINED -> {
                return "declined";
            }
            case VOIDED -> {
                return "voided";
            }
            case NONE -> {
                return "unknown";
            }
            default -> {
                // AUTHORIZED or EXPIRED: what happened to the money decides
            }
        }
        if (captured == 0) {
            if (underReview) {
                return "review";
            }
            return authorization == Authorization.EXPIRED ? "expired" : "authorized";
        }
        if (chargedBack() > 0) {
            return "charged_back";
        }
        if (returned > 0) {
            return "returned";
        }
        if (refunded >= captured) {
            return "refunded";
        }
        if (refunded > 0) {
            return "partially_refunded";
        }
        return settledTransfer ? "settled" : "captured";
    }

    /**
     * The amount the payment asked the provider for while its authorization outcome is unknown (its
     * AUTHORIZING or PENDING event), 0 before.
     */
    public long requested() {
        return requested;
    }

    public boolean underReview() {
        return underReview;
    }

    /** Every event folded in, in order. */
    public List<PaymentEvent> events() {
        return List.copyOf(events);
    }

    /** The payment's first event (its creation), or null when there is none. */
    public PaymentEvent firstEvent() {
        return first;
    }

    /** When the authorization stops being capturable, or null when it is not capturable. */
    public Instant capturableUntil(Duration validity) {
        return authorization == Authorization.AUTHORIZED && authorizedAt != null && !settledTransfer
                ? authorizedAt.plus(validity)
                : null;
    }

    /**
     * When the authorization expires and releases what was not captured, or null when nothing is
     * left to release.
     */
    public Instant expiresAt(Duration validity) {
        return authorization == Authorization.AUTHORIZED
                        && captured < authorized
                        && !settledTransfer
                ? authorizedAt.plus(validity)
                : null;
    }

    /** The payment as the contract shows it, at {@code now}. */
    public org.fraudplatform.schemas.PaymentSnapshot snapshot(Instant now, Duration validity) {
        PaymentEvent last = events.get(events.size() - 1);
        return org.fraudplatform.schemas.PaymentSnapshot.newBuilder()
                .setPaymentId(first.getPaymentId())
                .setMerchantId(first.getMerchantId())
                .setInstrumentKey(first.getInstrumentKey())
                .setCustomerId(first.getCustomerId())
                .setPaymentMethod(first.getPaymentMethod())
                .setCreatedAt(first.getEventTime())
                .setUpdatedAt(last.getEventTime())
                .setCapturableUntil(capturableUntil(validity))
                .setStatus(status())
                .setCurrency(first.getCurrency())
                .setAuthorized(authorized)
                .setCapturable(capturable(now, validity))
                .setCaptured(captured)
                .setRefunded(refunded + returned)
                .setChargedBack(chargedBack())
                .setUnderReview(underReview)
                .setEvents(List.copyOf(events))
                .build();
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
                || underReview
                || !now.isBefore(authorizedAt.plus(validity))) {
            return 0;
        }
        return authorized - captured;
    }
}
