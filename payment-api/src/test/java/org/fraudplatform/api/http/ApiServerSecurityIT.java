package org.fraudplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.fraudplatform.api.keys.ApiKeys;
import org.fraudplatform.api.keys.Scope;
import org.fraudplatform.api.keys.TestClocks;
import org.fraudplatform.api.merchants.MerchantStore;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys, scopes, rate limits, failed authentications and slow bodies through real HTTP: the real
 * {@link ApiServer} with the real {@link ApiKeys} on a real PostgreSQL; the payment flow behind the
 * routes is a stub that answers 200 with the merchant it was called for.
 */
class ApiServerSecurityIT {

    static final Duration TTL = Duration.ofMillis(300);
    static final String BODY = "{\"amount\": 100}";

    static Database db;
    static final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final TestClocks wallClock = new TestClocks(Instant.now());
    ApiKeys keys;
    ApiServer server;
    URI base;

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
        new MerchantStore(db.dataSource()).createMerchant("shop", "Shop");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @BeforeEach
    void start() throws Exception {
        keys = new ApiKeys(db.dataSource(), wallClock, System::nanoTime, TTL);
        server =
                ApiServer.start(
                        new InetSocketAddress("127.0.0.1", 0),
                        null,
                        2,
                        new StubPayments(),
                        keys::check,
                        Map::of,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        null,
                        null,
                        64,
                        Duration.ZERO);
        server.lifecycle(new StubLifecycle());
        server.webhooks(new StubWebhooks());
        server.reconciliation(new StubReconciliation());
        base = URI.create("http://127.0.0.1:" + server.address().getPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String key(Set<Scope> scopes, Integer rateLimit, Duration expiresIn) {
        return keys.issue("shop", new ApiKeys.NewKey(scopes, rateLimit, expiresIn, null), "test")
                .secret();
    }

    HttpResponse<String> send(String method, String path, String key) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "k-" + System.nanoTime());
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        b.method(
                method,
                method.equals("POST")
                        ? HttpRequest.BodyPublishers.ofString(BODY)
                        : HttpRequest.BodyPublishers.noBody());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    /** Every merchant route, as a request the router serves. */
    static final List<String[]> ROUTES =
            List.of(
                    new String[] {"POST", "/v1/payments"},
                    new String[] {"GET", "/v1/payments"},
                    new String[] {"GET", "/v1/payments/pay_1"},
                    new String[] {"POST", "/v1/payments/pay_1/capture"},
                    new String[] {"POST", "/v1/payments/pay_1/void"},
                    new String[] {"POST", "/v1/payments/pay_1/refunds"},
                    new String[] {"POST", "/v1/payments/pay_1/fraud_reports"},
                    new String[] {"GET", "/v1/payments/pay_1/events"},
                    new String[] {"GET", "/v1/payments/pay_1/refunds"},
                    new String[] {"GET", "/v1/reviews"},
                    new String[] {"POST", "/v1/reviews/pay_1/approve"},
                    new String[] {"POST", "/v1/reviews/pay_1/reject"},
                    new String[] {"GET", "/v1/balances"},
                    new String[] {"GET", "/v1/reconciliation"},
                    new String[] {"GET", "/v1/webhook_endpoints"},
                    new String[] {"POST", "/v1/webhook_endpoints"},
                    new String[] {"DELETE", "/v1/webhook_endpoints/we_1"},
                    new String[] {"GET", "/v1/webhook_deliveries"},
                    new String[] {"POST", "/v1/webhook_deliveries/wd_1/resend"});

    @Test
    void shouldRefuseEveryMerchantRouteWith403NamingItsScopeToAKeyWithoutIt() throws Exception {
        for (String[] route : ROUTES) {
            Scope needed = RouteScopes.required(route[0], route[1]).orElseThrow();
            Set<Scope> others = EnumSet.complementOf(EnumSet.of(needed));

            HttpResponse<String> without = send(route[0], route[1], key(others, null, null));
            HttpResponse<String> with = send(route[0], route[1], key(Set.of(needed), null, null));

            String name = route[0] + " " + route[1];
            assertThat(without.statusCode()).as(name).isEqualTo(403);
            assertThat(without.headers().firstValue("Content-Type"))
                    .hasValue("application/problem+json");
            assertThat(json(without).get("type").asText())
                    .isEqualTo("/problems/insufficient-scope");
            assertThat(json(without).get("detail").asText())
                    .as(name)
                    .contains("needs the scope " + needed.wireName());
            assertThat(without.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("insufficient_scope");
            assertThat(with.statusCode()).as(name).isEqualTo(200);
            assertThat(with.body()).as(name).contains("\"merchant\":\"shop\"");
        }
    }

    @Test
    void shouldAnswer401ToAnExpiredKey() throws Exception {
        String key = key(Scope.all(), null, Duration.ofHours(1));
        assertThat(send("GET", "/v1/balances", key).statusCode()).isEqualTo(200);

        wallClock.advance(Duration.ofHours(1));
        HttpResponse<String> expired = send("GET", "/v1/balances", key);

        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json(expired).get("detail").asText()).contains("expired");
    }

    @Test
    void shouldAnswer401WithinTheCacheTtlToAKeyRevokedElsewhere() throws Exception {
        ApiKeys.Issued issued =
                keys.issue("shop", new ApiKeys.NewKey(Scope.all(), null, null, null), "test");
        assertThat(send("GET", "/v1/balances", issued.secret()).statusCode()).isEqualTo(200);

        // the CLI, or another API instance: the same database, not this server's cache
        new ApiKeys(db.dataSource()).revoke(issued.key().keyId(), "test");
        long revoked = System.nanoTime();
        int status = 200;
        while (status == 200 && System.nanoTime() - revoked < 5_000_000_000L) {
            status = send("GET", "/v1/balances", issued.secret()).statusCode();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - revoked);

        assertThat(status).isEqualTo(401);
        assertThat(took).isLessThan(TTL.plusSeconds(1));
        assertThat(json(send("GET", "/v1/balances", issued.secret())).get("detail").asText())
                .contains("revoked");
    }

    @Test
    void shouldAnswer429WithRetryAfterPastAKeysRateLimit() throws Exception {
        String key = key(Scope.all(), 5, null);

        int ok = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            HttpResponse<String> r = send("GET", "/v1/balances", key);
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                ok++;
            }
        }

