package org.fraudplatform.api.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fraudplatform.api.idempotency.IdempotencyStore.Abandoned;
import org.fraudplatform.api.idempotency.IdempotencyStore.InFlight;
import org.fraudplatform.api.idempotency.IdempotencyStore.Mismatch;
import org.fraudplatform.api.idempotency.IdempotencyStore.Replay;
import org.fraudplatform.api.idempotency.IdempotencyStore.Reservation;
import org.fraudplatform.api.idempotency.IdempotencyStore.Reserved;
import org.fraudplatform.api.payments.ContactAlongside;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.encryption.FieldCipher;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.workers.notifications.Contact;
import org.fraudplatform.workers.notifications.ContactStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotencyStoreIT {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static Database db;
    private static IdempotencyStore store;

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
        store = new IdempotencyStore(db.dataSource(), Duration.ofHours(24));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void shouldLetTheFirstRequestExecuteAndReplayItsReplyByteForByte() {
        byte[] reply =
                "{\"id\":\"pay_1\",\"status\":\"captured\"}".getBytes(StandardCharsets.UTF_8);

        Reservation first = store.reserve("m1", "key-1", "hash-a", T0);
        store.complete("m1", "key-1", 201, reply);
        Reservation again = store.reserve("m1", "key-1", "hash-a", T0.plusSeconds(5));

        assertThat(first).isInstanceOf(Reserved.class);
        assertThat(again).isInstanceOf(Replay.class);
        assertThat(((Replay) again).status()).isEqualTo(201);
        assertThat(((Replay) again).body()).isEqualTo(reply);
    }

    @Test
    void shouldRefuseTheSameKeyWithADifferentRequest() {
        store.reserve("m1", "key-2", "hash-a", T0);
        store.complete("m1", "key-2", 201, new byte[] {1});

        assertThat(store.reserve("m1", "key-2", "hash-b", T0)).isInstanceOf(Mismatch.class);
    }

    @Test
    void shouldReportAKeyInFlightWhileTheFirstRequestRuns() {
        store.reserve("m1", "key-3", "hash-a", T0);

        assertThat(store.reserve("m1", "key-3", "hash-a", T0)).isInstanceOf(InFlight.class);
    }

    @Test
    void shouldReportAKeyAbandonedWithItsPaymentOnceTheLeaseRanOut() {
        store.reserve("m1", "key-7", "hash-a", "pay_dead", T0);
        Instant afterLease = T0.plus(IdempotencyStore.DEFAULT_LEASE).plusSeconds(1);

        assertThat(store.reserve("m1", "key-7", "hash-a", "pay_new", T0.plusSeconds(29)))
                .isInstanceOf(InFlight.class);
        assertThat(store.reserve("m1", "key-7", "hash-a", "pay_new", afterLease))
                .isEqualTo(new Abandoned("pay_dead"));
        // the same key with another request stays a mismatch, abandoned or not
        assertThat(store.reserve("m1", "key-7", "hash-b", "pay_new", afterLease))
                .isInstanceOf(Mismatch.class);
    }

    @Test
    void shouldLetOneRetryTakeAnAbandonedKeyOverUnderANewLease() {
        store.reserve("m1", "key-8", "hash-a", "pay_dead", T0);
        Instant afterLease = T0.plus(IdempotencyStore.DEFAULT_LEASE).plusSeconds(1);

        assertThat(store.takeOver("m1", "key-8", "pay_dead", "pay_b", afterLease)).isTrue();
        assertThat(store.takeOver("m1", "key-8", "pay_dead", "pay_c", afterLease)).isFalse();
        assertThat(store.reserve("m1", "key-8", "hash-a", "pay_d", afterLease.plusSeconds(1)))
                .isInstanceOf(InFlight.class);
        assertThat(
                        store.reserve(
                                "m1",
                                "key-8",
                                "hash-a",
                                "pay_d",
                                afterLease.plus(IdempotencyStore.DEFAULT_LEASE).plusSeconds(1)))
                .isEqualTo(new Abandoned("pay_b"));
    }

    @Test
    void shouldReportAKeyItsHolderGaveUpOnAsAbandonedAtOnce() {
        store.reserve("m1", "key-10", "hash-a", "pay_unsure", T0);
        store.abandon("m1", "key-10");

        assertThat(store.reserve("m1", "key-10", "hash-a", "pay_new", T0.plusSeconds(1)))
                .isEqualTo(new Abandoned("pay_unsure"));
    }

    @Test
    void shouldNeverTakeOverAKeyWhoseHolderStillHasItsLease() {
        store.reserve("m1", "key-9", "hash-a", "pay_alive", T0);

        assertThat(store.takeOver("m1", "key-9", "pay_alive", "pay_b", T0.plusSeconds(5)))
                .isFalse();
    }

    @Test
    void shouldScopeKeysToTheMerchant() {
        store.reserve("m1", "key-4", "hash-a", T0);

        assertThat(store.reserve("m2", "key-4", "hash-b", T0)).isInstanceOf(Reserved.class);
    }

    @Test
    void shouldFreeAReleasedKeyForARetry() {
        store.reserve("m1", "key-5", "hash-a", T0);
        store.release("m1", "key-5");

        assertThat(store.reserve("m1", "key-5", "hash-a", T0)).isInstanceOf(Reserved.class);
    }

    @Test
    void shouldForgetAKeyAfterItsRetention() {
        store.reserve("m1", "key-6", "hash-a", T0);
        store.complete("m1", "key-6", 201, new byte[] {1});

        Instant later = T0.plus(Duration.ofHours(25));
        assertThat(store.reserve("m1", "key-6", "hash-b", later)).isInstanceOf(Reserved.class);
    }

    @Test
    void shouldPurgeExpiredKeys() {
        store.reserve("m9", "old", "hash-a", T0.minus(Duration.ofDays(3)));

        assertThat(store.purgeExpired(T0)).isGreaterThanOrEqualTo(1);
        assertThat(store.reserve("m9", "old", "hash-b", T0)).isInstanceOf(Reserved.class);
    }

    @Test
    void shouldLetExactlyOneOfManyConcurrentRequestsWithOneKeyExecute() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Reservation>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attempts.add(() -> store.reserve("m1", "race", "hash-a", T0));
            }
            List<Reservation> results = new ArrayList<>();
            for (Future<Reservation> f : pool.invokeAll(attempts)) {
                results.add(f.get());
            }

            assertThat(results).filteredOn(r -> r instanceof Reserved).hasSize(1);
            assertThat(results).filteredOn(r -> r instanceof InFlight).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldKeepTheWriteAlongsideAReservationOnlyWhenTheKeyIsReservedNow() {
        ContactStore contacts =
                new ContactStore(
                        db.dataSource(), FieldCipher.inDatabase(db.dataSource(), new byte[32]));
        Contact first = new Contact("first@example.com", null, "dev-1", "en");
        Contact second = new Contact("second@example.com", null, "dev-2", "en");

        Reservation reserved =
                store.reserve(
                        "m1",
                        "key-contact",
                        "hash-a",
                        "pay_first",
                        T0,
                        ContactAlongside.of(contacts, "m1", first, T0));
        Reservation inFlight =
                store.reserve(
                        "m1",
                        "key-contact",
                        "hash-a",
                        "pay_second",
                        T0,
                        ContactAlongside.of(contacts, "m1", second, T0));

        assertThat(reserved).isInstanceOf(Reserved.class);
        assertThat(inFlight).isInstanceOf(InFlight.class);
        assertThat(contacts.find("pay_first")).contains(new ContactStore.Stored("m1", first));
        assertThat(contacts.find("pay_second")).isEmpty();
    }

    @Test
    void shouldReserveWithNothingAlongsideWhenThereIsNothingToKeep() {
        ContactStore contacts =
                new ContactStore(
                        db.dataSource(), FieldCipher.inDatabase(db.dataSource(), new byte[32]));

        Reservation reserved =
                store.reserve(
                        "m1",
                        "key-no-contact",
                        "hash-a",
                        "pay_quiet",
                        T0,
                        ContactAlongside.of(
                                contacts, "m1", new Contact(null, null, null, null), T0));

        assertThat(reserved).isInstanceOf(Reserved.class);
        assertThat(contacts.find("pay_quiet")).isEmpty();
    }
}
