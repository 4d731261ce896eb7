package org.fraudplatform.providers.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.fraudplatform.providers.ProviderNotice;
import org.fraudplatform.providers.WebhookReceipt;
import org.fraudplatform.providers.http.Secret;

/**
 * Stripe's webhook events, verified and turned into provider notices.
 *
 * <p>An event is accepted only with a valid {@link StripeSignature} over the body exactly as
 * received, within the tolerance. Each event id is taken once (the most recent {@value #MEMORY} are
 * remembered; behind that the ledger applies each dispute's step once, by the dispute's id).
 *
 * <table>
 *   <caption>Events and what the ledger hears</caption>
 *   <tr><th>event</th><th>notice</th></tr>
 *   <tr><td>{@code charge.dispute.created}</td><td>{@code chargeback.opened}, id the dispute's,
 *       with its amount and reason ({@code fraudulent}, …)</td></tr>
 *   <tr><td>{@code charge.dispute.closed}, status {@code won} / {@code lost}</td><td>{@code
 *       chargeback.won} / {@code chargeback.lost}</td></tr>
 *   <tr><td>{@code charge.dispute.closed}, status {@code warning_closed}; {@code
 *       charge.dispute.updated}, {@code …funds_withdrawn}, {@code …funds_reinstated}</td><td>none
 *       (an inquiry that became no chargeback; steps the ledger does not model)</td></tr>
 *   <tr><td>{@code payment_intent.succeeded}, {@code …amount_capturable_updated}, {@code
 *       …payment_failed}, {@code …canceled}, {@code charge.captured}, {@code charge.refunded},
 *       {@code charge.refund.updated}</td><td>none: the ledger started these operations and has
 *       their answers; an authorization left {@code UNKNOWN} is resolved by the status query, and
 *       a movement made outside the platform shows in reconciliation</td></tr>
 * </table>
 *
 * The dispute names the PaymentIntent; our payment id is read from its metadata ({@link
 * StripeConnector#paymentIdOf}).
 */
public final class StripeWebhooks {

    static final int MEMORY = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String provider;
    private final Secret secret;
    private final Duration tolerance;
    private final Clock clock;
    private final Function<String, CompletableFuture<Optional<String>>> paymentIdOfIntent;
    private final Map<String, Boolean> seen =
            Collections.synchronizedMap(
                    new LinkedHashMap<>(16, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                            return size() > MEMORY;
                        }
                    });

    /**
     * @param provider the provider instance's name, on the notices
     * @param secret the endpoint's signing secret
     * @param paymentIdOfIntent our payment id of a PaymentIntent ({@link
     *     StripeConnector#paymentIdOf})
     */
    public StripeWebhooks(
            String provider,
            Secret secret,
            Duration tolerance,
            Clock clock,
            Function<String, CompletableFuture<Optional<String>>> paymentIdOfIntent) {
        this.provider = provider;
        this.secret = secret;
        this.tolerance = tolerance;
        this.clock = clock;
        this.paymentIdOfIntent = paymentIdOfIntent;
    }

    /** Webhooks for a connector, with Stripe's tolerance and the system clock. */
    public static StripeWebhooks of(StripeConnector connector, Secret secret) {
        return new StripeWebhooks(
                connector.name(),
                secret,
                StripeSignature.TOLERANCE,
                Clock.systemUTC(),
                connector::paymentIdOf);
    }

    /**
     * One delivery: its {@code Stripe-Signature} header and body. Completes exceptionally only when
     * the PaymentIntent of a dispute could not be read (answer 5xx: Stripe sends it again).
     */
    public CompletableFuture<WebhookReceipt> receive(String signatureHeader, byte[] body) {
        try {
            StripeSignature.verify(
                    signatureHeader, body, secret.reveal(), clock.instant(), tolerance);
        } catch (StripeSignature.Refused e) {
            return done(new WebhookReceipt.Refused(null, e.getMessage()));
        }
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (IOException e) {
            return done(new WebhookReceipt.Refused(null, "the body is not JSON"));
        }
        String id = event.path("id").asText(null);
        String type = event.path("type").asText("");
        if (id == null) {
            return done(new WebhookReceipt.Refused(null, "the event has no id"));
        }
        if (seen.containsKey(id)) {
            return done(new WebhookReceipt.Duplicate(id));
        }
        JsonNode object = event.path("data").path("object");
        String noticeType =
                switch (type) {
                    case "charge.dispute.created" -> ProviderNotice.CHARGEBACK_OPENED;
                    case "charge.dispute.closed" ->
                            switch (object.path("status").asText()) {
                                case "won" -> ProviderNotice.CHARGEBACK_WON;
                                case "lost" -> ProviderNotice.CHARGEBACK_LOST;
                                default -> null;
                            };
                    default -> null;
                };
        if (noticeType == null) {
            seen.put(id, true);
            return done(new WebhookReceipt.Acknowledged(id, type, reasonFor(type, object)));
        }
        String intent = object.path("payment_intent").asText(null);
        if (intent == null) {
            seen.put(id, true);
            return done(
                    new WebhookReceipt.Acknowledged(
                            id, type, "the dispute names no PaymentIntent: not a payment of ours"));
        }
        return paymentIdOfIntent
                .apply(intent)
                .thenApply(
                        paymentId -> {
                            seen.put(id, true);
                            if (paymentId.isEmpty()) {
                                return new WebhookReceipt.Acknowledged(
                                        id, type, "the PaymentIntent is not a payment of ours");
                            }
                            return new WebhookReceipt.Relay(
                                    id,
                                    new ProviderNotice(
                                            noticeType,
                                            paymentId.get(),
                                            object.path("id").asText(),
                                            object.hasNonNull("amount")
                                                    ? object.get("amount").asLong()
                                                    : null,
                                            noticeType.equals(ProviderNotice.CHARGEBACK_OPENED)
                                                    ? object.path("reason").asText("general")
                                                    : null,
                                            provider,
                                            id));
                        });
    }

    /**
     * Forgets an event, so that its next delivery is handled again (the ledger did not take it).
     */
    public void forget(String eventId) {
        seen.remove(eventId);
    }

    private static String reasonFor(String type, JsonNode object) {
        if (type.equals("charge.dispute.closed")) {
            return "a dispute closed " + object.path("status").asText() + " is no chargeback";
        }
        if (type.startsWith("charge.dispute.")) {
            return "a step of a dispute the ledger does not model";
        }
        if (type.startsWith("payment_intent.") || type.startsWith("charge.")) {
            return "the ledger started this operation and has its answer";
        }
        return "an event the platform does not use";
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
