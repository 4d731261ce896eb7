package org.fraudplatform.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.history.Snapshots.TOPIC;
import static org.fraudplatform.history.Snapshots.payment;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.projection.Projector;
import org.fraudplatform.database.projection.Quarantine;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The projector over an in-memory log that behaves like the topic (no broker needed). */
class HistoryProjectionIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private Database db;
    private PaymentHistory history;
    private SnapshotLog log;
    private final MockProducer<byte[], DeadLetter> deadLetters =
            new MockProducer<>(true, null, new ByteArraySerializer(), (t, v) -> new byte[0]);
    private final Quarantine quarantine =
            new Quarantine(deadLetters, "payments.dlq", java.time.Clock.systemUTC());

    @BeforeEach
    void setUp() {
        db = TestDatabase.fresh();
        history = new PaymentHistory(db.dataSource());
        log = new SnapshotLog(TOPIC, 3);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void shouldApplyEverySnapshotAndReportWhenCaughtUp() throws Exception {
        Snapshots a = payment("pay_a", "m1");
        Snapshots b = payment("pay_b", "m1");
        log.append(0, a.event(PaymentEventType.AUTHORIZED, 1000).snapshot());
        log.append(1, b.event(PaymentEventType.AUTHORIZED, 200).snapshot());
        for (int i = 0; i < 5; i++) {
            log.append(0, a.event(PaymentEventType.CAPTURED, 100).snapshot());
        }

        try (Projector<PaymentSnapshot> projector = projector(db.dataSource())) {
            projector.start();

            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            assertThat(history.find("m1", "pay_a").orElseThrow().captured()).isEqualTo(500);
            assertThat(history.find("m1", "pay_a").orElseThrow().events()).hasSize(6);
            assertThat(history.find("m1", "pay_b")).isPresent();
            assertThat(projector.appliedRecords()).isEqualTo(7);
            assertThat(projector.isReady()).isTrue();
            assertThat(projector.lag()).isZero();
            assertThat(projector.caughtUp()).isTrue();

            // read your writes: wait, then the newest snapshot is there
            log.append(1, b.event(PaymentEventType.CAPTURED, 200).snapshot());
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            assertThat(history.find("m1", "pay_b").orElseThrow().status()).isEqualTo("captured");
        }
        assertThat(new HistoryWriter(db.dataSource()).storedOffsets())
                .isEqualTo(Map.of(tp(0), 6L, tp(1), 2L));
    }

    @Test
    void shouldResumeAfterARestartFromTheStoredOffsetsWithoutRepeating() throws Exception {
        Snapshots a = payment("pay_a", "m1");
        log.append(2, a.event(PaymentEventType.AUTHORIZED, 1000).snapshot());
        log.append(2, a.event(PaymentEventType.CAPTURED, 1000).snapshot());
        try (Projector<PaymentSnapshot> first = projector(db.dataSource())) {
            first.start();
            assertThat(first.awaitCaughtUp(WAIT)).isTrue();
        }

        log.append(2, a.event(PaymentEventType.REFUNDED, 300).snapshot());
        log.append(0, payment("pay_c", "m1").event(PaymentEventType.AUTHORIZED, 5).snapshot());
        try (Projector<PaymentSnapshot> second = projector(db.dataSource())) {
            second.start();

            assertThat(second.awaitCaughtUp(WAIT)).isTrue();
            assertThat(second.appliedRecords()).isEqualTo(2);
        }
        PaymentRecord stored = history.find("m1", "pay_a").orElseThrow();
        assertThat(stored.refunded()).isEqualTo(300);
        assertThat(stored.events()).hasSize(3);
        assertThat(history.find("m1", "pay_c")).isPresent();
    }

    @Test
    void shouldRetryABatchTheDatabaseFailedUntilItIsApplied() throws Exception {
        AtomicInteger failures = new AtomicInteger(3);
        DataSource faulty =
                FaultyDataSource.failing(db.dataSource(), "INSERT INTO payment_events", failures);
        Snapshots a = payment("pay_a", "m1");
        for (int i = 0; i < 4; i++) {
            log.append(
                    i % 3,
                    payment("pay_" + i, "m2").event(PaymentEventType.AUTHORIZED, i).snapshot());
        }
        log.append(0, a.event(PaymentEventType.AUTHORIZED, 10).snapshot());
        log.append(0, a.event(PaymentEventType.CAPTURED, 10).snapshot());

        try (Projector<PaymentSnapshot> projector = projector(faulty)) {
            projector.start();

            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            assertThat(projector.failures()).isEqualTo(3);
            assertThat(projector.appliedRecords()).isEqualTo(6);
        }
        assertThat(failures.get()).isZero();
        assertThat(history.find("m1", "pay_a").orElseThrow().events())
                .extracting(EventRecord::type)
                .containsExactly("AUTHORIZED", "CAPTURED");
        assertThat(history.search("m2", PaymentHistory.Query.all()).items()).hasSize(4);
        assertThat(new HistoryWriter(db.dataSource()).storedOffsets()).containsEntry(tp(0), 4L);
    }

    @Test
    void shouldSendARecordPostgresqlRefusesToTheDeadLetterTopicAndKeepFollowing() throws Exception {
        Snapshots poison = payment("pay_nul", "m1").customer("cus\u0000nul");
        log.append(0, payment("pay_before", "m1").event(PaymentEventType.AUTHORIZED, 1).snapshot());
        log.append(0, poison.event(PaymentEventType.AUTHORIZED, 2).snapshot());
        log.append(0, payment("pay_after", "m1").event(PaymentEventType.AUTHORIZED, 3).snapshot());

        try (Projector<PaymentSnapshot> projector = projector(db.dataSource())) {
            projector.start();

            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            log.append(
                    0, payment("pay_later", "m1").event(PaymentEventType.AUTHORIZED, 4).snapshot());
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
        }
        assertThat(history.find("m1", "pay_before")).isPresent();
        assertThat(history.find("m1", "pay_after")).isPresent();
        assertThat(history.find("m1", "pay_later")).isPresent();
        assertThat(history.find("m1", "pay_nul")).isEmpty();
        assertThat(deadLetters.history()).hasSize(1);
        DeadLetter letter = deadLetters.history().get(0).value();
        assertThat(letter.getTopic()).isEqualTo(TOPIC);
        assertThat(letter.getOffset()).isEqualTo(1);
        assertThat(letter.getProcessor()).isEqualTo("projection-payment_history");
        assertThat(letter.getError()).contains("0x00");
        assertThat(quarantine.quarantined()).isEqualTo(1);
        // the stored position is past it: a restart does not meet it again
        assertThat(new HistoryWriter(db.dataSource()).storedOffsets()).containsEntry(tp(0), 4L);
    }

    @Test
    void shouldNotReportCaughtUpBeforeItRuns() throws Exception {
        try (Projector<PaymentSnapshot> projector = projector(db.dataSource())) {
            assertThat(projector.caughtUp()).isFalse();
            assertThat(projector.awaitCaughtUp(Duration.ofMillis(50))).isFalse();
        }
    }

    private Projector<PaymentSnapshot> projector(DataSource dataSource) {
        return new Projector<>(
                log.reader(),
                TOPIC,
                new HistoryWriter(dataSource),
                quarantine,
                v -> new byte[] {1},
                Duration.ofMillis(5),
                Duration.ofMillis(50));
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition(TOPIC, partition);
    }
}
