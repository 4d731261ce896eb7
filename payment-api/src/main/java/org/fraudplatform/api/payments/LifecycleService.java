package org.fraudplatform.api.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.fraudplatform.api.http.ApiServer;
import org.fraudplatform.api.http.HttpReply;
import org.fraudplatform.api.http.Json;
import org.fraudplatform.api.http.Problem;
import org.fraudplatform.api.idempotency.IdempotencyStore;
import org.fraudplatform.api.validation.ControlCharacters;
import org.fraudplatform.api.validation.FreeText;
import org.fraudplatform.history.EventRecord;
import org.fraudplatform.history.PaymentHistory;
import org.fraudplatform.history.PaymentRecord;
import org.fraudplatform.schemas.CommandResult;
import org.fraudplatform.schemas.PaymentCommand;
import org.fraudplatform.schemas.PaymentCommandType;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.PaymentSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment lifecycle over HTTP: captures, voids, refunds, fraud reports and review outcomes go
 * to the ledger as commands and the reply is the ledger's own answer; reads come from the history
 * projection in PostgreSQL.
 *
 * <ul>
 *   <li>Every command takes an {@code Idempotency-Key}, scoped per merchant: the first reply is
 *       stored and replayed exactly, errors included; the same key with another request is refused
 *       (409); a retry while the first is in flight gets 409 and never runs twice.
 *   <li>The operation id sent to the ledger is derived from the merchant and the key, so even a
 *       retry after a lost reply is recognised by the ledger itself as the same operation.
 *   <li>Refused commands get 422 naming the invariant; a payment of another merchant is 404.
 *   <li>The free text of a command ({@code reason}, {@code analyst}) and of a provider's notice
 *       ({@code reason_code}, {@code provider}) holding a card number is refused with 400 before
 *       anything is reserved or sent ({@link FreeText}).
 *   <li>Reads lag the ledger by the projection's delay (milliseconds); a command's reply is the
 *       ledger's state right after the command.
 * </ul>
 */
public final class LifecycleService implements ApiServer.Lifecycle {

    private static final Logger log = LoggerFactory.getLogger(LifecycleService.class);

    /** A command the API takes, and the prefix of the operation ids it derives for it. */
    private record Action(PaymentCommandType type, String operationPrefix) {}

    private static final Map<String, Action> ACTIONS =
            Map.of(
                    "capture", new Action(PaymentCommandType.CAPTURE, "cap_"),
                    "void", new Action(PaymentCommandType.VOID, "void_"),
                    "refunds", new Action(PaymentCommandType.REFUND, "re_"),
                    "fraud_reports", new Action(PaymentCommandType.REPORT_FRAUD, "fr_"),
                    "approve", new Action(PaymentCommandType.APPROVE_REVIEW, "rv_"),
                    "reject", new Action(PaymentCommandType.REJECT_REVIEW, "rv_"));

    private final Ledger ledger;
    private final IdempotencyStore idempotency;
    private final PaymentRepository payments;
    private final PaymentHistory history;
    private final Clock clock;
    private final Executor workers;
    private final Duration commandTimeout;

    /**
     * @param commandTimeout how long a command waits for the ledger's answer
     */
    public LifecycleService(
            Ledger ledger,
            IdempotencyStore idempotency,
            PaymentRepository payments,
            PaymentHistory history,
            Clock clock,
            Executor workers,
            Duration commandTimeout) {
        this.ledger = ledger;
        this.idempotency = idempotency;
        this.payments = payments;
        this.history = history;
        this.clock = clock;
        this.workers = workers;
        this.commandTimeout = commandTimeout;
    }

    // ---- reads ----

    @Override
    public HttpReply get(String merchantId, String paymentId) {
        Optional<byte[]> view = payments.find(merchantId, paymentId);
        Optional<PaymentRecord> record = history.find(merchantId, paymentId);
        if (view.isEmpty() && record.isEmpty()) {
            return HttpReply.problem(Problem.notFound("No payment " + paymentId));
        }
        return HttpReply.json(200, Json.write(render(view.orElse(null), record.orElse(null))));
    }

