package org.fraudplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.fraudplatform.providers.ProviderWebhooks;
import org.fraudplatform.providers.WebhookReceipt;
import org.fraudplatform.providers.http.Secret;
import org.fraudplatform.providers.stripe.StripeSignature;
import org.fraudplatform.providers.stripe.StripeWebhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A provider's signed webhook, over HTTP, into the provider notice path of the ledger. */
class ProviderWebhooksResourceIT {

    private static final String SECRET = "whsec_test_resource";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String DISPUTE =
            "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"charge.dispute.created\","
                    + "\"data\":{\"object\":{\"id\":\"dp_1\",\"object\":\"dispute\","
                    + "\"amount\":4200,\"currency\":\"eur\",\"payment_intent\":\"pi_1\","
                    + "\"reason\":\"fraudulent\",\"status\":\"needs_response\"}}}";

    private final List<String> notices = new CopyOnWriteArrayList<>();
    private volatile int ledgerStatus = 200;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    ProviderWebhooksResourceIT() throws IOException {
        StripeWebhooks stripe =
                new StripeWebhooks(
                        "stripe-eu",
                        Secret.of(SECRET),
                        StripeSignature.TOLERANCE,
                        Clock.fixed(T0, ZoneOffset.UTC),
                        intent ->
                                CompletableFuture.completedFuture(
                                        intent.equals("pi_1")
                                                ? Optional.of("pay_7")
                                                : Optional.empty()));
        ProviderWebhooks receiver =
                new ProviderWebhooks() {
                    @Override
                    public String provider() {
                        return "stripe-eu";
                    }

                    @Override
                    public CompletableFuture<List<WebhookReceipt>> receive(
                            Function<String, String> header, byte[] body) {
                        return stripe.receive(header.apply("Stripe-Signature"), body)
                                .thenApply(List::of);
                    }

                    @Override
                    public void forget(String eventId) {
                        stripe.forget(eventId);
                    }

                    @Override
                    public String acknowledgement() {
                        return "{\"received\":true}";
                    }
                };
        ApiServer.Lifecycle lifecycle =
                (ApiServer.Lifecycle)
                        Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {ApiServer.Lifecycle.class},
                                (proxy, method, args) -> {
                                    if (!method.getName().equals("providerNotice")) {
                                        throw new UnsupportedOperationException(method.getName());
                                    }
                                    notices.add(
                                            args[0]
                                                    + " "
                                                    + new String(
                                                            (byte[]) args[1],
                                                            StandardCharsets.UTF_8));
                                    return CompletableFuture.completedFuture(
                                            HttpReply.json(ledgerStatus, "{}".getBytes()));
                                });
        ProviderWebhooksResource resource =
                new ProviderWebhooksResource(Map.of("stripe-eu", receiver), lifecycle);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    String path = exchange.getRequestURI().getPath();
                    HttpReply reply =
                            resource.owns(path)
                                    ? resource.handle(exchange, exchange.getRequestMethod(), path)
                                            .reply()
                                            .join()
                                    : HttpReply.json(404, "{}".getBytes());
                    exchange.sendResponseHeaders(reply.status(), reply.body().length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(reply.body());
                    }
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void shouldOpenAChargebackInTheLedgerForASignedDispute() throws Exception {
        HttpResponse<String> response = deliver(signed(DISPUTE));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"received\":true}");
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0)).startsWith("webhook:stripe-eu ");
        JsonNode notice =
                Json.MAPPER.readTree(notices.get(0).substring(notices.get(0).indexOf(' ')));
        assertThat(notice.path("type").asText()).isEqualTo("chargeback.opened");
        assertThat(notice.path("payment_id").asText()).isEqualTo("pay_7");
        assertThat(notice.path("chargeback_id").asText()).isEqualTo("dp_1");
        assertThat(notice.path("amount").asLong()).isEqualTo(4_200);
        assertThat(notice.path("reason_code").asText()).isEqualTo("fraudulent");
        assertThat(notice.path("provider").asText()).isEqualTo("stripe-eu");
    }

    @Test
    void shouldRefuseAnUnsignedDeliveryAndTellTheLedgerNothing() throws Exception {
        HttpResponse<String> response = deliver("t=1,v1=00", DISPUTE);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(notices).isEmpty();
    }

    @Test
    void shouldRelayARedeliveredEventOnce() throws Exception {
        String header = signed(DISPUTE);

        deliver(header);
        HttpResponse<String> again = deliver(header);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(notices).hasSize(1);
    }

    @Test
    void shouldAskForTheDeliveryAgainWhenTheLedgerDidNotAnswerAndRelayItThen() throws Exception {
        String header = signed(DISPUTE);
        ledgerStatus = 503;

        HttpResponse<String> first = deliver(header);
        ledgerStatus = 200;
        HttpResponse<String> resent = deliver(header);

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(resent.statusCode()).isEqualTo(200);
        assertThat(notices).hasSize(2);
    }

    @Test
    void shouldNotServeAProviderThatIsNotConfigured() throws Exception {
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(uri("/v1/provider-webhooks/adyen"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
    }

    private static String signed(String payload) {
        return StripeSignature.header(
                T0.getEpochSecond(), payload.getBytes(StandardCharsets.UTF_8), SECRET);
    }

    private HttpResponse<String> deliver(String header) throws Exception {
        return deliver(header, DISPUTE);
    }

    private HttpResponse<String> deliver(String header, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri("/v1/provider-webhooks/stripe-eu"))
                        .header("Stripe-Signature", header)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}
