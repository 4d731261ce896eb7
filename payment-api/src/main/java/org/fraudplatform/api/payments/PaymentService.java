package org.fraudplatform.api.payments;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.api.http.ApiServer;
import org.fraudplatform.api.http.HttpReply;
import org.fraudplatform.api.http.Json;
import org.fraudplatform.api.http.Problem;
import org.fraudplatform.api.idempotency.IdempotencyStore;
import org.fraudplatform.history.PaymentHistory;
import org.fraudplatform.history.PaymentRecord;
import org.fraudplatform.providers.AuthorizationCall;
import org.fraudplatform.providers.PaymentProvider;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.runtime.RequestIds;
import org.fraudplatform.runtime.tracing.Tracing;
import org.fraudplatform.schemas.CaptureMethod;
import org.fraudplatform.schemas.Card;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.topics.Keys;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization flow: validate and tokenize, reserve the idempotency key, publish the request,
 * wait (without a thread) for the risk decision, call the provider on approve or review, write the
 * outcome to the ledger, reply, and store the reply for idempotent replay.
 *
 * <ul>
 *   <li>No decision within the decision timeout: the reply is {@code pending}; a decision that
 *       arrives later, within the late-decision hold, still completes the payment, and {@code GET}
 *       shows the outcome. After the hold the payment fails with {@code no_risk_decision}.
 *   <li>A decline never reaches the provider; an approval never happens without a decision.
 *   <li>The HTTP reply is sent after the ledger events are acknowledged by Kafka.
 *   <li>Replies for a payment are {@code 201} whatever its status: the payment exists.
 * </ul>
 */
