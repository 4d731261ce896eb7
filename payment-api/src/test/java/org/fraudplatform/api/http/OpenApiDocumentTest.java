package org.fraudplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.fraudplatform.api.openapi.OpenApiContract;
import org.junit.jupiter.api.Test;

/** The OpenAPI 3.1 description of the API: well formed, complete, and served. */
class OpenApiDocumentTest {

    private final OpenApiContract contract = OpenApiContract.packaged();
    private final JsonNode doc = contract.document();

    /** Every route the API serves, as a method and a concrete path. */
    static final List<String> ROUTES =
            List.of(
                    "POST /v1/payments",
                    "GET /v1/payments",
                    "GET /v1/payments/pay_1",
                    "POST /v1/payments/pay_1/capture",
                    "POST /v1/payments/pay_1/void",
                    "POST /v1/payments/pay_1/refunds",
                    "POST /v1/payments/pay_1/fraud_reports",
                    "GET /v1/payments/pay_1/events",
                    "GET /v1/payments/pay_1/captures",
                    "GET /v1/payments/pay_1/refunds",
                    "GET /v1/payments/pay_1/chargebacks",
                    "GET /v1/reviews",
                    "POST /v1/reviews/pay_1/approve",
                    "POST /v1/reviews/pay_1/reject",
                    "GET /v1/balances",
                    "GET /v1/reconciliation",
                    "POST /v1/reconciliation/resolutions",
                    "POST /v1/webhook_endpoints",
                    "GET /v1/webhook_endpoints",
                    "DELETE /v1/webhook_endpoints/we_1",
                    "GET /v1/webhook_deliveries",
                    "POST /v1/webhook_deliveries/wd_1/resend",
                    "GET /v1/lists",
                    "POST /v1/lists/blocked_ips",
                    "DELETE /v1/lists/blocked_ips/192.0.2.1",
                    "POST /v1/provider-notifications",
                    "POST /v1/provider-webhooks/stripe-eu",
                    "GET /v1/audit",
                    "POST /v1/admin/merchants",
                    "GET /v1/admin/merchants/m_1/keys",
                    "POST /v1/admin/merchants/m_1/keys",
                    "POST /v1/admin/merchants/m_1/keys/rotate",
                    "POST /v1/admin/keys/key_1/revoke",
                    "GET /v1/admin/people",
                    "POST /v1/admin/people",
                    "POST /v1/admin/people/ana/disable",
                    "POST /v1/admin/people/ana/tokens",
                    "POST /v1/admin/tokens/tok_1/revoke",
                    "GET /health",
                    "GET /metrics",
                    "GET /openapi.json");

    @Test
    void shouldBeAnOpenApi31JsonObject() {
        assertThat(doc.isObject()).isTrue();
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isNotBlank();
        assertThat(doc.path("paths").isObject()).isTrue();
        assertThat(doc.path("components").path("schemas").isObject()).isTrue();
    }