    @Override
    public HttpReply events(String merchantId, String paymentId, String kind) {
        Optional<PaymentRecord> record = history.find(merchantId, paymentId);
        if (record.isEmpty()) {
            return HttpReply.problem(Problem.notFound("No payment " + paymentId));
        }
        ArrayNode data = Json.MAPPER.createArrayNode();
        for (EventRecord e : record.get().events()) {
            if (shownToMerchants(e) && (kind == null || kindOf(e.type()).equals(kind))) {
                data.add(event(e));
            }
        }
        ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
        list.set("data", data);
        return HttpReply.json(200, Json.write(list));
    }

    @Override
    public HttpReply search(String merchantId, Map<String, String> q) {
        PaymentHistory.Query query;
        try {
            query = PaymentHistory.Query.all();
            if (q.containsKey("card")) {
                // the merchant knows its cards by fingerprint; the history by token
                query =
                        query.withCard(
                                payments.instrumentForFingerprint(merchantId, q.get("card"))
                                        .orElse("unknown-card"));
            }
            if (q.containsKey("customer")) {
                query = query.withCustomer(q.get("customer"));
            }
            if (q.containsKey("status")) {
                query = query.withStatus(q.get("status"));
            }
            if (q.containsKey("from") || q.containsKey("to")) {
                query =
                        query.createdBetween(
                                q.containsKey("from") ? Instant.parse(q.get("from")) : null,
                                q.containsKey("to") ? Instant.parse(q.get("to")) : null);
            }
            if (q.containsKey("limit")) {
                query = query.withLimit(Integer.parseInt(q.get("limit")));
            }
            if (q.containsKey("starting_after")) {
                query = query.withStartingAfter(q.get("starting_after"));
            }
            if (q.containsKey("cursor")) {
                query = query.withCursor(q.get("cursor"));
            }
        } catch (DateTimeParseException e) {
            return badParameter("from/to", "an ISO-8601 instant such as 2026-03-02T10:00:00Z");
        } catch (IllegalArgumentException e) {
            return badParameter("query", e.getMessage());
        }
        PaymentHistory.Page page = history.search(merchantId, query);
        ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        page.items().forEach(r -> data.add(render(null, r)));
        list.put("has_more", page.hasMore());
        if (page.nextCursor() != null) {
            list.put("next_cursor", page.nextCursor());
        }
        return HttpReply.json(200, Json.write(list));
    }

    @Override
    public HttpReply reviews(String merchantId, Map<String, String> q) {
        int limit;
        try {
            limit = Integer.parseInt(q.getOrDefault("limit", "50"));
            if (limit < 1 || limit > 100) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            return badParameter("limit", "a number from 1 to 100");
        }
        ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (PaymentRecord r : history.reviews(merchantId, limit)) {
            // the stored reply carries the risk reasons an analyst reviews
            data.add(render(payments.find(merchantId, r.id()).orElse(null), r));
        }
        return HttpReply.json(200, Json.write(list));
    }

    @Override
    public HttpReply balances(String merchantId) {
        ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        history.balances(merchantId)
                .forEach(
                        b ->
                                data.addObject()
                                        .put("currency", b.currency().toUpperCase(Locale.ROOT))
                                        .put("authorized", b.authorized())
                                        .put("captured", b.captured())
                                        .put("refunded", b.refunded())
                                        .put("charged_back", b.chargedBack()));
        return HttpReply.json(200, Json.write(list));
    }

    // ---- commands ----

    @Override
    public CompletableFuture<HttpReply> command(
            String merchantId, String paymentId, String action, String key, byte[] body) {
        return command(null, merchantId, paymentId, action, key, body);
    }

    @Override
    public CompletableFuture<HttpReply> commandBy(
            String person,
            String merchantId,
            String paymentId,
            String action,
            String key,
            byte[] body) {
        return command(person, merchantId, paymentId, action, key, body);
    }

