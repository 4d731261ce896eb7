package org.fraudplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiServerTest {

    @Test
    void shouldAcceptIdempotencyKeysOfOneTo255PrintableCharacters() {
        assertThat(Requests.idempotencyKeyProblem("k")).isEmpty();
        assertThat(Requests.idempotencyKeyProblem("order-1001_retry:2")).isEmpty();
        assertThat(Requests.idempotencyKeyProblem("x".repeat(255))).isEmpty();
    }

    @Test
    void shouldRefuseAMissingEmptyTooLongOrUnprintableIdempotencyKey() {
        assertThat(Requests.idempotencyKeyProblem(null))
                .hasValueSatisfying(m -> assertThat(m).contains("required"));
        assertThat(Requests.idempotencyKeyProblem("")).isPresent();
        assertThat(Requests.idempotencyKeyProblem("x".repeat(256)))
                .hasValueSatisfying(m -> assertThat(m).contains("256"));
        assertThat(Requests.idempotencyKeyProblem("has space")).isPresent();
        assertThat(Requests.idempotencyKeyProblem("naïve")).isPresent();
    }

    @Test
    void shouldWriteProblemsAsRfc9457Json() {
        HttpReply reply =
                HttpReply.problem(
                        Problem.invalidFields(
                                java.util.List.of(
                                        new Problem.FieldProblem("amount", "must be positive"))));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"type\":\"/problems/invalid-request\",\"title\":\"The request has invalid fields\","
                                + "\"status\":400,\"detail\":\"amount: must be positive\","
                                + "\"errors\":[{\"field\":\"amount\",\"message\":\"must be positive\"}]}");
    }

    @Test
    void shouldRefuseANulCharacterInThePathQueryJsonOrFormButNotAnEscapedBackslash() {
        byte[] none = new byte[0];
        String json = "application/json";
        String form = "application/x-www-form-urlencoded";

        assertThat(ApiServer.carriesNul("/v1/payments/pay\0", null, none, json)).isTrue();
        assertThat(ApiServer.carriesNul("/v1/payments", "customer=a\0", none, json)).isTrue();
        assertThat(ApiServer.carriesNul("/v1/payments", null, bytes("{\"a\":\"x\\u0000\"}"), json))
                .isTrue();
        assertThat(ApiServer.carriesNul("/v1/payments", null, new byte[] {'{', 0, '}'}, json))
                .isTrue();
        assertThat(ApiServer.carriesNul("/console/lists", null, bytes("note=a%00b"), form))
                .isTrue();

        assertThat(ApiServer.carriesNul("/v1/payments", "limit=10", bytes("{\"a\":1}"), json))
                .isFalse();
        assertThat(
                        ApiServer.carriesNul(
                                "/v1/payments", null, bytes("{\"a\":\"C:\\\\u0000\"}"), json))
                .as("an escaped backslash followed by the letters u0000")
                .isFalse();
        assertThat(ApiServer.carriesNul("/v1/payments", null, bytes("{\"r\":\"100%00\"}"), json))
                .as("%00 is only an escape in a form")
                .isFalse();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