public final class PaymentService implements ApiServer.Payments {

    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);
    static final String NO_RISK_DECISION = "no_risk_decision";

    /**
     * @param decisionTimeout how long a request waits for its decision before replying pending
     * @param lateDecisionHold how long a pending payment keeps waiting for a late decision
     * @param replyPartition this instance's partition of the decisions topic
     * @param intentValidity how long after its intent is recorded a payment may still be sent to
     *     the provider; later, the pending resolver may already have asked the provider about it
     *     (it asks after twice this), so the payment is left to the resolver instead
     */
    public record Settings(
            Duration decisionTimeout,
            Duration lateDecisionHold,
            int replyPartition,
            Duration intentValidity) {}

    private final org.fraudplatform.workers.notifications.ContactStore contacts;
    private final PaymentHistory history;
    private final HistoryCatchUp historyCatchUp;
    private final Settings settings;
    private final RequestMapper mapper;
    private final IdempotencyStore idempotency;
    private final PaymentRepository payments;
    private final Producer<String, PaymentRequest> requestProducer;
    private final Topic<String, PaymentRequest> requestTopic;
    private final Ledger ledger;
    private final PendingReplies<RiskDecision> pending;
    private final PaymentProvider provider;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final Executor workers;
    private final Timer decisionLatency;

    public PaymentService(
            Settings settings,
            RequestMapper mapper,
            IdempotencyStore idempotency,
            PaymentRepository payments,
            Producer<String, PaymentRequest> requestProducer,
            Topic<String, PaymentRequest> requestTopic,
            Ledger ledger,
            PendingReplies<RiskDecision> pending,
            PaymentProvider provider,
            Clock clock,
            ScheduledExecutorService timers,
            Executor workers,
            MeterRegistry metrics,
            org.fraudplatform.workers.notifications.ContactStore contacts,
            PaymentHistory history,
            HistoryCatchUp historyCatchUp) {
        this.history = history;
        this.historyCatchUp = historyCatchUp;
        this.settings = settings;
        this.mapper = mapper;
        this.idempotency = idempotency;
        this.payments = payments;
        this.requestProducer = requestProducer;
        this.requestTopic = requestTopic;
        this.ledger = ledger;
        this.pending = pending;
        this.provider = provider;
        this.clock = clock;
        this.timers = timers;
        this.workers = workers;
        this.contacts = contacts;
        this.decisionLatency =
                Timer.builder("payment_decision_latency")
                        .description("From accepting an authorization to having its risk decision")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(metrics);
    }

    @Override
    public CompletableFuture<HttpReply> create(
            String merchantId, String idempotencyKey, byte[] body) {
        long started = System.nanoTime();
        AcceptedRequest accepted;
        try {
            accepted = mapper.accept(merchantId, body);
        } catch (RequestMapper.Rejected e) {
            return CompletableFuture.completedFuture(HttpReply.problem(e.problem()));
        }
        String paymentId = "pay_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        org.slf4j.MDC.put(RequestIds.PAYMENT_KEY, paymentId); // the HTTP thread clears it
        IdempotencyStore.Reservation reservation;
        Instant now = clock.instant();
        try {
            // how the customer hears about it is kept with the reservation, before anything about
            // the payment can happen
            reservation =
                    idempotency.reserve(
                            merchantId,
                            idempotencyKey,
                            accepted.requestHash(),
                            paymentId,
                            now,
                            ContactAlongside.of(contacts, merchantId, accepted.contact(), now));
        } catch (IllegalStateException e) {
            // nothing was reserved, nothing happened: the client retries with the same key
            log.warn("database unavailable for key {}: {}", idempotencyKey, e.getMessage());
            return retryLater("The database is unavailable");
        }
        if (reservation instanceof IdempotencyStore.Replay replay) {
            return CompletableFuture.completedFuture(
                    new HttpReply(
                                    replay.status(),
                                    HttpReply.JSON,
                                    replay.body(),
                                    java.util.Map.of())
                            .withHeader("Idempotent-Replayed", "true"));
        }
        if (reservation instanceof IdempotencyStore.Mismatch) {
            return CompletableFuture.completedFuture(
                    HttpReply.problem(
                            Problem.conflict(
                                    "idempotency-key-reused",
                                    "The Idempotency-Key was used for a different request",
                                    "A request with this Idempotency-Key and another body was"
                                            + " made before; use a new key for a new payment")));
        }
        if (reservation instanceof IdempotencyStore.Abandoned abandoned) {
            return recover(
                    merchantId,
                    idempotencyKey,
                    accepted,
                    abandoned.paymentId(),
                    paymentId,
                    started);
        }
        if (reservation instanceof IdempotencyStore.InFlight) {
            return CompletableFuture.completedFuture(HttpReply.problem(keyInUse()));
        }
        return authorize(merchantId, idempotencyKey, accepted, paymentId, started);
    }

    /** A 503 for a request that did nothing: the client retries with the same key. */
    private static HttpReply retryLaterReply(String why) {
        return HttpReply.problem(Problem.unavailable(why + "; retry with the same Idempotency-Key"))
                .withHeader("Retry-After", "1");
    }

    private static CompletableFuture<HttpReply> retryLater(String why) {
        return CompletableFuture.completedFuture(retryLaterReply(why));
    }

    private static void answerRetryLater(PaymentAttempt attempt, String why) {
        attempt.reply().complete(retryLaterReply(why));
    }

    private boolean historyCaughtUp(Duration timeout) {
        try {
            return historyCatchUp.await(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the history has applied everything the ledger wrote before the call. */
    @FunctionalInterface
    public interface HistoryCatchUp {
        boolean await(Duration timeout) throws InterruptedException;
    }

    private static Problem keyInUse() {
        return Problem.conflict(
                "idempotency-key-in-use",
                "A request with this Idempotency-Key is in progress",
                "Retry after the first request has completed");
    }

    /**
     * The request that held this key died without a reply. When the ledger knows its payment, that
     * payment is the answer (as it stands now; pending ones are finished by the resolver).
     * Otherwise this request takes the key over and authorizes the same payment id again: the
     * provider authorizes a payment id once, so if the dead request reached it after all (its
     * intent not yet projected), the provider answers with that first authorization, and the ledger
     * records one payment either way.
     */
    private CompletableFuture<HttpReply> recover(
            String merchantId,
            String idempotencyKey,
            AcceptedRequest accepted,
            String abandonedPaymentId,
            String paymentId,
            long started) {
        Optional<PaymentRecord> known = Optional.empty();
        if (abandonedPaymentId != null) {
            // read the ledger's latest writes: a process that just started is still catching up
            if (!historyCaughtUp(Duration.ofSeconds(5))) {
                return retryLater("The payment history is catching up");
            }
            known = history.find(merchantId, abandonedPaymentId);
        }
        if (known.isPresent()) {
            byte[] body =
                    Json.write(
                            LifecycleService.render(
                                    payments.find(merchantId, abandonedPaymentId).orElse(null),
                                    known.get()));
            idempotency.complete(merchantId, idempotencyKey, 201, body);
            log.info(
                    "key {} of merchant {} was abandoned; answered with payment {} as the ledger"
                            + " has it",
                    idempotencyKey,
                    merchantId,
                    abandonedPaymentId);
            return CompletableFuture.completedFuture(HttpReply.json(201, body));
        }
        String again = abandonedPaymentId == null ? paymentId : abandonedPaymentId;
        if (!idempotency.takeOver(
                merchantId, idempotencyKey, abandonedPaymentId, again, clock.instant())) {
            return CompletableFuture.completedFuture(HttpReply.problem(keyInUse()));
        }
        log.info(
                "key {} of merchant {} was abandoned before its payment {} reached the ledger;"
                        + " authorizing it again",
                idempotencyKey,
                merchantId,
                again);
        // the reservation that took the key kept no contact for this payment id
        contacts.remember(merchantId, again, accepted.contact(), clock.instant());
        return authorize(merchantId, idempotencyKey, accepted, again, started);
    }

    private CompletableFuture<HttpReply> authorize(
            String merchantId,
            String idempotencyKey,
            AcceptedRequest accepted,
            String paymentId,
            long started) {
        Instant now = clock.instant();
        PaymentRequest request =
                PaymentRequest.newBuilder()
                        .setPaymentId(paymentId)
                        .setMerchantId(merchantId)
                        .setIdempotencyKey(idempotencyKey)
                        .setAmount(accepted.amount())
                        .setCurrency(accepted.currency())
                        .setInstrument(accepted.instrument())
                        .setCustomer(accepted.customer())
                        .setCaptureMethod(accepted.captureMethod())
                        .setChannel(accepted.channel())
                        .setMerchantCategoryCode(accepted.merchantCategoryCode())
                        .setReference(accepted.reference())
                        .setEventTime(now.truncatedTo(ChronoUnit.MILLIS))
                        .setCorrelationId(UUID.randomUUID().toString())
                        .setReplyPartition(settings.replyPartition())
                        .build();
        PaymentView view =
                new PaymentView(
                        paymentId,
                        PaymentView.PENDING,
                        accepted.amount(),
                        accepted.currency(),
                        accepted.captureMethod().name().toLowerCase(Locale.ROOT),
                        accepted.paymentMethodView(),
                        accepted.customer().getId(),
                        accepted.reference(),
                        null,
                        null,
                        null,
                        null,
                        DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
        PaymentAttempt attempt =
                new PaymentAttempt(
                        merchantId,
                        idempotencyKey,
                        request,
                        accepted.providerMethod(),
                        view,
                        started);

        CompletableFuture<RiskDecision> decision = pending.register(request.getCorrelationId());
        try {
            ProducerRecord<String, PaymentRequest> record =
                    new ProducerRecord<>(requestTopic.name(), Keys.instrumentKey(request), request);
            RequestIds.addTo(record.headers());
            Tracing.current().toHeaders(attempt.trace(), record.headers());
            requestProducer.send(
                    record,
                    (metadata, failure) -> {
                        if (failure != null) {
                            decision.completeExceptionally(failure);
                        }
                    });
        } catch (RuntimeException e) {
            decision.completeExceptionally(e);
        }
        var pendingTimer =
                timers.schedule(
                        () -> answerPending(attempt, decision),
                        settings.decisionTimeout().toNanos(),
                        TimeUnit.NANOSECONDS);
        var holdTimer =
                timers.schedule(
                        () -> giveUpWaiting(attempt, decision),
                        settings.lateDecisionHold().toNanos(),
                        TimeUnit.NANOSECONDS);
        // a payment answered in milliseconds leaves no timer behind for minutes
        attempt.reply().whenComplete((r, f) -> pendingTimer.cancel(false));
        decision.whenComplete((d, f) -> holdTimer.cancel(false));
        decision.thenRun(
                () ->
                        decisionLatency.record(
                                System.nanoTime() - attempt.startedNanos(), TimeUnit.NANOSECONDS));
        decision.whenCompleteAsync(
                (d, failure) -> {
                    if (failure != null) {
                        publishFailed(attempt, failure);
                    } else {
                        decided(attempt, d);
                    }
                },
                workers);
        return attempt.reply();
    }

    private void decided(PaymentAttempt attempt, RiskDecision decision) {
        PaymentView view = attempt.initialView().withRisk(risk(decision));
        if (decision.getAction() == RiskAction.DECLINE) {
            attempt.releaseCardData();
            String code =
                    decision.getReasons().isEmpty()
                            ? "risk_declined"
                            : decision.getReasons().get(0).getCode();
            PaymentEvent declined =
                    Ledger.event(
                                    attempt,
                                    PaymentEventType.DECLINED,
                                    attempt.request().getAmount(),
                                    clock.instant())
                            .setRiskAction(RiskAction.DECLINE)
                            .setReasonCode(code)
                            .setReasonMessage("Declined by the risk engine")
                            .build();
            finish(attempt, view.withStatus(PaymentView.DECLINED, code, null), List.of(declined));
            return;
        }
        AuthorizationCall.Method method = attempt.providerMethod();
        if (method == null) {
            finishFailed(
                    attempt,
                    view,
                    NO_RISK_DECISION,
                    "The card details expired before the risk decision arrived");
            return;
        }
        // the ledger hears of the intent before the provider hears of the payment: whatever dies
        // after this point, the pending resolver finds the payment and asks the provider
        PaymentEvent intent = intent(attempt, decision.getAction());
        attempt.inTrace(() -> ledger.submit(intent))
                .whenCompleteAsync(
                        (ok, failure) -> {
                            if (failure != null) {
                                intentNotRecorded(attempt, failure);
                            } else if (Duration.between(intent.getEventTime(), clock.instant())
                                            .compareTo(settings.intentValidity())
                                    > 0) {
                                // too late to ask the provider: it is the resolver's now, which
                                // finds that the provider never saw it
                                attempt.releaseCardData();
                                authorized(
                                        attempt,
                                        view,
                                        decision.getAction(),
                                        ProviderResult.unknown(
                                                provider.name(),
                                                "not sent: the intent was recorded too long ago"));
                            } else {
                                callProvider(attempt, view, decision, method);
                            }
                        },
                        workers);
    }

    /**
     * The AUTHORIZING event of a payment: its id is derived from the payment, so a repeated intent
     * is one fact; its reason code says what an approval leads to, so that the resolver finishes
     * the payment as this attempt would have.
     */
    private PaymentEvent intent(PaymentAttempt attempt, RiskAction action) {
        boolean capture =
                action == RiskAction.APPROVE
                        && attempt.request().getCaptureMethod() == CaptureMethod.AUTOMATIC;
        return Ledger.event(
                        attempt,
                        PaymentEventType.AUTHORIZING,
                        attempt.request().getAmount(),
                        clock.instant())
                .setEventId(attempt.paymentId() + ":authorizing")
                .setRiskAction(action)
                .setReasonCode(
                        capture
                                ? Ledger.INTENT_APPROVE_AND_CAPTURE
                                : action == RiskAction.REVIEW
                                        ? Ledger.INTENT_REVIEW
                                        : Ledger.INTENT_APPROVE)
                .build();
    }

    /** The ledger did not take the intent: the provider was not asked, nothing happened. */
    private void intentNotRecorded(PaymentAttempt attempt, Throwable failure) {
        attempt.releaseCardData();
        log.error(
                "ledger did not take the intent to authorize payment {}; the provider was not"
                        + " asked",
                attempt.paymentId(),
                failure);
        if (attempt.claimAnswer()) {
            // the intent may have landed after all: a retry recovers this payment id (answers it
            // as the ledger has it, or authorizes it again) instead of creating a second one
            try {
                idempotency.abandon(attempt.merchantId(), attempt.idempotencyKey());
            } catch (RuntimeException e) {
                log.warn(
                        "key of payment {} keeps its lease: {}",
                        attempt.paymentId(),
                        e.getMessage());
            }
            answerRetryLater(attempt, "The payment could not be recorded");
        }
        // answered pending already: the orphan sweep fails it once the ledger is back
    }

    private void callProvider(
            PaymentAttempt attempt,
            PaymentView view,
            RiskDecision decision,
            AuthorizationCall.Method method) {
        Span span =
                Tracing.current()
                        .span("provider authorize", SpanKind.CLIENT)
                        .setParent(attempt.trace())
                        .setAttribute("fraud.provider", provider.name())
                        .setAttribute("fraud.payment_id", attempt.paymentId())
                        .startSpan();
        provider.authorize(
                        new AuthorizationCall(
                                attempt.paymentId(),
                                attempt.request().getAmount(),
                                attempt.request().getCurrency(),
                                method,
                                payerCountry(attempt.request()),
                                attempt.request().getMerchantId()))
                .whenCompleteAsync(
                        (result, failure) -> {
                            attempt.releaseCardData();
                            ProviderResult outcome =
                                    failure == null
                                            ? result
                                            : ProviderResult.error(
                                                    provider.name(),
                                                    "provider_failure",
                                                    String.valueOf(failure.getMessage()));
                            span.setAttribute("fraud.provider.outcome", outcome.outcome().name());
                            if (failure != null) {
                                span.recordException(failure);
                                span.setStatus(StatusCode.ERROR);
                            }
                            span.end();
                            authorized(
                                    attempt,
                                    view.withProvider(outcome.provider()),
                                    decision.getAction(),
                                    outcome);
                        },
                        workers);
    }

    private void authorized(
            PaymentAttempt attempt, PaymentView view, RiskAction action, ProviderResult result) {
        long amount = attempt.request().getAmount();
        Instant now = clock.instant();
        List<PaymentEvent> events = new ArrayList<>();
        switch (result.outcome()) {
            case APPROVED -> {
                events.add(
                        Ledger.event(attempt, PaymentEventType.AUTHORIZED, amount, now)
                                .setRiskAction(action)
                                .setProvider(result.provider())
                                .setProviderReference(result.reference())
                                .build());
                boolean capture =
                        action == RiskAction.APPROVE
                                && attempt.request().getCaptureMethod() == CaptureMethod.AUTOMATIC;
                if (!capture) {
                    finish(
                            attempt,
                            view.withStatus(
                                    action == RiskAction.REVIEW
                                            ? PaymentView.REVIEW
                                            : PaymentView.AUTHORIZED,
                                    null,
                                    null),
                            events);
                    return;
                }
                // the capture is the ledger's to decide (it accepts it on a fresh authorization),
                // and reaches the provider from the ledger like every capture: never a capture at
                // the provider that the ledger does not know
                events.add(
                        Ledger.event(attempt, PaymentEventType.CAPTURED, amount, now)
                                .setOperationId(Ledger.AUTOMATIC_CAPTURE)
                                .build());
                finish(attempt, view.withStatus(PaymentView.CAPTURED, null, null), events);
            }
            case DECLINED -> {
                events.add(
                        Ledger.event(attempt, PaymentEventType.DECLINED, amount, now)
                                .setRiskAction(action)
                                .setProvider(result.provider())
                                .setProviderReference(result.reference())
                                .setReasonCode(result.code())
                                .setReasonMessage(result.message())
                                .build());
                finish(
                        attempt,
                        view.withStatus(PaymentView.DECLINED, result.code(), result.message()),
                        events);
            }
            case PENDING, UNKNOWN -> {
                events.add(
                        Ledger.event(attempt, PaymentEventType.PENDING, amount, now)
                                .setRiskAction(action)
                                .setProvider(result.provider())
                                .setProviderReference(result.reference())
                                .setReasonCode(
                                        result.outcome() == ProviderResult.Outcome.UNKNOWN
                                                ? result.code()
                                                : null)
                                .setReasonMessage(result.message())
                                .build());
                finish(
                        attempt,
                        view.withStatus(PaymentView.PENDING, null, result.message()),
                        events);
            }
            case ERROR -> {
                events.add(
                        Ledger.event(attempt, PaymentEventType.FAILED, amount, now)
                                .setRiskAction(action)
                                .setProvider(result.provider())
                                .setReasonCode(result.code())
                                .setReasonMessage(result.message())
                                .build());
                finish(
                        attempt,
                        view.withStatus(PaymentView.FAILED, result.code(), result.message()),
                        events);
            }
        }
    }

    private void finishFailed(
            PaymentAttempt attempt, PaymentView view, String code, String message) {
        PaymentEvent failed =
                Ledger.event(
                                attempt,
                                PaymentEventType.FAILED,
                                attempt.request().getAmount(),
                                clock.instant())
                        .setReasonCode(code)
                        .setReasonMessage(message)
                        .build();
        finish(attempt, view.withStatus(PaymentView.FAILED, code, message), List.of(failed));
    }

    /**
     * Sends the events to the ledger (an authorization outcome is recorded, an automatic capture is
     * a capture command the ledger decides), then writes the read model, then replies (if nobody
     * has yet) and stores the reply.
     */
    private void finish(PaymentAttempt attempt, PaymentView view, List<PaymentEvent> events) {
        CompletableFuture<?>[] acks =
                events.stream()
                        .map(e -> attempt.inTrace(() -> ledger.submit(e)))
                        .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(acks)
                .whenCompleteAsync(
                        (ok, failure) -> {
                            PaymentView answer = view;
                            if (failure != null) {
                                log.error(
                                        "ledger write for payment {} failed; the outcome {} is not"
                                                + " in the ledger",
                                        attempt.paymentId(),
                                        view.status(),
                                        failure);
                                if (movedMoney(view.status())) {
                                    // never a success the ledger does not know: the intent is
                                    // there, so the resolver records the outcome from the
                                    // provider
                                    answer =
                                            view.withStatus(
                                                    PaymentView.PENDING,
                                                    null,
                                                    "The outcome is being recorded");
                                }
                            }
                            byte[] body = Json.write(answer);
                            boolean answering = attempt.claimAnswer();
                            save(attempt, answer.status(), body, false, answering);
                            if (answering) {
                                attempt.reply().complete(HttpReply.json(201, body));
                            }
                        },
                        workers)
                .exceptionally(
                        e -> {
                            log.error("finishing payment {} failed", attempt.paymentId(), e);
                            if (attempt.claimAnswer()) {
                                attempt.reply().complete(HttpReply.problem(Problem.internal()));
                            }
                            return null;
                        });
    }

    private static boolean movedMoney(String status) {
        return status.equals(PaymentView.AUTHORIZED)
                || status.equals(PaymentView.REVIEW)
                || status.equals(PaymentView.CAPTURED);
    }

    /** The decision is late: reply {@code pending} now; the payment completes when it arrives. */
    private void answerPending(PaymentAttempt attempt, CompletableFuture<RiskDecision> decision) {
        if (attempt.reply().isDone() || !attempt.claimAnswer()) {
            return;
        }
        workers.execute(
                () -> {
                    try {
                        byte[] body = Json.write(attempt.initialView());
                        save(attempt, PaymentView.PENDING, body, true, true);
                        attempt.reply().complete(HttpReply.json(201, body));
                    } catch (RuntimeException e) {
                        log.error("answering payment {} as pending failed", attempt.paymentId(), e);
                        attempt.reply().complete(HttpReply.problem(Problem.internal()));
                        // nobody can learn of it through its key: stop waiting, so that the
                        // payment fails in the ledger before the key's lease runs out and a retry
                        // finds it there, instead of a late decision authorizing it after a retry
                        // took the key over
                        giveUpWaiting(attempt, decision);
                    }
                });
    }

    /** No decision within the hold: forget the card data and fail the payment. */
    private void giveUpWaiting(PaymentAttempt attempt, CompletableFuture<RiskDecision> decision) {
        if (decision.isDone()) {
            return;
        }
        pending.abandon(attempt.request().getCorrelationId());
        attempt.releaseCardData();
        if (decision.completeExceptionally(new DecisionTimeout())) {
            log.warn(
                    "no risk decision for payment {} within {}",
                    attempt.paymentId(),
                    settings.lateDecisionHold());
        }
    }

    private void publishFailed(PaymentAttempt attempt, Throwable failure) {
        attempt.releaseCardData();
        Throwable cause =
                failure instanceof java.util.concurrent.CompletionException
                                && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
        if (cause instanceof DecisionTimeout) {
            finishFailed(
                    attempt,
                    attempt.initialView(),
                    NO_RISK_DECISION,
                    "No risk decision within " + settings.lateDecisionHold().toSeconds() + " s");
            return;
        }
        log.error("publishing payment {} failed", attempt.paymentId(), cause);
        if (attempt.claimAnswer()) {
            // Nothing happened: free the key so the merchant can retry the same request.
            idempotency.release(attempt.merchantId(), attempt.idempotencyKey());
            answerRetryLater(attempt, "The payment could not be submitted");
        } else {
            finishFailed(
                    attempt,
                    attempt.initialView(),
                    "submission_failed",
                    "The payment could not be submitted");
        }
    }

    /**
     * Saves the payment's state; when {@code reply} is true also stores the body as the idempotent
     * reply, in the same transaction.
     */
    private void save(
            PaymentAttempt attempt,
            String status,
            byte[] body,
            boolean provisional,
            boolean reply) {
        payments.record(
                new PaymentRepository.Row(
                        attempt.paymentId(),
                        attempt.merchantId(),
                        status,
                        attempt.request().getAmount(),
                        attempt.request().getCurrency(),
                        attempt.instrumentKey(),
                        attempt.request().getInstrument() instanceof Card card
                                ? card.getFingerprint()
                                : null,
                        body,
                        clock.instant()),
                provisional,
                reply ? attempt.idempotencyKey() : null,
                201);
    }

    private static PaymentView.Risk risk(RiskDecision decision) {
        return new PaymentView.Risk(
                decision.getAction().name().toLowerCase(Locale.ROOT),
                decision.getScore(),
                decision.getReasons().stream()
                        .map(r -> new PaymentView.Reason(r.getCode(), r.getMessage()))
                        .toList(),
                decision.getRulesetVersion(),
                decision.getModelVersion());
    }

    @Override
    public HttpReply get(String merchantId, String paymentId) {
        return payments.find(merchantId, paymentId)
                .map(body -> HttpReply.json(200, body))
                .orElseGet(() -> HttpReply.problem(Problem.notFound("No payment " + paymentId)));
    }

    /** The late-decision hold ran out. */
    private static final class DecisionTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DecisionTimeout() {
            super("no risk decision", null, false, false);
        }
    }

    /**
     * The payer's country, as routes by country read it: the card's issuing country, the bank
     * account's, else the customer's billing country, else the country they pay from; null when
     * none is known.
     */
    static String payerCountry(org.fraudplatform.schemas.PaymentRequest request) {
        Object instrument = request.getInstrument();
        String country = null;
        if (instrument instanceof org.fraudplatform.schemas.Card card) {
            country = card.getIssuingCountry();
        } else if (instrument instanceof org.fraudplatform.schemas.BankTransfer transfer) {
            country = transfer.getCountry();
        }
        var customer = request.getCustomer();
        if (country == null && customer != null) {
            country =
                    customer.getBillingCountry() != null
                            ? customer.getBillingCountry()
                            : customer.getCountry();
        }
        return country;
    }
}