    /**
     * @param person the person deciding in the console, audited as {@code person:<name>}; null for
     *     a merchant's key, audited as {@code merchant:<id>[/<analyst>]}
     */
    private CompletableFuture<HttpReply> command(
            String person,
            String merchantId,
            String paymentId,
            String action,
            String key,
            byte[] body) {
        JsonNode json;
        try {
            json = body.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return done(HttpReply.problem(Problem.malformedJson(e.getMessage())));
        }
        if (json == null || !json.isObject()) {
            return done(HttpReply.problem(Problem.malformedJson("the body must be a JSON object")));
        }
        List<String> controls = ControlCharacters.fieldsWith(json);
        if (!controls.isEmpty()) {
            return done(HttpReply.problem(Problem.controlCharacters(controls)));
        }
        List<String> cards = FreeText.fieldsWithCardNumbers(json, "reason", "analyst");
        if (!cards.isEmpty()) {
            return done(HttpReply.problem(Problem.cardNumbers(cards)));
        }
        Long amount = null;
        if (json.hasNonNull("amount")) {
            JsonNode a = json.get("amount");
            if (!a.canConvertToLong() || !a.isIntegralNumber() || a.asLong() <= 0) {
                return done(fieldProblem("amount", "a positive whole number of minor units"));
            }
            amount = a.asLong();
        }
        String reason = json.hasNonNull("reason") ? json.get("reason").asText() : null;
        if (reason != null && (reason.isBlank() || reason.length() > 100)) {
            return done(fieldProblem("reason", "1 to 100 characters"));
        }
        String analyst =
                person != null
                        ? person
                        : json.hasNonNull("analyst") ? json.get("analyst").asText() : null;
        Action known = ACTIONS.get(action);
        if (known == null) {
            return done(HttpReply.problem(Problem.notFound("No command " + action)));
        }
        PaymentCommandType type = known.type();
        String prefix = known.operationPrefix();
        if (amount != null
                && type != PaymentCommandType.CAPTURE
                && type != PaymentCommandType.REFUND) {
            return done(fieldProblem("amount", "only captures and refunds take an amount"));
        }
        String requestHash =
                sha256(action + "\n" + paymentId + "\n" + Json.MAPPER.valueToTree(json));
        IdempotencyStore.Reservation reservation =
                idempotency.reserve(merchantId, key, requestHash, clock.instant());
        if (reservation instanceof IdempotencyStore.Replay replay) {
            return done(
                    new HttpReply(
                                    replay.status(),
                                    replay.status() >= 400
                                            ? HttpReply.PROBLEM_JSON
                                            : HttpReply.JSON,
                                    replay.body(),
                                    Map.of())
                            .withHeader("Idempotent-Replayed", "true"));
        }
        if (reservation instanceof IdempotencyStore.Mismatch) {
            return done(
                    HttpReply.problem(
                            Problem.conflict(
                                    "idempotency-key-reused",
                                    "The Idempotency-Key was used for a different request",
                                    "Use a new key for a new command")));
        }
        // a command abandoned by a dead process runs again: its operation id comes from the key,
        // so the ledger applies it once
        boolean mine =
                reservation instanceof IdempotencyStore.Reserved
                        || (reservation instanceof IdempotencyStore.Abandoned
                                && idempotency.takeOver(
                                        merchantId, key, null, null, clock.instant()));
        if (!mine) {
            return done(
                    HttpReply.problem(
                            Problem.conflict(
                                    "idempotency-key-in-use",
                                    "A request with this Idempotency-Key is in progress",
                                    "Retry after the first request has completed")));
        }
        String actor =
                person != null
                        ? "person:" + person
                        : "merchant:" + merchantId + (analyst == null ? "" : "/" + analyst);
        PaymentCommand command =
                Ledger.command(merchantId, paymentId, type, actor, clock.instant())
                        .setOperationId(prefix + sha256(merchantId + "\n" + key).substring(0, 24))
                        .setAmount(amount)
                        .setReasonCode(reason)
                        .build();
        int created = type == PaymentCommandType.REFUND ? 201 : 200;
        return ledger.execute(command, commandTimeout)
                .handleAsync(
                        (result, failure) -> {
                            if (failure != null) {
                                return unanswered(merchantId, key, paymentId, failure);
                            }
                            HttpReply reply = answer(merchantId, result, created);
                            idempotency.complete(merchantId, key, reply.status(), reply.body());
                            return reply;
                        },
                        workers);
    }

