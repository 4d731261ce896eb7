package org.fraudplatform.providers.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stripe as its documentation describes it, on the loopback, for tests: the PaymentIntents and
 * Refunds endpoints the connector uses, search by metadata, the documented test cards and
 * PaymentMethod tokens, idempotent requests, Stripe's error object, and signed webhook events.
 *
 * <p>Idempotency as documented: the first answer under a key (a 500 included) is stored and
 * replayed to a request with the same key and parameters; the same key with other parameters is
 * refused {@code 400 idempotency_error}; a key whose first request is still running gets {@code 409
 * idempotency_key_in_use}. Faults: {@link #answerSlowly} (the operation is done, the answer comes
 * late), {@link #failNextAfterApplying} (done, answered 500) and {@link #holdSearchIndex} (search
 * does not see new PaymentIntents yet, as Stripe's may lag by a minute).
 */
public final class FakeStripe implements AutoCloseable {

    public static final String SECRET_KEY = "sk_test_fake51HwXv2eZvKYlo2C0000000000";
    public static final String WEBHOOK_SECRET = "whsec_fakeL3ts1gnTh3s3Ev3nts0000";

    /** What a test card or PaymentMethod token does, from Stripe's testing page. */
    record Card(String code, String declineCode, String message, boolean disputed) {
        boolean approves() {
            return code == null;
        }
    }

    static final Card APPROVES = new Card(null, null, null, false);
    static final Map<String, Card> CARDS = new HashMap<>();

    static {
        Card generic =
                new Card("card_declined", "generic_decline", "Your card was declined.", false);
        Card funds =
                new Card(
                        "card_declined",
                        "insufficient_funds",
                        "Your card has insufficient funds.",
                        false);
        Card lost = new Card("card_declined", "lost_card", "Your card was declined.", false);
        Card stolen = new Card("card_declined", "stolen_card", "Your card was declined.", false);
        Card expired = new Card("expired_card", null, "Your card has expired.", false);
        Card cvc =
                new Card("incorrect_cvc", null, "Your card's security code is incorrect.", false);
        Card processing =
                new Card(
                        "processing_error",
                        null,
                        "An error occurred while processing your card. Try again in a little bit.",
                        false);
        Card dispute = new Card(null, null, null, true);
        CARDS.put("4242424242424242", APPROVES);
        CARDS.put("pm_card_visa", APPROVES);
        CARDS.put("pm_card_mastercard", APPROVES);
        CARDS.put("4000000000000002", generic);
        CARDS.put("pm_card_visa_chargeDeclined", generic);
        CARDS.put("pm_card_chargeDeclined", generic);
        CARDS.put("4000000000009995", funds);
        CARDS.put("pm_card_visa_chargeDeclinedInsufficientFunds", funds);
        CARDS.put("4000000000009987", lost);
        CARDS.put("pm_card_visa_chargeDeclinedLostCard", lost);
        CARDS.put("4000000000009979", stolen);
        CARDS.put("pm_card_visa_chargeDeclinedStolenCard", stolen);
        CARDS.put("4000000000000069", expired);
        CARDS.put("pm_card_chargeDeclinedExpiredCard", expired);
        CARDS.put("4000000000000127", cvc);
        CARDS.put("pm_card_chargeDeclinedIncorrectCvc", cvc);
        CARDS.put("4000000000000119", processing);
        CARDS.put("pm_card_chargeDeclinedProcessingError", processing);
        CARDS.put("4000000000000259", dispute);
        CARDS.put("pm_card_createDispute", dispute);
    }

    /** A webhook delivery: the body as sent and its {@code Stripe-Signature} header. */
    public record SignedEvent(String id, String type, byte[] payload, String header) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SEARCH =
            Pattern.compile("metadata\\['([A-Za-z0-9_]+)'\\]:'((?:[^'\\\\]|\\\\.)*)'");

    private final HttpServer server;
    private final ExecutorService pool;
    private final Supplier<Instant> clock;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, ObjectNode> intents = new LinkedHashMap<>();
    private final Set<String> unindexed = new HashSet<>();
    private final List<ObjectNode> refunds = new ArrayList<>();
    private final List<ObjectNode> balance = new ArrayList<>();
    private final Map<String, Stored> idempotency = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private final List<SignedEvent> events = new ArrayList<>();
    private final Map<String, AtomicInteger> calls = new HashMap<>();
    private final AtomicInteger charges = new AtomicInteger();
    private volatile Duration answerDelay = Duration.ZERO;
    private volatile int failAfterApplying;
    private volatile boolean holdSearch;

    private record Stored(String fingerprint, int status, String body) {}

    private record Reply(int status, String body) {}

    public FakeStripe(Supplier<Instant> clock) throws IOException {
        this.clock = clock;
        this.pool =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "fake-stripe");
                            t.setDaemon(true);
                            return t;
                        });
        this.server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public FakeStripe() throws IOException {
        this(Instant::now);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers every request this much later, after doing what it asks. */
    public void answerSlowly(Duration delay) {
        answerDelay = delay;
    }

    /** Does the next n operations and answers them 500, as Stripe may during an incident. */
    void failNextAfterApplying(int n) {
        failAfterApplying = n;
    }

    /** While held, search does not see PaymentIntents created from now on. */
    synchronized void holdSearchIndex(boolean hold) {
        holdSearch = hold;
        if (!hold) {
            unindexed.clear();
        }
    }

    /** Authorizations Stripe approved (charges made), whatever the client saw. */
    public int charges() {
        return charges.get();
    }

    /** Requests received on a method and path ({@code "POST /v1/payment_intents"}). */
    synchronized int calls(String methodAndPath) {
        AtomicInteger n = calls.get(methodAndPath);
        return n == null ? 0 : n.get();
    }

    public synchronized List<ObjectNode> intents() {
        return List.copyOf(intents.values());
    }

    synchronized ObjectNode intent(String id) {
        return intents.get(id);
    }

    public synchronized List<ObjectNode> refunds() {
        return List.copyOf(refunds);
    }

    /** Events in the order Stripe would send them, signed now. */
    synchronized List<SignedEvent> events() {
        return List.copyOf(events);
    }

    public synchronized List<SignedEvent> events(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    /** Ends a dispute as the issuer decided: {@code won} or {@code lost}. */
    synchronized void closeDispute(String disputeId, String outcome) {
        for (SignedEvent e : events) {
            JsonNode object = read(e.payload()).path("data").path("object");
            if (object.path("id").asText().equals(disputeId)) {
                ObjectNode closed = object.deepCopy();
                closed.put("status", outcome);
                event("charge.dispute.closed", closed);
                return;
            }
        }
        throw new IllegalArgumentException("no dispute " + disputeId);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String path = uri.getPath();
            synchronized (this) {
                calls.computeIfAbsent(method + " " + path, k -> new AtomicInteger())
                        .incrementAndGet();
            }
            Reply reply;
            if (!("Bearer " + SECRET_KEY)
                    .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply =
                        error(
                                401,
                                "invalid_request_error",
                                null,
                                "Invalid API Key provided: sk_test_****");
            } else if (method.equals("GET")) {
                reply = get(path, query(uri.getRawQuery()));
            } else {
                Map<String, String> form =
                        query(
                                new String(
                                        exchange.getRequestBody().readAllBytes(),
                                        StandardCharsets.UTF_8));
                reply = post(path, form, exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            }
            Duration delay = answerDelay;
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Request-Id", "req_" + ids.incrementAndGet());
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException e) {
                // the client gave up: the operation stands, as at Stripe
            }
        }
    }

    private Reply post(String path, Map<String, String> form, String key) {
        String fingerprint = path + new TreeMap<>(form);
        if (key != null) {
            synchronized (this) {
                Stored stored = idempotency.get(key);
                if (stored != null) {
                    if (!stored.fingerprint().equals(fingerprint)) {
                        return error(
                                400,
                                "idempotency_error",
                                null,
                                "Keys for idempotent requests can only be used with the same"
                                        + " parameters they were first used with. Try using a key"
                                        + " other than '"
                                        + key
                                        + "' if you meant to execute a different request.");
                    }
                    return new Reply(stored.status(), stored.body());
                }
                if (!running.add(key)) {
                    return error(
                            409,
                            "invalid_request_error",
                            "idempotency_key_in_use",
                            "There is currently another in-progress request using this"
                                    + " Idempotent Key (that probably means you submitted twice,"
                                    + " and the other request is still going through): "
                                    + key);
                }
            }
        }
        Reply reply;
        synchronized (this) {
            reply = apply(path, form);
            if (failAfterApplying > 0) {
                failAfterApplying--;
                reply = error(500, "api_error", null, "An unknown error occurred");
            }
            if (key != null) {
                running.remove(key);
                idempotency.put(key, new Stored(fingerprint, reply.status(), reply.body()));
            }
        }
        return reply;
    }

    private Reply apply(String path, Map<String, String> form) {
        if (path.equals("/v1/payment_intents")) {
            return create(form);
        }
        if (path.equals("/v1/refunds")) {
            return refund(form);
        }
        Matcher m = Pattern.compile("/v1/payment_intents/([^/]+)/(capture|cancel)").matcher(path);
        if (m.matches()) {
            ObjectNode intent = intents.get(m.group(1));
            if (intent == null) {
                return missing("payment_intent", m.group(1), 404);
            }
            return m.group(2).equals("capture") ? capture(intent, form) : cancel(intent, form);
        }
        return error(
                404,
                "invalid_request_error",
                null,
                "Unrecognized request URL (POST: " + path + ")");
    }

    private Reply create(Map<String, String> form) {
        long amount;
        try {
            amount = Long.parseLong(form.getOrDefault("amount", ""));
        } catch (NumberFormatException e) {
            return error(
                    400,
                    "invalid_request_error",
                    "parameter_missing",
                    "Missing required param: amount.");
        }
        if (amount < 1 || !form.containsKey("currency")) {
            return error(
                    400,
                    "invalid_request_error",
                    "parameter_invalid_integer",
                    "Invalid amount or currency");
        }
        ObjectNode intent = JSON.createObjectNode();
        String id = "pi_" + ids.incrementAndGet() + "fake";
        intent.put("id", id);
        intent.put("object", "payment_intent");
        intent.put("amount", amount);
        intent.put("amount_capturable", 0);
        intent.put("amount_received", 0);
        intent.put("currency", form.get("currency"));
        intent.put("capture_method", form.getOrDefault("capture_method", "automatic"));
        intent.put("created", clock.get().getEpochSecond());
        intent.putNull("cancellation_reason");
        intent.putNull("last_payment_error");
        intent.putNull("latest_charge");
        intent.put("livemode", false);
        ObjectNode metadata = intent.putObject("metadata");
        form.forEach(
                (k, v) -> {
                    if (k.startsWith("metadata[")) {
                        metadata.put(k.substring(9, k.length() - 1), v);
                    }
                });
        if (form.containsKey("description")) {
            intent.put("description", form.get("description"));
        }
        String instrument =
                form.containsKey("payment_method")
                        ? form.get("payment_method")
                        : form.get("payment_method_data[card][number]");
        intent.put("payment_method", instrument == null ? null : "pm_" + ids.incrementAndGet());
        intent.put(
                "status", instrument == null ? "requires_payment_method" : "requires_confirmation");
        intents.put(id, intent);
        if (holdSearch) {
            unindexed.add(id);
        }
        if (!"true".equals(form.get("confirm"))) {
            return ok(intent);
        }
        Card card = instrument == null ? null : CARDS.getOrDefault(instrument, APPROVES);
        if (card == null) {
            return error(
                    400,
                    "invalid_request_error",
                    "payment_intent_unexpected_state",
                    "No payment method");
        }
        intent.put("latest_charge", "ch_" + ids.incrementAndGet());
        if (!card.approves()) {
            ObjectNode last = JSON.createObjectNode();
            last.put("type", "card_error");
            last.put("code", card.code());
            if (card.declineCode() != null) {
                last.put("decline_code", card.declineCode());
            }
            last.put("message", card.message());
            intent.set("last_payment_error", last);
            intent.put("status", "requires_payment_method");
            event("payment_intent.payment_failed", intent);
            ObjectNode body = JSON.createObjectNode();
            ObjectNode error = last.deepCopy();
            error.put("doc_url", "https://stripe.com/docs/error-codes/" + card.code());
            error.set("payment_intent", intent.deepCopy());
            body.set("error", error);
            return new Reply(402, body.toString());
        }
        charges.incrementAndGet();
        intent.put("disputed_card", card.disputed());
        if (intent.path("capture_method").asText().equals("manual")) {
            intent.put("status", "requires_capture");
            intent.put("amount_capturable", amount);
            event("payment_intent.amount_capturable_updated", intent);
        } else {
            succeed(intent, amount);
        }
        return ok(intent);
    }

    private Reply capture(ObjectNode intent, Map<String, String> form) {
        if (!intent.path("status").asText().equals("requires_capture")) {
            return unexpectedState(intent, "capture");
        }
        long capturable = intent.path("amount_capturable").asLong();
        long amount =
                form.containsKey("amount_to_capture")
                        ? Long.parseLong(form.get("amount_to_capture"))
                        : capturable;
        if (amount > capturable) {
            return error(
                    400,
                    "invalid_request_error",
                    "amount_too_large",
                    "The amount to capture is greater than the amount capturable.");
        }
        form.forEach(
                (k, v) -> {
                    if (k.startsWith("metadata[")) {
                        ((ObjectNode) intent.path("metadata"))
                                .put(k.substring(9, k.length() - 1), v);
                    }
                });
        succeed(intent, amount);
        return ok(intent);
    }

    private void succeed(ObjectNode intent, long amount) {
        intent.put("status", "succeeded");
        intent.put("amount_capturable", 0);
        intent.put("amount_received", amount);
        ObjectNode charge = JSON.createObjectNode();
        charge.put("id", intent.path("latest_charge").asText());
        charge.put("object", "charge");
        charge.put("amount", intent.path("amount").asLong());
        charge.put("amount_captured", amount);
        charge.put("currency", intent.path("currency").asText());
        charge.put("payment_intent", intent.path("id").asText());
        book("charge", amount, Math.round(amount * 0.014) + 25, charge);
        event("payment_intent.succeeded", intent);
        if (intent.path("disputed_card").asBoolean()) {
            ObjectNode dispute = JSON.createObjectNode();
            dispute.put("id", "dp_" + ids.incrementAndGet());
            dispute.put("object", "dispute");
            dispute.put("amount", amount);
            dispute.put("currency", intent.path("currency").asText());
            dispute.put("charge", intent.path("latest_charge").asText());
            dispute.put("payment_intent", intent.path("id").asText());
            dispute.put("reason", "fraudulent");
            dispute.put("status", "needs_response");
            event("charge.dispute.created", dispute);
        }
    }

    private Reply cancel(ObjectNode intent, Map<String, String> form) {
        String status = intent.path("status").asText();
        if (status.equals("succeeded") || status.equals("canceled")) {
            return unexpectedState(intent, "cancel");
        }
        intent.put("status", "canceled");
        intent.put("amount_capturable", 0);
        intent.put(
                "cancellation_reason",
                form.getOrDefault("cancellation_reason", "requested_by_customer"));
        event("payment_intent.canceled", intent);
        return ok(intent);
    }

    private Reply refund(Map<String, String> form) {
        ObjectNode intent = intents.get(form.get("payment_intent"));
        if (intent == null) {
            return missing("payment_intent", form.get("payment_intent"), 400);
        }
        if (!intent.path("status").asText().equals("succeeded")) {
            return error(
                    400,
                    "invalid_request_error",
                    "charge_not_refundable",
                    "This PaymentIntent has no successful charge to refund.");
        }
        long refunded =
                refunds.stream()
                        .filter(
                                r ->
                                        r.path("payment_intent")
                                                .asText()
                                                .equals(intent.path("id").asText()))
                        .mapToLong(r -> r.path("amount").asLong())
                        .sum();
        long left = intent.path("amount_received").asLong() - refunded;
        long amount = form.containsKey("amount") ? Long.parseLong(form.get("amount")) : left;
        if (amount > left) {
            return error(
                    400,
                    "invalid_request_error",
                    left == 0 ? "charge_already_refunded" : "amount_too_large",
                    "Refund amount is greater than the unrefunded amount on the charge.");
        }
        ObjectNode refund = JSON.createObjectNode();
        refund.put("id", "re_" + ids.incrementAndGet());
        refund.put("object", "refund");
        refund.put("amount", amount);
        refund.put("currency", intent.path("currency").asText());
        refund.put("payment_intent", intent.path("id").asText());
        refund.put("charge", intent.path("latest_charge").asText());
        refund.put("status", "succeeded");
        ObjectNode metadata = refund.putObject("metadata");
        form.forEach(
                (k, v) -> {
                    if (k.startsWith("metadata[")) {
                        metadata.put(k.substring(9, k.length() - 1), v);
                    }
                });
        refunds.add(refund);
        book("refund", -amount, 0, refund);
        ObjectNode charge = JSON.createObjectNode();
        charge.put("id", intent.path("latest_charge").asText());
        charge.put("object", "charge");
        charge.put("payment_intent", intent.path("id").asText());
        charge.put("amount_refunded", refunded + amount);
        charge.put("refunded", refunded + amount == intent.path("amount_received").asLong());
        event("charge.refunded", charge);
        return ok(refund);
    }

    private synchronized Reply get(String path, Map<String, String> query) {
        if (path.equals("/v1/payment_intents/search")) {
            Matcher m = SEARCH.matcher(query.getOrDefault("query", ""));
            if (!m.matches()) {
                return error(
                        400,
                        "invalid_request_error",
                        "parameter_invalid_string",
                        "Invalid search query");
            }
            String value = m.group(2).replace("\\'", "'");
            ObjectNode result = JSON.createObjectNode();
            result.put("object", "search_result");
            var data = result.putArray("data");
            for (ObjectNode intent : intents.values()) {
                if (!unindexed.contains(intent.path("id").asText())
                        && value.equals(intent.path("metadata").path(m.group(1)).asText(null))) {
                    data.add(intent);
                }
            }
            result.put("has_more", false);
            return new Reply(200, result.toString());
        }
        if (path.equals("/v1/balance_transactions")) {
            long from = Long.parseLong(query.getOrDefault("created[gte]", "0"));
            long to =
                    Long.parseLong(
                            query.getOrDefault("created[lt]", Long.toString(Long.MAX_VALUE)));
            int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
            String after = query.get("starting_after");
            boolean expand = "data.source".equals(query.get("expand[]"));
            // newest first, as Stripe lists
            List<ObjectNode> matching = new ArrayList<>();
            for (int i = balance.size() - 1; i >= 0; i--) {
                long created = balance.get(i).path("created").asLong();
                if (created >= from && created < to) {
                    matching.add(balance.get(i));
                }
            }
            int start = 0;
            if (after != null) {
                for (int i = 0; i < matching.size(); i++) {
                    if (matching.get(i).path("id").asText().equals(after)) {
                        start = i + 1;
                    }
                }
            }
            ObjectNode result = JSON.createObjectNode();
            result.put("object", "list");
            var data = result.putArray("data");
            for (int i = start; i < Math.min(matching.size(), start + limit); i++) {
                ObjectNode txn = matching.get(i).deepCopy();
                if (!expand) {
                    txn.put("source", txn.path("source").path("id").asText());
                }
                data.add(txn);
            }
            result.put("has_more", start + limit < matching.size());
            return new Reply(200, result.toString());
        }
        if (path.equals("/v1/refunds")) {
            ObjectNode result = JSON.createObjectNode();
            result.put("object", "list");
            var data = result.putArray("data");
            refunds.stream()
                    .filter(
                            r ->
                                    r.path("payment_intent")
                                            .asText()
                                            .equals(query.get("payment_intent")))
                    .forEach(data::add);
            result.put("has_more", false);
            return new Reply(200, result.toString());
        }
        if (path.startsWith("/v1/payment_intents/")) {
            String id = path.substring("/v1/payment_intents/".length());
            ObjectNode intent = intents.get(id);
            return intent == null ? missing("payment_intent", id, 404) : ok(intent);
        }
        return error(
                404, "invalid_request_error", null, "Unrecognized request URL (GET: " + path + ")");
    }

    /** A balance transaction, as Stripe books a charge or a refund. */
    private void book(String type, long amount, long fee, ObjectNode source) {
        ObjectNode txn = JSON.createObjectNode();
        txn.put("id", "txn_" + ids.incrementAndGet());
        txn.put("object", "balance_transaction");
        txn.put("type", type);
        txn.put("reporting_category", type);
        txn.put("amount", amount);
        txn.put("fee", fee);
        txn.put("net", amount - fee);
        txn.put("currency", source.path("currency").asText());
        txn.put("created", clock.get().getEpochSecond());
        txn.set("source", source.deepCopy());
        balance.add(txn);
    }

    /** Books a movement the platform did not order (a payout, a charge made elsewhere). */
    synchronized void bookElsewhere(String type, long amount, String currency) {
        ObjectNode source = JSON.createObjectNode();
        source.put("id", "po_" + ids.incrementAndGet());
        source.put("currency", currency);
        if (type.equals("charge")) {
            source.put("object", "charge");
            source.put("amount", amount);
            source.put("amount_captured", amount);
            source.putNull("payment_intent");
        }
        book(type, amount, 0, source);
    }

    private void event(String type, ObjectNode object) {
        ObjectNode event = JSON.createObjectNode();
        String id = "evt_" + ids.incrementAndGet();
        long now = clock.get().getEpochSecond();
        event.put("id", id);
        event.put("object", "event");
        event.put("api_version", StripeConnector.API_VERSION);
        event.put("created", now);
        event.put("livemode", false);
        event.put("type", type);
        event.putObject("data").set("object", object.deepCopy());
        byte[] payload = event.toString().getBytes(StandardCharsets.UTF_8);
        events.add(
                new SignedEvent(
                        id, type, payload, StripeSignature.header(now, payload, WEBHOOK_SECRET)));
    }

    private static Reply ok(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove("disputed_card");
        return new Reply(200, copy.toString());
    }

    private static Reply unexpectedState(ObjectNode intent, String action) {
        return error(
                400,
                "invalid_request_error",
                "payment_intent_unexpected_state",
                "You cannot "
                        + action
                        + " this PaymentIntent because it has a status of "
                        + intent.path("status").asText()
                        + ".");
    }

    private static Reply missing(String kind, String id, int status) {
        return error(
                status,
                "invalid_request_error",
                "resource_missing",
                "No such " + kind + ": '" + id + "'");
    }

    private static Reply error(int status, String type, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("type", type);
        if (code != null) {
            error.put("code", code);
        }
        error.put("message", message);
        return new Reply(status, body.toString());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return fields;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k =
                    URLDecoder.decode(
                            eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v =
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.merge(k, v, (a, b) -> a + "," + b);
        }
        return fields;
    }

    private static JsonNode read(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
