package org.fraudplatform.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.fraudplatform.api.http.HttpReply;
import org.fraudplatform.api.http.Json;
import org.junit.jupiter.api.Test;

/**
 * The checks a command's body passes before anything happens. The service has no ledger, no
 * idempotency store and no history here: a refused command must not touch any of them.
 */
class LifecycleServiceTest {

    private static final String REFUSAL =
            "must not contain a card number (13 to 19 digits that pass the Luhn check)";

    private final LifecycleService lifecycle =
            new LifecycleService(
                    null,
                    null,
                    null,
                    null,
                    Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC),
                    Runnable::run,
                    Duration.ofSeconds(1));

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode problem(HttpReply reply) throws Exception {
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        return Json.MAPPER.readTree(reply.body());
    }

    @Test
    void shouldRefuseACardNumberInARefundReasonNamingTheField() throws Exception {
        HttpReply reply =
                lifecycle
                        .command(
                                "shop",
                                "pay_1",
                                "refunds",
                                "refund-1",
                                body("{\"amount\": 500, \"reason\": \"card 4111 1111 1111 1111\"}"))
                        .get();

        JsonNode problem = problem(reply);
        assertThat(problem.at("/errors/0/field").asText()).isEqualTo("reason");
        assertThat(problem.at("/errors/0/message").asText()).isEqualTo(REFUSAL);
        assertThat(problem.get("errors")).hasSize(1);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).doesNotContain("4111");
    }

    @Test
    void shouldRefuseACardNumberInAFraudReportsReason() throws Exception {
        JsonNode problem =
                problem(
                        lifecycle
                                .command(
                                        "shop",
                                        "pay_1",
                                        "fraud_reports",
                                        "report-1",
                                        body("{\"reason\": \"stolen: 5555.5555.5555.4444\"}"))
                                .get());

        assertThat(problem.at("/errors/0/field").asText()).isEqualTo("reason");
    }

    @Test
    void shouldRefuseACardNumberInAReviewDecisionsReasonAndAnalystNamingBoth() throws Exception {
        JsonNode problem =
                problem(
                        lifecycle
                                .command(
                                        "shop",
                                        "pay_1",
                                        "approve",
                                        "review-1",
                                        body(
                                                "{\"reason\": \"holder confirmed 4242424242424242\","
                                                        + " \"analyst\": \"ana_4000056655665556\"}"))
                                .get());

        assertThat(problem.get("errors").findValuesAsText("field"))
                .containsExactly("reason", "analyst");
    }

    @Test
    void shouldRefuseACardNumberInAProviderNoticesReasonCode() throws Exception {
        JsonNode problem =
                problem(
                        lifecycle
                                .providerNotice(
                                        "person:root",
                                        body(
                                                "{\"type\": \"chargeback.opened\", \"payment_id\":"
                                                        + " \"pay_1\", \"chargeback_id\": \"cb_1\","
                                                        + " \"reason_code\": \"10.4 card"
                                                        + " 4111111111111111\", \"provider\":"
                                                        + " \"simulated-a\"}"))
                                .get());

        assertThat(problem.get("errors").findValuesAsText("field")).containsExactly("reason_code");
    }
}
