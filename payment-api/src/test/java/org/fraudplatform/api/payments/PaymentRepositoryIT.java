package org.fraudplatform.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.fraudplatform.api.idempotency.IdempotencyStore;
import org.fraudplatform.api.idempotency.IdempotencyStore.Replay;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PaymentRepositoryIT {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static Database db;
    private static IdempotencyStore keys;
    private static PaymentRepository payments;

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
        keys = new IdempotencyStore(db.dataSource(), Duration.ofHours(24));
        payments = new PaymentRepository(db.dataSource());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static PaymentRepository.Row row(String id, String status, String body) {
        return new PaymentRepository.Row(
                id,
                "m1",
                status,
                1_000,
                "EUR",
                "tok_1",
                "fp_1",
                body.getBytes(StandardCharsets.UTF_8),
                T0);
    }

    @Test
    void shouldStoreTheOutcomeAndTheReplyOfItsKeyTogether() {
        keys.reserve("m1", "key-1", "hash-a", "pay_1", T0);

        payments.record(
                row("pay_1", "authorized", "{\"status\":\"authorized\"}"), false, "key-1", 201);

        assertThat(payments.find("m1", "pay_1"))
                .hasValueSatisfying(
                        b ->
                                assertThat(new String(b, StandardCharsets.UTF_8))
                                        .isEqualTo("{\"status\":\"authorized\"}"));
        assertThat(keys.reserve("m1", "key-1", "hash-a", "pay_other", T0.plusSeconds(1)))
                .isInstanceOfSatisfying(
                        Replay.class,
                        r -> {
                            assertThat(r.status()).isEqualTo(201);
                            assertThat(new String(r.body(), StandardCharsets.UTF_8))
                                    .isEqualTo("{\"status\":\"authorized\"}");
                        });
    }

    @Test
    void shouldNeverLetAProvisionalStateOverwriteAnOutcome() {
        payments.record(row("pay_2", "captured", "{\"status\":\"captured\"}"), false, null, 201);

        payments.record(row("pay_2", "pending", "{\"status\":\"pending\"}"), true, null, 201);

        assertThat(payments.find("m1", "pay_2"))
                .hasValueSatisfying(
                        b ->
                                assertThat(new String(b, StandardCharsets.UTF_8))
                                        .isEqualTo("{\"status\":\"captured\"}"));
    }

    @Test
    void shouldLetAnOutcomeReplaceTheProvisionalState() {
        payments.record(row("pay_3", "pending", "{\"status\":\"pending\"}"), true, null, 201);

        payments.record(row("pay_3", "declined", "{\"status\":\"declined\"}"), false, null, 201);

        assertThat(payments.find("m1", "pay_3"))
                .hasValueSatisfying(
                        b ->
                                assertThat(new String(b, StandardCharsets.UTF_8))
                                        .isEqualTo("{\"status\":\"declined\"}"));
    }
}
