package org.fraudplatform.providers.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.fraudplatform.providers.AuthorizationCall;
import org.fraudplatform.providers.PaymentProvider;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.providers.ProviderResult.Outcome;
import org.fraudplatform.providers.http.Exchange;
import org.fraudplatform.providers.http.Form;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PaymentProvider} that speaks Stripe's PaymentIntents API.
 *
 * <ul>
 *   <li><b>Authorize</b>: {@code POST /v1/payment_intents} with {@code confirm=true}, {@code
 *       capture_method=manual} (or automatic), {@code error_on_requires_action=true} (a card that
 *       needs 3-D Secure is declined {@code authentication_required}: the platform has no customer
 *       present to authenticate) and {@code metadata[payment_id]}. {@code Idempotency-Key} is our
 *       payment id, so a repeated authorization is answered by Stripe with its first answer and
 *       never charges twice.
 *   <li><b>Capture</b>: {@code POST /v1/payment_intents/{id}/capture} with {@code
 *       amount_to_capture}; <b>void</b>: {@code …/cancel}; <b>refund</b>: {@code POST /v1/refunds}
 *       with {@code payment_intent}, {@code amount} and {@code metadata[operation_id]}. Each under
 *       {@code Idempotency-Key} {@code <payment intent>:<kind>:<operation id>}.
 *   <li><b>Status</b> of a payment id: the PaymentIntent this connector saw for it, else Stripe's
 *       search by {@code metadata['payment_id']}. Search is eventually consistent, so when it finds
 *       nothing the connector claims the payment id's idempotency key with an unconfirmed
 *       PaymentIntent (the <i>fence</i>, which charges nothing and is cancelled at once): if Stripe
 *       accepts it, the original authorization never reached Stripe and now never can ({@code
 *       NOT_FOUND}); if Stripe refuses it as a reuse of the key, the original exists and is not yet
 *       searchable ({@code UNKNOWN}, asked again later).
 * </ul>
 *
 * <p>Outcomes: a PaymentIntent {@code requires_capture} or {@code succeeded} is {@code APPROVED}
 * with the PaymentIntent id as reference; {@code processing} is {@code PENDING}; a {@code
 * card_error} is {@code DECLINED} with Stripe's {@code decline_code}, else its {@code code} ({@code
 * processing_error} is an {@code ERROR}); another 4xx is an {@code ERROR} with Stripe's {@code
 * code}; {@code resource_missing} on a follow-up is {@code ERROR unknown_reference}; 401, 403 and
 * 429 and a connection that never opened are {@code ERROR provider_unavailable} (Stripe did
 * nothing); 409 (the key is in use by a request still running), a 5xx, a read timeout or a
 * connection lost after sending are {@code UNKNOWN}. A capture, void or refund that came back
 * {@code UNKNOWN} is checked by reading the PaymentIntent (or its refunds) back, since Stripe
 * replays a stored 500 to every retry with the same key.
 *
 * <p>Amounts are ISO 4217 minor units, which is Stripe's smallest unit for every currency the
 * platform accepts; Stripe takes three-decimal currencies only in multiples of ten, so others are
 * refused before calling. Nothing of a request's body, the key or the card is logged: a log line
 * names the method, the path and the status.
 */
public final class StripeConnector implements PaymentProvider {