    @Override
    public CompletableFuture<HttpReply> providerNotice(String operator, byte[] body) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return done(HttpReply.problem(Problem.malformedJson(e.getMessage())));
        }
        List<String> controls = ControlCharacters.fieldsWith(json);
        if (!controls.isEmpty()) {
            return done(HttpReply.problem(Problem.controlCharacters(controls)));
        }
        List<String> cards = FreeText.fieldsWithCardNumbers(json, "reason_code", "provider");
        if (!cards.isEmpty()) {
            return done(HttpReply.problem(Problem.cardNumbers(cards)));
        }
        String type = json.path("type").asText("");
        String paymentId = json.path("payment_id").asText(null);
        String chargebackId = json.path("chargeback_id").asText(null);
        String providerName = json.path("provider").asText("unknown");
        if (type.startsWith("transfer.")) {
            return transferNotice(operator, type, paymentId, providerName, json);
        }
        if (paymentId == null || chargebackId == null) {
            return done(
                    fieldProblem(
                            paymentId == null ? "payment_id" : "chargeback_id", "is required"));
        }
        PaymentCommandType commandType;
        switch (type) {
            case "chargeback.opened" -> commandType = PaymentCommandType.OPEN_CHARGEBACK;
            case "chargeback.won" -> commandType = PaymentCommandType.WIN_CHARGEBACK;
            case "chargeback.lost" -> commandType = PaymentCommandType.LOSE_CHARGEBACK;
            default -> {
                return done(
                        fieldProblem(
                                "type",
                                "one of chargeback.opened, chargeback.won, chargeback.lost"));
            }
        }
        String reason = json.hasNonNull("reason_code") ? json.get("reason_code").asText() : null;
        if (commandType == PaymentCommandType.OPEN_CHARGEBACK && reason == null) {
            return done(fieldProblem("reason_code", "a chargeback needs its reason code"));
        }
        Optional<String> merchant = payments.merchantOf(paymentId);
        if (merchant.isEmpty()) {
            return done(HttpReply.problem(Problem.notFound("No payment " + paymentId)));
        }
        PaymentCommand command =
                Ledger.command(
                                merchant.get(),
                                paymentId,
                                commandType,
                                "provider:" + providerName,
                                clock.instant())
                        .setOperationId(chargebackId)
                        .setAmount(json.hasNonNull("amount") ? json.get("amount").asLong() : null)
                        .setReasonCode(reason)
                        .build();
        log.info("{} relays {} for payment {}", operator, type, paymentId);
        return relay(command);
    }

    /**
     * A bank transfer's money arrived ({@code transfer.settled}) or came back ({@code
     * transfer.returned}, with its {@code return_id}): recorded as facts, which the ledger accepts
     * only for a pending, respectively settled, transfer.
     */
    private CompletableFuture<HttpReply> transferNotice(
            String operator, String type, String paymentId, String providerName, JsonNode json) {
        if (paymentId == null) {
            return done(fieldProblem("payment_id", "is required"));
        }
        boolean settled = type.equals("transfer.settled");
        if (!settled && !type.equals("transfer.returned")) {
            return done(fieldProblem("type", "transfer.settled or transfer.returned"));
        }
        String returnId = json.path("return_id").asText(null);
        if (!settled && returnId == null) {
            return done(fieldProblem("return_id", "is required for a returned transfer"));
        }
        Optional<String> merchant = payments.merchantOf(paymentId);
        Optional<PaymentRecord> payment = merchant.flatMap(m -> history.find(m, paymentId));
        if (payment.isEmpty()) {
            return done(HttpReply.problem(Problem.notFound("No payment " + paymentId)));
        }
        PaymentRecord p = payment.get();
        long pendingAmount =
                p.events().stream()
                        .filter(e -> e.type().equals("PENDING"))
                        .mapToLong(EventRecord::amount)
                        .findFirst()
                        .orElse(p.captured());
        long amount = json.hasNonNull("amount") ? json.get("amount").asLong() : pendingAmount;
        PaymentEvent event =
                PaymentEvent.newBuilder()
                        .setEventId(paymentId + (settled ? ":settled" : ":returned:" + returnId))
                        .setPaymentId(paymentId)
                        .setMerchantId(p.merchantId())
                        .setType(settled ? PaymentEventType.SETTLED : PaymentEventType.RETURNED)
                        .setAmount(amount)
                        .setCurrency(p.currency())
                        .setInstrumentKey(p.instrumentKey())
                        .setPaymentMethod(PaymentMethodType.valueOf(p.paymentMethod()))
                        .setCustomerId(p.customerId())
                        .setProvider(providerName)
                        .setReasonCode(
                                json.hasNonNull("reason_code")
                                        ? json.get("reason_code").asText()
                                        : null)
                        .setEventTime(clock.instant())
                        .setPaymentTime(p.createdAt())
                        .build();
        PaymentCommand command =
                Ledger.command(
                                p.merchantId(),
                                paymentId,
                                PaymentCommandType.RECORD,
                                "provider:" + providerName,
                                clock.instant())
                        .setEvent(event)
                        .build();
        log.info("{} relays {} for payment {}", operator, type, paymentId);
        return relay(command);
    }

    /** A provider's notice to the ledger; the notice's own ids make a resend harmless. */
    private CompletableFuture<HttpReply> relay(PaymentCommand command) {
        return ledger.execute(command, commandTimeout)
                .handleAsync(
                        (result, failure) ->
                                failure != null
                                        ? HttpReply.problem(
                                                Problem.unavailable(
                                                        "The ledger did not answer; send the"
                                                                + " notice again (it is applied"
                                                                + " once)"))
                                        : answer(command.getMerchantId(), result, 200),
                        workers);
    }

    private HttpReply answer(String merchantId, CommandResult result, int okStatus) {
        switch (result.getOutcome()) {
            case ACCEPTED, DUPLICATE -> {
                byte[] view = payments.find(merchantId, result.getPaymentId()).orElse(null);
                return HttpReply.json(
                        okStatus, Json.write(render(view, record(result.getPayment()))));
            }
            case REFUSED -> {
                return HttpReply.problem(
                        Problem.invariantViolated(result.getInvariant(), result.getDetail()));
            }
            case NOT_FOUND -> {
                return HttpReply.problem(Problem.notFound("No payment " + result.getPaymentId()));
            }
            default -> {
                return HttpReply.problem(
                        Problem.of(400, "invalid-command", "Invalid command", result.getDetail()));
            }
        }
    }

    /** No answer from the ledger: free the key; the derived operation id makes a retry safe. */
    private HttpReply unanswered(
            String merchantId, String key, String paymentId, Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        idempotency.release(merchantId, key);
        if (cause instanceof TimeoutException) {
            log.warn(
                    "no ledger answer for a command on payment {} within {}",
                    paymentId,
                    commandTimeout);
        } else {
            log.error("command on payment {} failed", paymentId, cause);
        }
        return HttpReply.problem(
                Problem.unavailable(
                        "The ledger did not answer in time; retry with the same Idempotency-Key"
                                + " (the command is applied at most once)"));
    }

    // ---- rendering ----

    /**
     * The payment resource: the stored authorization reply (risk verdict, payment method) with the
     * ledger's amounts, status and events over it. Either part may be missing.
     */
    static ObjectNode render(byte[] view, PaymentRecord record) {
        ObjectNode out;
        try {
            out =
                    view == null
                            ? Json.MAPPER.createObjectNode()
                            : (ObjectNode) Json.MAPPER.readTree(view);
        } catch (IOException e) {
            throw new IllegalStateException("stored payment is not JSON", e);
        }
        if (record == null) {
            return out;
        }
        out.put("id", record.id());
        out.put("object", "payment");
        out.put("status", record.status());
        if (!out.has("currency")) {
            out.put("currency", record.currency().toUpperCase(Locale.ROOT));
        }
        if (!out.has("amount")) {
            out.put("amount", record.authorized());
        }
        out.put("amount_authorized", record.authorized());
        out.put("amount_capturable", record.capturable());
        out.put("amount_captured", record.captured());
        out.put("amount_refunded", record.refunded());
        out.put("amount_charged_back", record.chargedBack());
        if (record.capturableUntil() != null) {
            out.put("capturable_until", record.capturableUntil().toString());
        }
        out.put("under_review", record.underReview());
        ArrayNode events = out.putArray("events");
        record.events().stream()
                .filter(LifecycleService::shownToMerchants)
                .forEach(e -> events.add(event(e)));
        return out;
    }

    /**
     * Merchants see every event that changed their payment; the platform's intent to authorize
     * (AUTHORIZING) is its own bookkeeping, followed by the outcome, and stays in the ledger and
     * the SQL history.
     */
    private static boolean shownToMerchants(EventRecord e) {
        return !e.type().equals("AUTHORIZING");
    }

    private static ObjectNode event(EventRecord e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", e.eventId());
        n.put("type", e.type().toLowerCase(Locale.ROOT));
        n.put("amount", e.amount());
        n.put("currency", e.currency().toUpperCase(Locale.ROOT));
        if (e.operationId() != null) {
            n.put("operation_id", e.operationId());
        }
        if (e.reasonCode() != null) {
            n.put("reason_code", e.reasonCode());
        }
        if (e.provider() != null) {
            n.put("provider", e.provider());
        }
        n.put("created", e.eventTime().toString());
        return n;
    }

    /** Which list an event type belongs to: captures, refunds, chargebacks or other. */
    private static String kindOf(String type) {
        if (type.equals("CAPTURED")) {
            return "captures";
        }
        if (type.equals("REFUNDED")) {
            return "refunds";
        }
        return type.startsWith("CHARGEBACK_") ? "chargebacks" : "other";
    }

    /** The ledger's snapshot in the history's shape. */
    static PaymentRecord record(PaymentSnapshot s) {
        List<PaymentEvent> events = s.getEvents();
        List<EventRecord> out = new java.util.ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            PaymentEvent e = events.get(i);
            out.add(
                    new EventRecord(
                            e.getEventId(),
                            i,
                            e.getType().name(),
                            e.getAmount(),
                            e.getCurrency(),
                            e.getOperationId(),
                            e.getReasonCode(),
                            e.getProvider(),
                            e.getEventTime()));
        }
        return new PaymentRecord(
                s.getPaymentId(),
                s.getMerchantId(),
                s.getInstrumentKey(),
                s.getCustomerId(),
                s.getPaymentMethod().name(),
                s.getStatus(),
                s.getCurrency(),
                s.getAuthorized(),
                s.getCapturable(),
                s.getCaptured(),
                s.getRefunded(),
                s.getChargedBack(),
                s.getUnderReview(),
                s.getCapturableUntil(),
                s.getCreatedAt(),
                s.getUpdatedAt(),
                out);
    }

    private static HttpReply fieldProblem(String field, String message) {
        return HttpReply.problem(
                Problem.invalidFields(List.of(new Problem.FieldProblem(field, message))));
    }

    private static HttpReply badParameter(String field, String message) {
        return fieldProblem(field, message);
    }

    private static CompletableFuture<HttpReply> done(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
