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
}