    private static final Logger log = LoggerFactory.getLogger(StripeConnector.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The API version whose shapes this connector reads; sent on every request. */
    public static final String API_VERSION = "2024-06-20";

    /** Metadata key holding our payment id on a PaymentIntent. */
    public static final String PAYMENT_ID = "payment_id";

    /** Metadata key holding the ledger's operation id of the capture on a PaymentIntent. */
    public static final String CAPTURE_OPERATION_ID = "capture_operation_id";

    /** Metadata key holding the ledger's operation id on a Refund. */
    public static final String OPERATION_ID = "operation_id";

    private static final int MEMORY = 100_000;

    private final StripeSettings settings;
    private final String name;
    private final HttpClient http;
    private final Map<String, String> intentByPaymentId = memory();
    private final Map<String, String> paymentIdByIntent = memory();

    public StripeConnector(StripeSettings settings) {
        this.settings = settings;
        this.name = settings.name();
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(settings.connectTimeout())
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public java.util.Map<String, String> providerTokenKinds() {
        return java.util.Map.of(name, "stripe");
    }

    @Override
    public CompletableFuture<ProviderResult> authorize(AuthorizationCall call) {
        Optional<String> refusal = amountRefusal(call.amount(), call.currency());
        if (refusal.isPresent()) {
            return done(ProviderResult.error(name, "amount_not_supported", refusal.get()));
        }
        Form form =
                new Form()
                        .add("amount", call.amount())
                        .add("currency", call.currency().toLowerCase(Locale.ROOT))
                        .add("confirm", "true")
                        .add(
                                "capture_method",
                                settings.captureMethod() == StripeSettings.CaptureMethod.MANUAL
                                        ? "manual"
                                        : "automatic")
                        .add("payment_method_types[]", "card")
                        .add("error_on_requires_action", "true")
                        .add("metadata[" + PAYMENT_ID + "]", call.paymentId());
        if (call.method() instanceof AuthorizationCall.CardMethod card) {
            // raw card numbers need Stripe's raw card data access; a provider token does not
            form.add("payment_method_data[type]", "card")
                    .add("payment_method_data[card][number]", card.number())
                    .add("payment_method_data[card][exp_month]", card.expMonth())
                    .add("payment_method_data[card][exp_year]", card.expYear());
        } else if (call.method() instanceof AuthorizationCall.ProviderTokenMethod token
                && token.provider().equals(name)) {
            form.add("payment_method", token.token());
        } else {
            return done(
                    ProviderResult.error(
                            name,
                            "method_not_supported",
                            "This connector authorizes cards and its own Stripe payment methods only"));
        }
        return post("/v1/payment_intents", form, call.paymentId())
                .thenApply(exchange -> authorization(exchange, call.paymentId()));
    }

    @Override
    public CompletableFuture<ProviderResult> capture(
            String authorizationReference, long amount, String currency, String operationId) {
        if (!isIntent(authorizationReference)) {
            return done(notOurs());
        }
        if (settings.captureMethod() == StripeSettings.CaptureMethod.AUTOMATIC
                && AUTOMATIC_CAPTURE.equals(operationId)) {
            // Stripe captured at authorization: the ledger's capture is confirmed by reading it
            return retrieve(authorizationReference)
                    .thenApply(
                            exchange ->
                                    followUp(
                                            exchange,
                                            intent ->
                                                    intent.path("status")
                                                                    .asText()
                                                                    .equals("succeeded")
                                                            ? ProviderResult.approved(
                                                                    name,
                                                                    intent.path("id").asText())
                                                            : ProviderResult.error(
                                                                    name,
                                                                    "not_captured",
                                                                    "The PaymentIntent is "
                                                                            + intent.path("status")
                                                                                    .asText())));
        }
        // the operation id on the PaymentIntent: the day's settlement names the capture with it
        Form form =
                new Form()
                        .add("amount_to_capture", amount)
                        .add("metadata[" + CAPTURE_OPERATION_ID + "]", operationId);
        return post(
                        "/v1/payment_intents/" + encode(authorizationReference) + "/capture",
                        form,
                        authorizationReference + ":capture:" + operationId)
                .thenCompose(
                        exchange -> {
                            ProviderResult result = followUp(exchange, this::captured);
                            if (result.outcome() != Outcome.UNKNOWN) {
                                return done(result);
                            }
                            return readBack(authorizationReference, result, this::captured);
                        });
    }

    @Override
    public CompletableFuture<ProviderResult> voidAuthorization(
            String authorizationReference, String operationId) {
        if (!isIntent(authorizationReference)) {
            return done(notOurs());
        }
        return post(
                        "/v1/payment_intents/" + encode(authorizationReference) + "/cancel",
                        new Form(),
                        authorizationReference + ":cancel:" + operationId)
                .thenCompose(
                        exchange -> {
                            ProviderResult result = followUp(exchange, this::cancelled);
                            if (result.outcome() != Outcome.UNKNOWN) {
                                return done(result);
                            }
                            return readBack(authorizationReference, result, this::cancelled);
                        });
    }

    @Override
    public CompletableFuture<ProviderResult> refund(
            String authorizationReference, long amount, String currency, String operationId) {
        if (!isIntent(authorizationReference)) {
            return done(notOurs());
        }
        Form form =
                new Form()
                        .add("payment_intent", authorizationReference)
                        .add("amount", amount)
                        .add("metadata[" + OPERATION_ID + "]", operationId);
        return post("/v1/refunds", form, authorizationReference + ":refund:" + operationId)
                .thenCompose(
                        exchange -> {
                            ProviderResult result = followUp(exchange, this::refunded);
                            if (result.outcome() != Outcome.UNKNOWN) {
                                return done(result);
                            }
                            // was the refund made after all? Stripe's list of refunds is consistent
                            return get("/v1/refunds?limit=100&payment_intent="
                                            + encode(authorizationReference))
                                    .thenApply(
                                            list -> {
                                                if (list instanceof Exchange.Answered a
                                                        && a.status() == 200) {
                                                    for (JsonNode r :
                                                            parse(a.body()).path("data")) {
                                                        if (operationId.equals(
                                                                r.path("metadata")
                                                                        .path("operation_id")
                                                                        .asText(null))) {
                                                            return refunded(r);
                                                        }
                                                    }
                                                }
                                                return result;
                                            });
                        });
    }

    @Override
    public CompletableFuture<ProviderResult> status(String paymentId) {
        String known = intentByPaymentId.get(paymentId);
        if (known != null) {
            return retrieve(known).thenApply(exchange -> followUp(exchange, this::intentOutcome));
        }
        String query = "metadata['" + PAYMENT_ID + "']:'" + paymentId.replace("'", "\\'") + "'";
        return get("/v1/payment_intents/search?query=" + encode(query))
                .thenCompose(
                        exchange -> {
                            if (!(exchange instanceof Exchange.Answered a) || a.status() != 200) {
                                return done(followUp(exchange, this::intentOutcome));
                            }
                            for (JsonNode intent : parse(a.body()).path("data")) {
                                if (paymentId.equals(
                                        intent.path("metadata").path(PAYMENT_ID).asText(null))) {
                                    remember(paymentId, intent.path("id").asText());
                                    return done(intentOutcome(intent));
                                }
                            }
                            return fence(paymentId);
                        });
    }

    /**
     * The PaymentIntent id's payment id: from memory, else from the PaymentIntent's metadata. Empty
     * when Stripe does not know the PaymentIntent or it is not one of ours.
     */
    public CompletableFuture<Optional<String>> paymentIdOf(String paymentIntentId) {
        String known = paymentIdByIntent.get(paymentIntentId);
        if (known != null) {
            return done(Optional.of(known));
        }
        return retrieve(paymentIntentId)
                .thenApply(
                        exchange -> {
                            if (exchange instanceof Exchange.Answered a && a.status() == 200) {
                                String id =
                                        parse(a.body())
                                                .path("metadata")
                                                .path(PAYMENT_ID)
                                                .asText(null);
                                if (id != null) {
                                    remember(id, paymentIntentId);
                                }
                                return Optional.ofNullable(id);
                            }
                            if (exchange instanceof Exchange.Answered a && a.status() == 404) {
                                return Optional.empty();
                            }
                            throw new IllegalStateException(
                                    "Stripe did not say which payment " + paymentIntentId + " is");
                        });
    }

    /**
     * Claims the payment id's idempotency key with a PaymentIntent that is never confirmed, so that
     * Stripe says with certainty whether the original authorization reached it.
     */
    private CompletableFuture<ProviderResult> fence(String paymentId) {
        Form form =
                new Form()
                        .add("amount", 100)
                        .add("currency", "usd")
                        .add("confirm", "false")
                        .add("payment_method_types[]", "card")
                        .add("description", "status query: the authorization never arrived")
                        .add("metadata[fence_for]", paymentId);
        return post("/v1/payment_intents", form, paymentId)
                .thenCompose(
                        exchange -> {
                            if (exchange instanceof Exchange.Answered a && a.status() == 200) {
                                JsonNode intent = parse(a.body());
                                String fence = intent.path("id").asText();
                                if (intent.path("metadata").path("fence_for").isMissingNode()) {
                                    // the key held the original after all (a replay of it)
                                    remember(paymentId, fence);
                                    return done(intentOutcome(intent));
                                }
                                return post(
                                                "/v1/payment_intents/" + encode(fence) + "/cancel",
                                                new Form(),
                                                paymentId + ":fence:cancel")
                                        .thenApply(
                                                cancelled ->
                                                        ProviderResult.notFound(
                                                                name,
                                                                "Stripe never received the"
                                                                        + " authorization; its key"
                                                                        + " is now spent"));
                            }
                            if (exchange instanceof Exchange.Answered a
                                    && a.status() == 400
                                    && "idempotency_error"
                                            .equals(error(a.body()).path("type").asText())) {
                                return done(
                                        ProviderResult.unknown(
                                                name,
                                                "Stripe has the authorization but cannot find it"
                                                        + " yet; ask again"));
                            }
                            ProviderResult r = followUp(exchange, this::intentOutcome);
                            return done(
                                    r.outcome() == Outcome.ERROR && !r.isUnavailable()
                                            ? ProviderResult.unknown(name, r.message())
                                            : r);
                        });
    }

    private CompletableFuture<ProviderResult> readBack(
            String reference, ProviderResult unknown, Function<JsonNode, ProviderResult> outcome) {
        return retrieve(reference)
                .thenApply(
                        exchange -> {
                            if (exchange instanceof Exchange.Answered a && a.status() == 200) {
                                ProviderResult r = outcome.apply(parse(a.body()));
                                return r.outcome() == Outcome.APPROVED ? r : unknown;
                            }
                            return unknown;
                        });
    }

    private ProviderResult authorization(Exchange exchange, String paymentId) {
        ProviderResult result = followUp(exchange, this::intentOutcome);
        if (result.reference() != null
                && (result.outcome() == Outcome.APPROVED
                        || result.outcome() == Outcome.PENDING
                        || result.outcome() == Outcome.DECLINED)) {
            remember(paymentId, result.reference());
        }
        return result;
    }

    private ProviderResult intentOutcome(JsonNode intent) {
        String id = intent.path("id").asText(null);
        String status = intent.path("status").asText();
        return switch (status) {
            case "requires_capture", "succeeded" -> ProviderResult.approved(name, id);
            case "processing" -> ProviderResult.pending(name, id);
            case "requires_payment_method" -> {
                JsonNode e = intent.path("last_payment_error");
                yield e.isMissingNode() || e.isNull()
                        ? ProviderResult.declined(
                                name, id, "requires_payment_method", "No payment method")
                        : declined(id, e);
            }
            case "requires_action" ->
                    ProviderResult.declined(
                            name, id, "authentication_required", "The card needs 3-D Secure");
            case "canceled" ->
                    ProviderResult.declined(
                            name,
                            id,
                            "canceled",
                            "The PaymentIntent was cancelled: "
                                    + intent.path("cancellation_reason").asText("unknown"));
            default ->
                    // requires_confirmation: created, not yet confirmed (still on its way)
                    ProviderResult.unknown(name, "The PaymentIntent is " + status);
        };
    }

    private ProviderResult captured(JsonNode intent) {
        String status = intent.path("status").asText();
        return status.equals("succeeded")
                ? ProviderResult.approved(name, intent.path("id").asText())
                : ProviderResult.error(name, "not_captured", "The PaymentIntent is " + status);
    }

    private ProviderResult cancelled(JsonNode intent) {
        String status = intent.path("status").asText();
        return status.equals("canceled")
                ? ProviderResult.approved(name, intent.path("id").asText())
                : ProviderResult.error(name, "not_cancelled", "The PaymentIntent is " + status);
    }

    private ProviderResult refunded(JsonNode refund) {
        String id = refund.path("id").asText();
        return switch (refund.path("status").asText()) {
            case "succeeded", "pending", "requires_action" -> ProviderResult.approved(name, id);
            default ->
                    ProviderResult.declined(
                            name,
                            id,
                            refund.path("failure_reason").asText("refund_failed"),
                            "The refund " + refund.path("status").asText());
        };
    }

    /** An answer to any call: the object on 2xx, else Stripe's error object or the exchange. */
    private ProviderResult followUp(Exchange exchange, Function<JsonNode, ProviderResult> ok) {
        if (exchange instanceof Exchange.NotSent n) {
            return ProviderResult.unavailable(name, "Stripe could not be reached: " + n.reason());
        }
        if (exchange instanceof Exchange.Unanswered u) {
            return ProviderResult.unknown(name, "Stripe did not answer: " + u.reason());
        }
        Exchange.Answered a = (Exchange.Answered) exchange;
        if (a.status() >= 200 && a.status() < 300) {
            return ok.apply(parse(a.body()));
        }
        return failure(a);
    }

    /** Stripe's error object, sorted by whether Stripe may have done something. */
    private ProviderResult failure(Exchange.Answered a) {
        JsonNode error = error(a.body());
        String type = error.path("type").asText("");
        String code = error.path("code").asText(null);
        String message = error.path("message").asText("Stripe answered " + a.status());
        int status = a.status();
        if (status >= 500) {
            return ProviderResult.unknown(
                    name, "Stripe answered " + status + ": the request may have been applied");
        }
        if (status == 409) {
            return ProviderResult.unknown(
                    name, "Stripe is still working on a request with this key: " + message);
        }
        if (status == 401 || status == 403 || status == 429) {
            return ProviderResult.unavailable(
                    name, "Stripe refused the request (" + status + "): " + message);
        }
        if (type.equals("card_error")) {
            String intent = error.path("payment_intent").path("id").asText(null);
            if ("processing_error".equals(code)) {
                return new ProviderResult(Outcome.ERROR, name, intent, code, message);
            }
            return declined(intent, error);
        }
        if (type.equals("idempotency_error")) {
            return ProviderResult.unknown(
                    name, "Stripe holds another request under this key: " + message);
        }
        if ((status == 404 || status == 400) && "resource_missing".equals(code)) {
            return ProviderResult.error(name, ProviderResult.UNKNOWN_REFERENCE, message);
        }
        return ProviderResult.error(name, code != null ? code : type, message);
    }

    private ProviderResult declined(String reference, JsonNode error) {
        String decline = error.path("decline_code").asText(null);
        String code = decline != null ? decline : error.path("code").asText("card_declined");
        return ProviderResult.declined(
                name, reference, code, error.path("message").asText("The card was declined"));
    }

    private CompletableFuture<Exchange> retrieve(String paymentIntentId) {
        return get("/v1/payment_intents/" + encode(paymentIntentId));
    }

    private CompletableFuture<Exchange> post(String path, Form form, String idempotencyKey) {
        HttpRequest request =
                request(path)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Idempotency-Key", idempotencyKey)
                        .POST(HttpRequest.BodyPublishers.ofString(form.encode()))
                        .build();
        return send(request, "POST", path);
    }

    /** A GET of Stripe's API under this connector's key, for {@link StripeSettlements}. */
    CompletableFuture<Exchange> read(String pathAndQuery) {
        return get(pathAndQuery);
    }

    private CompletableFuture<Exchange> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build(), "GET", pathAndQuery);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(settings.baseUri() + pathAndQuery))
                .timeout(settings.callTimeout())
                .header("Authorization", "Bearer " + settings.secretKey().reveal())
                .header("Stripe-Version", API_VERSION)
                .header("Accept", "application/json");
    }

    private CompletableFuture<Exchange> send(HttpRequest request, String method, String path) {
        String shown = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return Exchange.send(http, request)
                .whenComplete(
                        (exchange, failure) -> {
                            if (exchange instanceof Exchange.Answered a) {
                                log.debug("{} {} {}: {}", name, method, shown, a.status());
                            } else {
                                log.info("{} {} {}: {}", name, method, shown, exchange);
                            }
                        });
    }

    /** Stripe's PaymentIntent ids start {@code pi_}; anything else is another provider's. */
    private static boolean isIntent(String reference) {
        return reference != null && reference.startsWith("pi_");
    }

    private ProviderResult notOurs() {
        return ProviderResult.error(
                name, ProviderResult.UNKNOWN_REFERENCE, "Not a Stripe PaymentIntent");
    }

    private void remember(String paymentId, String intent) {
        intentByPaymentId.put(paymentId, intent);
        paymentIdByIntent.put(intent, paymentId);
    }

    /** Stripe takes three-decimal currencies in multiples of ten of the minor unit. */
    static Optional<String> amountRefusal(long amount, String currency) {
        try {
            if (Currency.getInstance(currency.toUpperCase(Locale.ROOT)).getDefaultFractionDigits()
                            == 3
                    && amount % 10 != 0) {
                return Optional.of(
                        "Stripe takes " + currency + " amounts in multiples of 10 minor units");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("Unknown currency " + currency);
        }
        return Optional.empty();
    }

    private static JsonNode error(String body) {
        return parse(body).path("error");
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static Map<String, String> memory() {
        return Collections.synchronizedMap(
                new LinkedHashMap<String, String>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                        return size() > MEMORY;
                    }
                });
    }
}
