package org.fraudplatform.providers.adyen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.fraudplatform.providers.AuthorizationCall;
import org.fraudplatform.providers.PaymentProvider;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.providers.ProviderResult.Outcome;
import org.fraudplatform.providers.http.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PaymentProvider} that speaks Adyen's Checkout API.
 *
 * <ul>
 *   <li><b>Authorize</b>: {@code POST /payments} with the {@code merchantAccount}, our payment id
 *       as {@code reference}, the amount, {@code shopperInteraction=Ecommerce} and, for manual
 *       capture, {@code additionalData.manualCapture=true}. The payment method is a card ({@code
 *       scheme} with number and expiry; Adyen takes raw card numbers only from accounts with raw
 *       card data permission) or the {@code paymentMethod} object of Adyen's client-side components
 *       (its encrypted fields), given as a wallet token of provider {@code adyen}.
 *   <li><b>Capture</b>, <b>void</b>, <b>refund</b>: {@code POST /payments/{pspReference}/captures},
 *       {@code …/cancels}, {@code …/refunds}, our operation id as their {@code reference}. Adyen
 *       accepts them ({@code status: received}) and reports their end in a notification; accepted
 *       is {@code APPROVED} here.
 *   <li>{@code Idempotency-Key} is the payment id, or {@code <pspReference>:<kind>:<operation id>},
 *       so a repeated call is answered with Adyen's first answer and never charges twice.
 * </ul>
 *
 * <p>Outcomes: {@code resultCode} {@code Authorised} is {@code APPROVED} with the {@code
 * pspReference}; {@code Refused} is {@code DECLINED} with our code for the {@code
 * refusalReasonCode} ({@code 12} → {@code insufficient_funds}, …, else {@code
 * adyen_<refusalReasonCode>}) and Adyen's {@code refusalReason}; {@code Error} is an {@code ERROR};
 * {@code Cancelled} is {@code DECLINED cancelled}; {@code Pending} and {@code Received} are {@code
 * PENDING}; a result that needs the shopper ({@code RedirectShopper}, {@code ChallengeShopper}, …)
 * is {@code DECLINED authentication_required}, as no shopper is present. An error body ({@code
 * status}, {@code errorCode}, {@code message}, {@code errorType}) is an {@code ERROR} with the
 * {@code errorCode}, except 401, 403 and 429 and a connection that never opened ({@code
 * provider_unavailable}: Adyen did nothing), and a 5xx, a read timeout, a lost connection or a
 * request still in progress under the key ({@code UNKNOWN}).
 *
 * <p><b>Status</b>: Adyen's Checkout API cannot look a payment up by our reference. The connector
 * answers from what it learnt, from an answer or from the payment's {@code AUTHORISATION}
 * notification ({@link #learn}); until then a status is {@code UNKNOWN}.
 */
public final class AdyenConnector implements PaymentProvider {

    private static final Logger log = LoggerFactory.getLogger(AdyenConnector.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PSP_REFERENCE = Pattern.compile("[A-Z0-9]{16}");
    private static final int MEMORY = 100_000;

    /** Our codes for Adyen's refusal reason codes (Adyen's "Refusal reasons" page). */
    static final Map<String, String> REFUSALS =
            Map.ofEntries(
                    Map.entry("2", "generic_decline"),
                    Map.entry("3", "call_issuer"),
                    Map.entry("5", "blocked_card"),
                    Map.entry("6", "expired_card"),
                    Map.entry("7", "invalid_amount"),
                    Map.entry("8", "invalid_number"),
                    Map.entry("9", "issuer_not_available"),
                    Map.entry("10", "card_not_supported"),
                    Map.entry("11", "authentication_required"),
                    Map.entry("12", "insufficient_funds"),
                    Map.entry("14", "fraudulent"),
                    Map.entry("20", "fraudulent"),
                    Map.entry("24", "incorrect_cvc"),
                    Map.entry("25", "restricted_card"),
                    Map.entry("28", "withdrawal_count_limit_exceeded"),
                    Map.entry("31", "fraudulent"));

    private final AdyenSettings settings;
    private final String name;
    private final HttpClient http;
    private final Map<String, ProviderResult> outcomes =
            Collections.synchronizedMap(
                    new LinkedHashMap<>(16, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(
                                Map.Entry<String, ProviderResult> eldest) {
                            return size() > MEMORY;
                        }
                    });

    public AdyenConnector(AdyenSettings settings) {
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
        return java.util.Map.of(name, "adyen");
    }

    @Override
    public CompletableFuture<ProviderResult> authorize(AuthorizationCall call) {
        ObjectNode body = JSON.createObjectNode();
        body.put("merchantAccount", settings.merchantAccount());
        body.put("reference", call.paymentId());
        body.set("amount", amount(call.amount(), call.currency()));
        body.put("shopperInteraction", "Ecommerce");
        if (settings.manualCapture()) {
            body.putObject("additionalData").put("manualCapture", "true");
        }
        if (call.method() instanceof AuthorizationCall.CardMethod card) {
            ObjectNode method = body.putObject("paymentMethod");
            method.put("type", "scheme");
            method.put("number", card.number());
            method.put("expiryMonth", String.format(Locale.ROOT, "%02d", card.expMonth()));
            method.put("expiryYear", Integer.toString(card.expYear()));
        } else if (call.method() instanceof AuthorizationCall.ProviderTokenMethod token
                && token.provider().equals(name)) {
            JsonNode method;
            try {
                method = JSON.readTree(token.token());
            } catch (IOException e) {
                method = null;
            }
            if (method == null || !method.isObject() || !method.has("type")) {
                return done(
                        ProviderResult.error(
                                name,
                                "invalid_payment_method",
                                "An Adyen token is the paymentMethod object of Adyen's"
                                        + " client-side components"));
            }
            body.set("paymentMethod", method);
        } else {
            return done(
                    ProviderResult.error(
                            name,
                            "method_not_supported",
                            "This connector authorizes cards and its own Adyen payment methods only"));
        }
        return post("/payments", body, call.paymentId())
                .thenApply(
                        exchange -> {
                            ProviderResult result = answer(exchange, this::authorization);
                            if (result.outcome() != Outcome.UNKNOWN && !result.isUnavailable()) {
                                outcomes.put(call.paymentId(), result);
                            }
                            return result;
                        });
    }

    @Override
    public CompletableFuture<ProviderResult> capture(
            String authorizationReference, long amount, String currency, String operationId) {
        ObjectNode body = modification(operationId);
        body.set("amount", amount(amount, currency));
        return modify(authorizationReference, "captures", body, operationId);
    }

    @Override
    public CompletableFuture<ProviderResult> voidAuthorization(
            String authorizationReference, String operationId) {
        return modify(authorizationReference, "cancels", modification(operationId), operationId);
    }

    @Override
    public CompletableFuture<ProviderResult> refund(
            String authorizationReference, long amount, String currency, String operationId) {
        ObjectNode body = modification(operationId);
        body.set("amount", amount(amount, currency));
        return modify(authorizationReference, "refunds", body, operationId);
    }

    @Override
    public CompletableFuture<ProviderResult> status(String paymentId) {
        ProviderResult known = outcomes.get(paymentId);
        return done(
                known != null
                        ? known
                        : ProviderResult.unknown(
                                name,
                                "Adyen has not told the outcome yet; its AUTHORISATION"
                                        + " notification will"));
    }

    /**
     * Adyen's technical cancel ({@code POST /cancels} by {@code paymentReference}, our payment id):
     * cancels the authorization made under the payment id if there is one, and does nothing
     * otherwise, so a payment whose answer was lost can be failed with nothing charged. Adyen takes
     * it asynchronously ({@code received}) and notifies {@code TECHNICAL_CANCEL}.
     */
    @Override
    public CompletableFuture<ProviderResult> cancelUnknown(String paymentId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("merchantAccount", settings.merchantAccount());
        body.put("paymentReference", paymentId);
        body.put("reference", paymentId + ":technical-cancel");
        return post("/cancels", body, paymentId + ":technical-cancel")
                .thenApply(
                        exchange ->
                                answer(
                                        exchange,
                                        json ->
                                                "received".equals(json.path("status").asText())
                                                        ? ProviderResult.approved(
                                                                name,
                                                                json.path("pspReference")
                                                                        .asText(null))
                                                        : ProviderResult.error(
                                                                name,
                                                                "not_received",
                                                                "Adyen answered "
                                                                        + json.path("status")
                                                                                .asText())));
    }

    /**
     * What an {@code AUTHORISATION} notification said of a payment: the status query answers from
     * it.
     */
    public void learn(String paymentId, boolean authorised, String pspReference, String reason) {
        outcomes.put(
                paymentId,
                authorised
                        ? ProviderResult.approved(name, pspReference)
                        : ProviderResult.declined(name, pspReference, "refused", reason));
    }

    private CompletableFuture<ProviderResult> modify(
            String reference, String kind, ObjectNode body, String operationId) {
        if (reference == null || !PSP_REFERENCE.matcher(reference).matches()) {
            // not an Adyen pspReference (16 characters): another provider's authorization
            return done(
                    ProviderResult.error(
                            name, ProviderResult.UNKNOWN_REFERENCE, "Not an Adyen pspReference"));
        }
        return post(
                        "/payments/" + reference + "/" + kind,
                        body,
                        reference + ":" + kind + ":" + operationId)
                .thenApply(
                        exchange ->
                                answer(
                                        exchange,
                                        json ->
                                                "received".equals(json.path("status").asText())
                                                        ? ProviderResult.approved(
                                                                name,
                                                                json.path("pspReference")
                                                                        .asText(null))
                                                        : ProviderResult.error(
                                                                name,
                                                                "not_received",
                                                                "Adyen answered "
                                                                        + json.path("status")
                                                                                .asText())));
    }

    private ObjectNode modification(String operationId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("merchantAccount", settings.merchantAccount());
        body.put("reference", operationId);
        return body;
    }

    private ProviderResult authorization(JsonNode json) {
        String psp = json.path("pspReference").asText(null);
        String code = json.path("refusalReasonCode").asText("");
        String reason = json.path("refusalReason").asText(null);
        return switch (json.path("resultCode").asText()) {
            case "Authorised" -> ProviderResult.approved(name, psp);
            case "Refused" ->
                    ProviderResult.declined(
                            name,
                            psp,
                            REFUSALS.getOrDefault(code, "adyen_" + (code.isEmpty() ? "0" : code)),
                            reason);
            case "Cancelled" -> ProviderResult.declined(name, psp, "cancelled", reason);
            case "Error" ->
                    new ProviderResult(
                            Outcome.ERROR,
                            name,
                            psp,
                            "processing_error",
                            reason == null ? "Adyen could not process the payment" : reason);
            case "Pending", "Received" -> ProviderResult.pending(name, psp);
            case "RedirectShopper",
                    "IdentifyShopper",
                    "ChallengeShopper",
                    "PresentToShopper",
                    "AuthenticationNotRequired",
                    "AuthenticationFinished" ->
                    ProviderResult.declined(
                            name,
                            psp,
                            "authentication_required",
                            "Adyen needs the shopper: " + json.path("resultCode").asText());
            default ->
                    ProviderResult.unknown(
                            name, "Adyen answered resultCode " + json.path("resultCode").asText());
        };
    }

    private ProviderResult answer(
            Exchange exchange, java.util.function.Function<JsonNode, ProviderResult> ok) {
        if (exchange instanceof Exchange.NotSent n) {
            return ProviderResult.unavailable(name, "Adyen could not be reached: " + n.reason());
        }
        if (exchange instanceof Exchange.Unanswered u) {
            return ProviderResult.unknown(name, "Adyen did not answer: " + u.reason());
        }
        Exchange.Answered a = (Exchange.Answered) exchange;
        JsonNode json = parse(a.body());
        int status = a.status();
        if (status >= 200 && status < 300) {
            return ok.apply(json);
        }
        String errorCode = json.path("errorCode").asText(null);
        String message = json.path("message").asText("Adyen answered " + status);
        if (status >= 500) {
            return ProviderResult.unknown(
                    name, "Adyen answered " + status + ": the request may have been applied");
        }
        if (status == 409 || "704".equals(errorCode)) {
            return ProviderResult.unknown(
                    name, "Adyen holds another request under this key: " + message);
        }
        if (status == 401 || status == 403 || status == 429) {
            return ProviderResult.unavailable(
                    name, "Adyen refused the request (" + status + "): " + message);
        }
        if ("167".equals(errorCode)) {
            return ProviderResult.error(name, ProviderResult.UNKNOWN_REFERENCE, message);
        }
        return ProviderResult.error(
                name,
                errorCode != null ? errorCode : json.path("errorType").asText("error"),
                message);
    }

    private CompletableFuture<Exchange> post(String path, ObjectNode body, String key) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(settings.baseUri() + path))
                        .timeout(settings.callTimeout())
                        .header("X-API-Key", settings.apiKey().reveal())
                        .header("Idempotency-Key", key)
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build();
        String shown = path.replaceAll("/payments/[^/]+/", "/payments/{pspReference}/");
        return Exchange.send(http, request)
                .whenComplete(
                        (exchange, failure) -> {
                            if (exchange instanceof Exchange.Answered a) {
                                log.debug("{} POST {}: {}", name, shown, a.status());
                            } else {
                                log.info("{} POST {}: {}", name, shown, exchange);
                            }
                        });
    }

    private static ObjectNode amount(long value, String currency) {
        ObjectNode amount = JSON.createObjectNode();
        amount.put("currency", currency.toUpperCase(Locale.ROOT));
        amount.put("value", value);
        return amount;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
