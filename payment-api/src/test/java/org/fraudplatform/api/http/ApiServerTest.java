package org.fraudplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiServerTest {

    @Test
    void shouldAcceptIdempotencyKeysOfOneTo255PrintableCharacters() {
        assertThat(ApiServer.idempotencyKeyProblem("k")).isEmpty();
        assertThat(ApiServer.idempotencyKeyProblem("order-1001_retry:2")).isEmpty();
        assertThat(ApiServer.idempotencyKeyProblem("x".repeat(255))).isEmpty();
    }

    @Test
    void shouldRefuseAMissingEmptyTooLongOrUnprintableIdempotencyKey() {
        assertThat(ApiServer.idempotencyKeyProblem(null))
                .hasValueSatisfying(m -> assertThat(m).contains("required"));
        assertThat(ApiServer.idempotencyKeyProblem("")).isPresent();
        assertThat(ApiServer.idempotencyKeyProblem("x".repeat(256)))
                .hasValueSatisfying(m -> assertThat(m).contains("256"));
        assertThat(ApiServer.idempotencyKeyProblem("has space")).isPresent();
        assertThat(ApiServer.idempotencyKeyProblem("naïve")).isPresent();
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
}
