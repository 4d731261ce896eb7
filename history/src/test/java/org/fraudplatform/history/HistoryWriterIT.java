package org.fraudplatform.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fraudplatform.history.Snapshots.T0;
import static org.fraudplatform.history.Snapshots.TOPIC;
import static org.fraudplatform.history.Snapshots.payment;
import static org.fraudplatform.history.Snapshots.record;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HistoryWriterIT {

    private Database db;
    private HistoryWriter writer;
    private PaymentHistory history;

    @BeforeEach
    void database() {
        db = TestDatabase.fresh();
        writer = new HistoryWriter(db.dataSource());
        history = new PaymentHistory(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void shouldStoreThePaymentItsEventsAndTheNextOffsetOfEachPartition() {
        Snapshots a = payment("pay_a", "m1").customer("cus_1");
        Snapshots b = payment("pay_b", "m1").card("card_2");

        int applied =
                writer.apply(
                        List.of(
                                record(0, 0, a.event(PaymentEventType.AUTHORIZED, 1000).snapshot()),
                                record(1, 0, b.event(PaymentEventType.AUTHORIZED, 500).snapshot()),
                                record(0, 1, a.event(PaymentEventType.CAPTURED, 1000).snapshot())));

        assertThat(applied).isEqualTo(3);
        PaymentRecord stored = history.find("m1", "pay_a").orElseThrow();
        assertThat(stored.status()).isEqualTo("captured");
        assertThat(stored.customerId()).isEqualTo("cus_1");
        assertThat(stored.authorized()).isEqualTo(1000);
        assertThat(stored.captured()).isEqualTo(1000);
        assertThat(stored.capturable()).isZero();
        assertThat(stored.createdAt()).isEqualTo(T0);
        assertThat(stored.events())
                .extracting(EventRecord::type)
                .containsExactly("AUTHORIZED", "CAPTURED");
        assertThat(writer.storedOffsets())
                .isEqualTo(
                        Map.of(
                                new TopicPartition(TOPIC, 0), 2L,
                                new TopicPartition(TOPIC, 1), 1L));
        assertThat(count("payment_events")).isEqualTo(3);
    }

    @Test
    void shouldChangeNothingWhenTheSameBatchIsAppliedAgain() {
        Snapshots a = payment("pay_a", "m1");
        List<ConsumerRecord<String, PaymentSnapshot>> batch =
                List.of(
                        record(0, 0, a.event(PaymentEventType.AUTHORIZED, 1000).snapshot()),
                        record(0, 1, a.event(PaymentEventType.CAPTURED, 400).snapshot()));
        writer.apply(batch);
        PaymentRecord before = history.find("m1", "pay_a").orElseThrow();

        int again = writer.apply(batch);

        assertThat(again).isZero();
        assertThat(history.find("m1", "pay_a")).contains(before);
        assertThat(count("payment_events")).isEqualTo(2);
        assertThat(count("payment_history")).isEqualTo(1);
        assertThat(writer.storedOffsets()).containsEntry(new TopicPartition(TOPIC, 0), 2L);
    }

    @Test
    void shouldApplyOnlyTheRecordsPastTheStoredOffsetOfAnOverlappingBatch() {
        Snapshots a = payment("pay_a", "m1");
        List<ConsumerRecord<String, PaymentSnapshot>> log = new ArrayList<>();
        log.add(record(0, 0, a.event(PaymentEventType.AUTHORIZED, 1000).snapshot()));
        log.add(record(0, 1, a.event(PaymentEventType.CAPTURED, 600).snapshot()));
        log.add(record(0, 2, a.event(PaymentEventType.CAPTURED, 400).snapshot()));
        log.add(record(0, 3, a.event(PaymentEventType.REFUNDED, 100).snapshot()));
        writer.apply(log.subList(0, 2));

        int applied = writer.apply(log.subList(1, 4));

        assertThat(applied).isEqualTo(2);
        PaymentRecord stored = history.find("m1", "pay_a").orElseThrow();
        assertThat(stored.captured()).isEqualTo(1000);
        assertThat(stored.refunded()).isEqualTo(100);
        assertThat(stored.events()).extracting(EventRecord::ordinal).containsExactly(0, 1, 2, 3);
        assertThat(count("payment_events")).isEqualTo(4);
        assertThat(writer.storedOffsets()).containsEntry(new TopicPartition(TOPIC, 0), 4L);
    }

    @Test
    void shouldStoreNeitherRowsNorOffsetsWhenTheDatabaseRefusesARecordMidBatch() {
        PaymentSnapshot good =
                payment("pay_good", "m1").event(PaymentEventType.AUTHORIZED, 100).snapshot();
        PaymentSnapshot bad =
                payment("pay_bad", "m1").event(PaymentEventType.AUTHORIZED, 100).snapshot();
        // PostgreSQL refuses NUL in text: the payments are written, then the events fail.
        bad.getEvents().get(0).setEventId("evt\u0000bad");

        assertThatThrownBy(() -> writer.apply(List.of(record(0, 0, good), record(0, 1, bad))))
                .isInstanceOf(IllegalStateException.class);

        assertThat(count("payment_history")).isZero();
        assertThat(count("payment_events")).isZero();
        assertThat(writer.storedOffsets()).isEmpty();
    }

    @Test
    void shouldRollBackTheRowsWhenTheOffsetsCannotBeStoredAndApplyThemOnRetry() {
        AtomicInteger failures = new AtomicInteger(1);
        HistoryWriter faulty =
                new HistoryWriter(
                        FaultyDataSource.failing(
                                db.dataSource(), "UPDATE projection_offsets", failures));
        Snapshots a = payment("pay_a", "m1");
        List<ConsumerRecord<String, PaymentSnapshot>> batch =
                List.of(
                        record(2, 40, a.event(PaymentEventType.AUTHORIZED, 700).snapshot()),
                        record(2, 41, a.event(PaymentEventType.CAPTURED, 700).snapshot()));

        assertThatThrownBy(() -> faulty.apply(batch)).isInstanceOf(IllegalStateException.class);
        assertThat(count("payment_history")).isZero();
        assertThat(count("payment_events")).isZero();
        assertThat(writer.storedOffsets()).isEmpty();

        assertThat(faulty.apply(batch)).isEqualTo(2);
        assertThat(history.find("m1", "pay_a").orElseThrow().captured()).isEqualTo(700);
        assertThat(count("payment_events")).isEqualTo(2);
        assertThat(writer.storedOffsets()).isEqualTo(Map.of(new TopicPartition(TOPIC, 2), 42L));
    }

    @Test
    void shouldKeepHistoryAndMoveTheOffsetOnATombstone() {
        PaymentSnapshot a = payment("pay_a", "m1").event(PaymentEventType.AUTHORIZED, 1).snapshot();
        writer.apply(List.of(record(0, 0, a)));

        int applied =
                writer.apply(
                        List.of(
                                new ConsumerRecord<String, PaymentSnapshot>(
                                        TOPIC, 0, 1, "pay_a", null)));

        assertThat(applied).isEqualTo(1);
        assertThat(history.find("m1", "pay_a")).isPresent();
        assertThat(writer.storedOffsets()).containsEntry(new TopicPartition(TOPIC, 0), 2L);
    }

    @Test
    void shouldKeepSeparateOffsetsPerProjection() {
        PaymentSnapshot a = payment("pay_a", "m1").event(PaymentEventType.AUTHORIZED, 1).snapshot();
        writer.apply(List.of(record(0, 5, a)));

        HistoryWriter other = new HistoryWriter(db.dataSource(), "rebuild");

        assertThat(other.storedOffsets()).isEmpty();
        assertThat(other.apply(List.of(record(0, 5, a)))).isEqualTo(1);
        assertThat(count("payment_events")).isEqualTo(1);
    }

    private long count(String table) {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