    @Test
    void shouldResolveEveryReference() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).hasSizeGreaterThan(100);
        assertThat(refs)
                .allSatisfy(ref -> assertThat(contract.pointer(ref).isMissingNode()).isFalse());
    }

    @Test
    void shouldGiveEveryOperationAUniqueIdResponsesAndTheRequestIdHeader() {
        Set<String> ids = new HashSet<>();
        assertThat(contract.operations())
                .allSatisfy(
                        op -> {
                            assertThat(op.id()).as(op.toString()).isNotBlank();
                            assertThat(ids.add(op.id())).as(op.id() + " is unique").isTrue();
                            JsonNode responses = op.node().path("responses");
                            assertThat(responses.isObject() && !responses.isEmpty())
                                    .as(op + " has responses")
                                    .isTrue();
                            responses
                                    .fields()
                                    .forEachRemaining(
                                            r ->
                                                    assertThat(
                                                                    resolve(r.getValue())
                                                                            .path("headers")
                                                                            .has("Request-Id"))
                                                            .as(op + " " + r.getKey())
                                                            .isTrue());
                        });
    }

    @Test
    void shouldDescribeEveryRouteTheApiServesAndNoOther() {
        Set<String> described = new HashSet<>();
        for (String route : ROUTES) {
            String[] parts = route.split(" ");
            var op = contract.operation(parts[0], parts[1]);
            assertThat(op).as(route).isPresent();
            described.add(op.get().toString());
        }
        assertThat(contract.operations()).extracting(Object::toString).isSubsetOf(described);
        assertThat(contract.operations()).hasSize(ROUTES.size());
    }

    @Test
    void shouldAskForAMerchantKeyExactlyWhereARouteNeedsAScope() {
        assertThat(contract.operations())
                .allSatisfy(
                        op -> {
                            String path = op.path().replaceAll("\\{[^}]+}", "x");
                            boolean scoped =
                                    RouteScopes.required(op.method().toUpperCase(), path)
                                            .isPresent();
                            assertThat(schemes(op.node())).as(op.toString()).isNotNull();
                            assertThat(schemes(op.node()).contains("merchantKey"))
                                    .as(op + " takes a merchant key")
                                    .isEqualTo(scoped);
                        });
        assertThat(schemes(contract.operation("GET", "/v1/audit").orElseThrow().node()))
                .containsExactly("personToken");
        assertThat(schemes(contract.operation("GET", "/health").orElseThrow().node())).isEmpty();
        assertThat(schemes(contract.operation("GET", "/v1/reconciliation").orElseThrow().node()))
                .containsExactlyInAnyOrder("merchantKey", "personToken");
    }

    @Test
    void shouldRequireAnIdempotencyKeyOnPaymentsAndLedgerCommands() {
        List<String> withKey = new ArrayList<>();
        for (var op : contract.operations()) {
            for (JsonNode p : op.node().path("parameters")) {
                if (resolve(p).path("name").asText().equals("Idempotency-Key")) {
                    assertThat(resolve(p).path("required").asBoolean()).isTrue();
                    withKey.add(op.id());
                }
            }
        }
        assertThat(withKey)
                .containsExactlyInAnyOrder(
                        "createPayment",
                        "capturePayment",
                        "voidPayment",
                        "refundPayment",
                        "reportFraud",
                        "approveReview",
                        "rejectReview");
    }

    @Test
    void shouldDescribeBodiesByComponentSchemas() {
        assertThat(contract.operations())
                .allSatisfy(
                        op -> {
                            op.node()
                                    .path("requestBody")
                                    .path("content")
                                    .forEach(
                                            media ->
                                                    assertThat(media.path("schema").has("$ref"))
                                                            .as(op + " request")
                                                            .isTrue());
                            op.node()
                                    .path("responses")
                                    .forEach(
                                            r ->
                                                    resolve(r)
                                                            .path("content")
                                                            .fields()
                                                            .forEachRemaining(
                                                                    media -> {
                                                                        if (media.getKey()
                                                                                .endsWith("json")) {
                                                                            assertThat(
                                                                                            media.getValue()
                                                                                                    .path(
                                                                                                            "schema")
                                                                                                    .has(
                                                                                                            "$ref"))
                                                                                    .as(
                                                                                            op
                                                                                                    + " response")
                                                                                    .isTrue();
                                                                        }
                                                                    }));
                        });
    }

    @Test
    void shouldTellACardPaymentFromAnUnknownPaymentMethodAndNameFieldProblems() {
        Map<String, String> json = Map.of("Request-Id", "r1");
        String payment =
                """
                {"id":"pay_1","object":"payment","status":"captured","amount":2500,"currency":"EUR",
                 "capture_method":"automatic",
                 "payment_method":{"type":"card","card":{"brand":"visa","funding":"credit",
                   "bin":"424242","last4":"4242","fingerprint":"fp_1","exp_month":12,"exp_year":2030}},
                 "risk":{"action":"approve","score":0.0,"reasons":[],"ruleset_version":"v1"},
                 "provider":"simulated-a","created":"2026-03-02T10:00:00Z"}
                """;
        assertThat(
                        contract.checkResponse(
                                "POST", "/v1/payments", 201, json, "application/json", payment))
                .isEmpty();
        assertThat(
                        contract.checkResponse(
                                "POST",
                                "/v1/payments",
                                201,
                                json,
                                "application/json",
                                payment.replace("\"type\":\"card\"", "\"type\":\"cheque\"")))
                .isNotEmpty();
        assertThat(
                        contract.checkResponse(
                                "POST",
                                "/v1/payments",
                                400,
                                json,
                                "application/problem+json",
                                """
                                {"type":"/problems/invalid-request","title":"The request has invalid fields",
                                 "status":400,"detail":"amount: must be greater than 0",
                                 "errors":[{"field":"amount","message":"must be greater than 0"}]}
                                """))
                .isEmpty();
        assertThat(
                        contract.checkResponse(
                                "POST",
                                "/v1/payments",
                                400,
                                Map.of(),
                                "application/problem+json",
                                "{\"title\":\"no type\",\"status\":400}"))
                .hasSize(2);
        assertThat(
                        contract.checkRequest(
                                "POST",
                                "/v1/payments",
                                Map.of("Content-Type", "application/json"),
                                "{\"amount\": 2500, \"currency\": \"EUR\", \"ammount\": 1,"
                                        + " \"payment_method\": {\"type\": \"wallet\", \"wallet\":"
                                        + " {\"provider\": \"paypal\", \"token\": \"t\"}}}"))
                .hasSize(2); // Idempotency-Key missing, ammount unknown
    }

    @Test
    void shouldServeTheDocumentWithoutAKey() throws Exception {
        byte[] packaged;
        try (InputStream in =
                getClass().getClassLoader().getResourceAsStream(HealthResource.OPENAPI_RESOURCE)) {
            packaged = in.readAllBytes();
        }
        try (ApiServer server =
                ApiServer.start(
                        new InetSocketAddress("127.0.0.1", 0),
                        null,
                        2,
                        new ApiServer.Payments() {
                            @Override
                            public CompletableFuture<HttpReply> create(
                                    String merchantId, String idempotencyKey, byte[] body) {
                                throw new UnsupportedOperationException();
                            }

                            @Override
                            public HttpReply get(String merchantId, String paymentId) {
                                throw new UnsupportedOperationException();
                            }
                        },
                        (key, mayQueryDatabase) -> null,
                        Map::of,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        null,
                        null,
                        8,
                        Duration.ZERO)) {
            HttpResponse<byte[]> reply =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + server.address().getPort()
                                                                    + "/openapi.json"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(reply.headers().firstValue("Request-Id")).isPresent();
            assertThat(reply.body()).isEqualTo(packaged);
        }
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? contract.pointer(node.get("$ref").asText()) : node;
    }

    private static List<String> schemes(JsonNode operation) {
        List<String> out = new ArrayList<>();
        operation.path("security").forEach(req -> req.fieldNames().forEachRemaining(out::add));
        return out;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e -> {
                                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                                    refs.add(e.getValue().asText());
                                } else {
                                    collectRefs(e.getValue(), refs);
                                }
                            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}