        assertThat(ok)
                .as("one second's worth, and what refilled meanwhile")
                .isGreaterThanOrEqualTo(5);
        assertThat(refused).isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValue("application/problem+json");
        assertThat(json(refused).get("type").asText()).isEqualTo("/problems/rate-limited");
    }

    @Test
    void shouldSlowAnAddressDownAfterTooManyFailedAuthenticationsButServeItsValidKeys()
            throws Exception {
        String valid = key(Scope.all(), null, null);
        assertThat(send("GET", "/v1/balances", valid).statusCode()).isEqualTo(200);
        long lookups = keys.databaseLookups();

        int failures = FailedAuthentications.DEFAULT_PER_MINUTE;
        for (int i = 0; i < failures; i++) {
            String guess = "sk_live_guess" + String.format("%027d", i);
            assertThat(send("GET", "/v1/balances", guess).statusCode()).isEqualTo(401);
        }
        send("GET", "/v1/balances", null);
        HttpResponse<String> slowed =
                send("GET", "/v1/balances", "sk_live_another_guess_000000000000000");

        assertThat(slowed.statusCode()).isEqualTo(429);
        assertThat(json(slowed).get("type").asText())
                .isEqualTo("/problems/too-many-failed-authentications");
        assertThat(Long.parseLong(slowed.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 60L);
        assertThat(keys.databaseLookups() - lookups)
                .as("the slowed-down guess reached no database")
                .isEqualTo(failures);
        assertThat(send("GET", "/v1/balances", valid).statusCode())
                .as("a key this instance knows keeps working")
                .isEqualTo(200);
        assertThat(scrape()).contains("http_authentication_failures_total{reason=\"unknown\"");
    }

    @Test
    void shouldAuthenticateThousandsOfRequestsWithOneDatabaseReadPerKeyAndCacheTtl()
            throws Exception {
        String key = key(Scope.all(), null, null);
        long before = keys.databaseLookups();
        long started = System.nanoTime();

        for (int i = 0; i < 500; i++) {
            assertThat(send("GET", "/v1/balances", key).statusCode()).isEqualTo(200);
        }
        long ttls = (System.nanoTime() - started) / TTL.toNanos() + 1;

        assertThat(keys.databaseLookups() - before).isLessThanOrEqualTo(ttls);
    }

    @Test
    void shouldCloseTheConnectionOfABodyThatDoesNotArriveInTimeAndFreeItsThread() throws Exception {
        server.bodyReadTimeout(Duration.ofMillis(500));
        String key = key(Scope.all(), null, null);
        String head =
                "POST /v1/payments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + key
                        + "\r\nContent-Type: application/json\r\nIdempotency-Key: slow\r\n"
                        + "Content-Length: 100\r\n\r\n"
                        + "{\"amount\": 1";
        // as many slow uploads as the server has threads
        try (Socket first = new Socket("127.0.0.1", server.address().getPort());
                Socket second = new Socket("127.0.0.1", server.address().getPort())) {
            long sent = System.nanoTime();
            for (Socket s : List.of(first, second)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }

            assertThat(endOf(first)).isTrue();
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - sent);
            assertThat(endOf(second)).isTrue();

            assertThat(closedAfter).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
        }
        // the threads are free again: an ordinary request is served at once
        assertThat(send("GET", "/v1/balances", key).statusCode()).isEqualTo(200);
        assertThat(scrape()).contains("http_slow_bodies_total");
    }

    /** True when the server closes the connection (end of stream or reset) before 10 s pass. */
    private static boolean endOf(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // a reply would be read here; the server sends none to a body that never came
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException reset) {
            return true;
        }
    }

    private String scrape() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static HttpReply ok(String merchant) {
        return HttpReply.json(
                200, ("{\"merchant\":\"" + merchant + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static final class StubPayments implements ApiServer.Payments {
        @Override
        public CompletableFuture<HttpReply> create(
                String merchantId, String idempotencyKey, byte[] body) {
            return CompletableFuture.completedFuture(ok(merchantId));
        }

        @Override
        public HttpReply get(String merchantId, String paymentId) {
            return ok(merchantId);
        }
    }

    static final class StubLifecycle implements ApiServer.Lifecycle {
        @Override
        public HttpReply get(String merchantId, String paymentId) {
            return ok(merchantId);
        }

        @Override
        public HttpReply events(String merchantId, String paymentId, String kind) {
            return ok(merchantId);
        }

        @Override
        public HttpReply search(String merchantId, Map<String, String> query) {
            return ok(merchantId);
        }

        @Override
        public CompletableFuture<HttpReply> command(
                String merchantId,
                String paymentId,
                String action,
                String idempotencyKey,
                byte[] body) {
            return CompletableFuture.completedFuture(ok(merchantId));
        }

        @Override
        public HttpReply reviews(String merchantId, Map<String, String> query) {
            return ok(merchantId);
        }

        @Override
        public HttpReply balances(String merchantId) {
            return ok(merchantId);
        }

        @Override
        public CompletableFuture<HttpReply> providerNotice(String operator, byte[] body) {
            return CompletableFuture.completedFuture(ok(operator));
        }
    }

    static final class StubWebhooks implements ApiServer.Webhooks {
        @Override
        public HttpReply createEndpoint(String merchantId, byte[] body) {
            return ok(merchantId);
        }

        @Override
        public HttpReply endpoints(String merchantId) {
            return ok(merchantId);
        }

        @Override
        public HttpReply deleteEndpoint(String merchantId, String id) {
            return ok(merchantId);
        }

        @Override
        public HttpReply deliveries(String merchantId, Map<String, String> query) {
            return ok(merchantId);
        }

        @Override
        public HttpReply resend(String merchantId, String deliveryId) {
            return ok(merchantId);
        }
    }

    static final class StubReconciliation implements ApiServer.Reconciliation {
        @Override
        public HttpReply items(String merchantId, Map<String, String> query) {
            return ok(merchantId);
        }

        @Override
        public CompletableFuture<HttpReply> resolve(String operator, byte[] body) {
            return CompletableFuture.completedFuture(ok(operator));
        }
    }
}
