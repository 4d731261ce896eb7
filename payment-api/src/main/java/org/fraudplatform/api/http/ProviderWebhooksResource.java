package org.fraudplatform.api.http;

import static org.fraudplatform.api.http.Requests.done;
import static org.fraudplatform.api.http.Requests.notAllowed;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.fraudplatform.providers.ProviderWebhooks;
import org.fraudplatform.providers.WebhookReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/provider-webhooks/{provider}}: a configured provider's own webhook deliveries
 * (Stripe's events, Adyen's notifications). No API key: the provider's signature over the body is
 * the authentication ({@link ProviderWebhooks}); a delivery whose every event is refused is
 * answered 400. Each chargeback step becomes the same ledger command as {@code POST
 * /v1/provider-notifications} ({@code provider:<name>}); the provider is answered its expected 2xx
 * body once the ledger answered, or 503 (and the event is taken again when resent) when it did not.
 */
public final class ProviderWebhooksResource implements Resource {

    static final String PREFIX = "/v1/provider-webhooks/";
    private static final Logger log = LoggerFactory.getLogger(ProviderWebhooksResource.class);

    private final Map<String, ProviderWebhooks> receivers;
    private final ApiServer.Lifecycle lifecycle;

    public ProviderWebhooksResource(
            Map<String, ProviderWebhooks> receivers, ApiServer.Lifecycle lifecycle) {
        this.receivers = Map.copyOf(receivers);
        this.lifecycle = lifecycle;
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith(PREFIX) && receivers.containsKey(path.substring(PREFIX.length()));
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        if (!method.equals("POST")) {
            return new Routed("provider.webhooks", done(notAllowed(method)));
        }
        ProviderWebhooks receiver = receivers.get(path.substring(PREFIX.length()));
        byte[] body;
        try {
            body = Requests.body(exchange);
        } catch (IOException e) {
            return new Routed(
                    "provider.webhooks",
                    done(HttpReply.problem(Problem.malformedJson("cannot read the body"))));
        }
        CompletableFuture<HttpReply> reply =
                receiver.receive(name -> exchange.getRequestHeaders().getFirst(name), body)
                        .thenCompose(receipts -> relay(receiver, receipts, 0, false))
                        .exceptionally(
                                failure -> {
                                    log.warn(
                                            "{} webhook not handled: {}",
                                            receiver.provider(),
                                            failure.toString());
                                    return HttpReply.problem(
                                            Problem.unavailable(
                                                    "The delivery could not be handled; send it"
                                                            + " again"));
                                });
        return new Routed("provider.webhooks", reply);
    }

    /** Relays the receipts' notices one after the other, then answers the delivery. */
    private CompletableFuture<HttpReply> relay(
            ProviderWebhooks receiver, List<WebhookReceipt> receipts, int next, boolean retry) {
        if (next >= receipts.size()) {
            if (!receipts.isEmpty()
                    && receipts.stream().allMatch(r -> r instanceof WebhookReceipt.Refused)) {
                log.warn(
                        "{} webhook refused: {}",
                        receiver.provider(),
                        ((WebhookReceipt.Refused) receipts.get(0)).reason());
                return done(
                        HttpReply.problem(
                                Problem.of(
                                        400,
                                        "webhook-refused",
                                        "The delivery is not signed by the provider",
                                        ((WebhookReceipt.Refused) receipts.get(0)).reason())));
            }
            if (retry) {
                return done(
                        HttpReply.problem(
                                Problem.unavailable(
                                        "The ledger did not answer; send the delivery again")));
            }
            return done(HttpReply.text(200, "text/plain", receiver.acknowledgement()));
        }
        WebhookReceipt receipt = receipts.get(next);
        if (!(receipt instanceof WebhookReceipt.Relay relay)) {
            return relay(receiver, receipts, next + 1, retry);
        }
        return lifecycle
                .providerNotice("webhook:" + receiver.provider(), Json.write(relay.notice().body()))
                .thenCompose(
                        answer -> {
                            boolean failed = answer.status() >= 500;
                            if (failed) {
                                receiver.forget(relay.eventId());
                            } else if (answer.status() >= 400) {
                                // not ours, or the ledger refused the step: resending changes
                                // nothing
                                log.warn(
                                        "{} event {} ({}) for payment {} not applied: {}",
                                        receiver.provider(),
                                        relay.eventId(),
                                        relay.notice().type(),
                                        relay.notice().paymentId(),
                                        answer.status());
                            }
                            return relay(receiver, receipts, next + 1, retry || failed);
                        });
    }
}
