package org.fraudplatform.api.payments;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.fraudplatform.api.http.Json;
import org.fraudplatform.history.EventRecord;
import org.fraudplatform.history.PaymentHistory;
import org.fraudplatform.history.PaymentRecord;
import org.fraudplatform.providers.PaymentProvider;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.RiskAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves payments whose provider call timed out ({@code UNKNOWN}), or whose caller died between
 * the ledger's record of the intent and the provider's answer: the provider may have authorized
 * them, so they are never authorized again; instead the provider is asked what it did with the
 * payment id (a status query), and the answer is recorded in the ledger. Until then the payment
 * shows {@code pending}.
 *
 * <ul>
 *   <li>Approved: recorded as authorized (held for review if the risk decision said so); an
 *       automatic-capture payment approved by risk is captured under the automatic capture's
 *       operation id, which the ledger and the provider apply once.
 *   <li>Declined: recorded as declined with the provider's code.
 *   <li>Pending, for a bank transfer whose caller died before the provider's answer: the provider
 *       took it; recorded as pending, as the answer would have been, and the transfer waits for its
 *       settlement.
 *   <li>Not found: the provider never received it; recorded as failed ({@code
 *       provider_never_received}), and the merchant may retry with a new payment.
 *   <li>Unknown for good: a provider that cannot tell (Adyen until its {@code AUTHORISATION}
 *       notification arrives) is asked again each round; once the payment has been pending longer
 *       than {@code cancelUnknownAfter}, the authorization is cancelled at the provider ({@link
 *       PaymentProvider#cancelUnknown}, Adyen's technical cancel) and the payment recorded failed
 *       ({@code cancelled_unknown_outcome}): nothing can be captured of it.
 *   <li>No answer or unavailable: asked again next round.
 * </ul>
 *
 * The pending state lives in the ledger and the history, so resolution survives restarts; the
 * recorded events have ids derived from the payment, so two resolvers record an outcome once.
 */
public final class PendingResolver {

    private static final Logger log = LoggerFactory.getLogger(PendingResolver.class);
    private static final int BATCH = 200;

    /** Reason code of a payment failed after its authorization was cancelled for good. */
    public static final String CANCELLED_UNKNOWN_OUTCOME = "cancelled_unknown_outcome";

    private final PaymentHistory history;
    private final PaymentRepository payments;
    private final Ledger ledger;
    private final PaymentProvider provider;
    private final Clock clock;
    private final Duration settleTime;
    private final Duration orphanAge;
    private final Duration cancelUnknownAfter;

    /**
     * @param settleTime how long a payment must have been pending before it is asked about (longer
     *     than the provider call timeout, so that an answer still in flight is not raced)
     * @param orphanAge how long a payment answered pending may wait for its decision before it is
     *     failed, if the ledger has not heard of it (longer than the late-decision hold)
     * @param cancelUnknownAfter how long a payment may stay pending with a provider that cannot
     *     tell its outcome before the authorization is cancelled there and the payment failed
     */
    public PendingResolver(
            PaymentHistory history,
            PaymentRepository payments,
            Ledger ledger,
            PaymentProvider provider,
            Clock clock,
            Duration settleTime,
            Duration orphanAge,
            Duration cancelUnknownAfter) {
        this.orphanAge = orphanAge;
        this.cancelUnknownAfter = cancelUnknownAfter;
        this.history = history;
        this.payments = payments;
        this.ledger = ledger;
        this.provider = provider;
        this.clock = clock;
        this.settleTime = settleTime;
    }

    /** {@link #resolve()} and {@link #sweepOrphans} for a scheduler: logs instead of throwing. */
    public void resolveSafely() {
        try {
            resolve();
        } catch (RuntimeException e) {
            log.warn("resolving pending payments failed; trying again later", e);
        }
        try {
            sweepOrphans();
        } catch (RuntimeException e) {
            log.warn("sweeping orphaned payments failed; trying again later", e);
        }
    }

    /**
     * Fails the payments that were answered {@code pending} while they waited for their risk
     * decision and of which the ledger never heard: the process that waited died (or its ledger
     * write failed) before the decision came, and with it the card details needed to authorize.
     * Nothing reached the provider (the intent to authorize is always recorded first), so the
     * payment fails with {@code no_risk_decision} and nothing was charged. The event id is derived
     * from the payment, and the ledger refuses it if the payment got an outcome meanwhile.
     *
     * @return how many were failed
     */
    public int sweepOrphans() {
        int failed = 0;
        for (PaymentRepository.Orphan o :
                payments.orphans(clock.instant().minus(orphanAge), BATCH)) {
            JsonNode view = parse(o.body());
            String method = view == null ? "" : view.path("payment_method").path("type").asText();
            ledger.submit(
                            PaymentEvent.newBuilder()
                                    .setEventId(o.id() + ":orphaned:FAILED")
                                    .setPaymentId(o.id())
                                    .setMerchantId(o.merchantId())
                                    .setType(PaymentEventType.FAILED)
                                    .setAmount(o.amount())
                                    .setCurrency(o.currency())
                                    .setInstrumentKey(o.instrumentKey())
                                    .setPaymentMethod(
                                            method.isEmpty()
                                                    ? PaymentMethodType.CARD
                                                    : PaymentMethodType.valueOf(
                                                            method.toUpperCase(Locale.ROOT)))
                                    .setCustomerId(
                                            view == null
                                                    ? null
                                                    : view.path("customer_id").asText(null))
                                    .setReasonCode(PaymentService.NO_RISK_DECISION)
                                    .setReasonMessage(
                                            "The risk decision was lost; nothing was charged")
                                    .setEventTime(clock.instant())
                                    .setPaymentTime(o.createdAt())
                                    .build())
                    .join();
            log.info("payment {} failed: its risk decision was lost", o.id());
            failed++;
        }
        return failed;
    }

    /** One round: asks about every payment pending long enough; returns how many were resolved. */
    public int resolve() {
        int resolved = 0;
        for (PaymentRecord pending : history.unresolved(clock.instant().minus(settleTime), BATCH)) {
            if (resolve(pending)) {
                resolved++;
            }
        }
        return resolved;
    }

    private boolean resolve(PaymentRecord p) {
        ProviderResult status;
        try {
            status = provider.status(p.id()).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.info("status of payment {} unavailable: {}", p.id(), e.toString());
            return false;
        }
        List<EventRecord> events =
                history.find(p.merchantId(), p.id()).map(PaymentRecord::events).orElse(List.of());
        Optional<EventRecord> intent =
                events.stream().filter(e -> e.type().equals("AUTHORIZING")).findFirst();
        long amount =
                events.stream()
                        .filter(e -> e.type().equals("AUTHORIZING") || e.type().equals("PENDING"))
                        .map(EventRecord::amount)
                        .findFirst()
                        .orElse(0L);
        JsonNode view = intent.isPresent() ? null : view(p);
        RiskAction action =
                intent.map(e -> intendedAction(e.reasonCode())).orElseGet(() -> riskAction(view));
        boolean capture =
                intent.map(e -> Ledger.INTENT_APPROVE_AND_CAPTURE.equals(e.reasonCode()))
                        .orElseGet(
                                () ->
                                        action == RiskAction.APPROVE
                                                && view != null
                                                && view.path("capture_method")
                                                        .asText()
                                                        .equals("automatic"));
        Instant now = clock.instant();
        PaymentEvent.Builder event =
                PaymentEvent.newBuilder()
                        .setPaymentId(p.id())
                        .setMerchantId(p.merchantId())
                        .setAmount(amount)
                        .setCurrency(p.currency())
                        .setInstrumentKey(p.instrumentKey())
                        .setPaymentMethod(PaymentMethodType.valueOf(p.paymentMethod()))
                        .setCustomerId(p.customerId())
                        .setRiskAction(action)
                        .setProvider(status.provider())
                        .setProviderReference(status.reference())
                        .setEventTime(now);
        switch (status.outcome()) {
            case APPROVED -> {
                ledger.submit(
                                event.setEventId(p.id() + ":resolved:AUTHORIZED")
                                        .setType(PaymentEventType.AUTHORIZED)
                                        .build())
                        .join();
                if (capture) {
                    // a capture command the ledger decides; the provider hears of it from the
                    // ledger, so a crash here loses nothing
                    ledger.submit(
                                    event.setEventId(p.id() + ":resolved:CAPTURED")
                                            .setType(PaymentEventType.CAPTURED)
                                            .setOperationId(Ledger.AUTOMATIC_CAPTURE)
                                            .build())
                            .join();
                }
                log.info("payment {} resolved: authorized at {}", p.id(), status.provider());
                return true;
            }
            case DECLINED -> {
                ledger.submit(
                                event.setEventId(p.id() + ":resolved:DECLINED")
                                        .setType(PaymentEventType.DECLINED)
                                        .setReasonCode(status.code())
                                        .setReasonMessage(status.message())
                                        .build())
                        .join();
                log.info("payment {} resolved: declined ({})", p.id(), status.code());
                return true;
            }
            case NOT_FOUND -> {
                ledger.submit(
                                event.setEventId(p.id() + ":resolved:FAILED")
                                        .setType(PaymentEventType.FAILED)
                                        .setReasonCode("provider_never_received")
                                        .setReasonMessage(
                                                "The provider never received the payment; nothing"
                                                        + " was charged")
                                        .build())
                        .join();
                log.info("payment {} resolved: the provider never received it", p.id());
                return true;
            }
            case PENDING -> {
                if (!"BANK_TRANSFER".equals(p.paymentMethod())) {
                    return false; // a card the provider is still deciding: ask again next round
                }
                // the provider took the transfer before the caller died: it is pending by nature
                // now, until the provider reports it settled or returned
                ledger.submit(
                                event.setEventId(p.id() + ":resolved:PENDING")
                                        .setType(PaymentEventType.PENDING)
                                        .setReasonMessage(status.message())
                                        .build())
                        .join();
                log.info(
                        "payment {} resolved: a transfer pending at {}", p.id(), status.provider());
                return true;
            }
            case UNKNOWN -> {
                if (p.createdAt() == null
                        || !p.createdAt().isBefore(now.minus(cancelUnknownAfter))) {
                    return false; // the provider may still tell: ask again next round
                }
                return cancelUnknown(p, event);
            }
            default -> {
                return false; // unavailable: ask again next round
            }
        }
    }

    /**
     * The provider could not tell the outcome for longer than it may: the authorization is
     * cancelled there, so nothing of it can be captured, and the payment fails.
     */
    private boolean cancelUnknown(PaymentRecord p, PaymentEvent.Builder event) {
        ProviderResult cancel;
        try {
            cancel = provider.cancelUnknown(p.id()).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.info("cancelling payment {} unavailable: {}", p.id(), e.toString());
            return false;
        }
        if (cancel.outcome() != ProviderResult.Outcome.APPROVED) {
            log.info(
                    "payment {} of unknown outcome not cancelled at {}: {} {}",
                    p.id(),
                    cancel.provider(),
                    cancel.code(),
                    cancel.message());
            return false;
        }
        ledger.submit(
                        event.setEventId(p.id() + ":resolved:FAILED")
                                .setType(PaymentEventType.FAILED)
                                .setProvider(cancel.provider())
                                .setProviderReference(null)
                                .setReasonCode(CANCELLED_UNKNOWN_OUTCOME)
                                .setReasonMessage(
                                        "The provider never told the authorization's outcome; it"
                                                + " was cancelled there and nothing was charged")
                                .build())
                .join();
        log.warn(
                "payment {} failed: its outcome stayed unknown at {} for more than {}, the"
                        + " authorization was cancelled there",
                p.id(),
                cancel.provider(),
                cancelUnknownAfter);
        return true;
    }

    private JsonNode view(PaymentRecord p) {
        return payments.find(p.merchantId(), p.id()).map(PendingResolver::parse).orElse(null);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static RiskAction intendedAction(String intent) {
        return Ledger.INTENT_REVIEW.equals(intent) ? RiskAction.REVIEW : RiskAction.APPROVE;
    }

    private static RiskAction riskAction(JsonNode view) {
        String action = view == null ? "" : view.path("risk").path("action").asText("");
        return action.isEmpty()
                ? RiskAction.REVIEW // no verdict on record: hold it for a person
                : RiskAction.valueOf(action.toUpperCase(Locale.ROOT));
    }
}
