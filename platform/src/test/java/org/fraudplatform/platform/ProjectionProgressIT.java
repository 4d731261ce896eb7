package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.projection.ProjectionProgress;
import org.fraudplatform.database.projection.ProjectionWriter;
import org.fraudplatform.dev.embedded.EmbeddedDatabase;
import org.fraudplatform.dev.embedded.EmbeddedKafka;
import org.fraudplatform.runtime.KafkaConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that reads a read model without projecting it (the API, with the history role
 * elsewhere) reads its own writes through {@link ProjectionProgress}: the offsets the projection
 * stored in PostgreSQL against the end of its topic, on a real broker and database. The topic is
 * written in transactions, as the ledger writes its snapshots, so its end lies past commit markers
 * and aborted records that no projection ever applies.
 */
class ProjectionProgressIT {

    static final String TOPIC = "progress.snapshots";

    @TempDir static Path dir;
    static EmbeddedKafka kafka;
    static EmbeddedDatabase postgres;
    static Database database;
    static KafkaProducer<String, String> producer;

    /** Applies nothing but the offsets, like a projection whose rows do not matter here. */
    static final class OffsetsOnly extends ProjectionWriter<String> {
        OffsetsOnly() {
            super(database.dataSource(), "progress_test", "test records");
        }

        @Override
        protected void write(Connection c, List<String> fresh) {}
    }

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        postgres = EmbeddedDatabase.start(dir.resolve("postgres"), 0);
        database = Database.connect(postgres.jdbcUrl(), postgres.username(), postgres.password());
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", (Object) kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "progress-test");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void waitsForCommittedRecordsAndCountsMarkersAndAbortedRecordsAsNothingLeft() throws Exception {
        OffsetsOnly projection = new OffsetsOnly();
        try (ProjectionProgress progress =
                new ProjectionProgress(
                        KafkaConnection.plain(kafka.bootstrapServers()), projection, TOPIC)) {
            // an empty topic: nothing to wait for
            assertThat(progress.awaitCaughtUp(Duration.ofSeconds(5))).isTrue();

            // given two committed transactions on both partitions
            send(true, "a", "b", "c");
            send(true, "d");

            // then a projection that applied nothing is behind
            assertThat(progress.awaitCaughtUp(Duration.ofMillis(300))).isFalse();

            // and one that applied every committed record has caught up, though each partition's
            // end lies past a commit marker the projection never stored an offset for
            projection.apply(committedRecords());
            assertThat(projection.storedOffsets().values())
                    .as("the stored offsets stop at the last record, before its marker")
                    .allSatisfy(o -> assertThat(o).isPositive());
            assertThat(progress.awaitCaughtUp(Duration.ofSeconds(5))).isTrue();

            // an aborted transaction leaves records that no projection applies: still caught up
            send(false, "x", "y");
            assertThat(progress.awaitCaughtUp(Duration.ofSeconds(5))).isTrue();

            // a committed record after it is waited for until the projection applies it
            send(true, "e");
            assertThat(progress.awaitCaughtUp(Duration.ofMillis(300))).isFalse();
            projection.apply(committedRecords());
            assertThat(progress.awaitCaughtUp(Duration.ofSeconds(5))).isTrue();
        }
    }

    /** Sends the values in one transaction, one to each partition in turn. */
    private static void send(boolean commit, String... values) throws Exception {
        producer.beginTransaction();
        for (int i = 0; i < values.length; i++) {
            producer.send(new ProducerRecord<>(TOPIC, i % 2, "k" + i, values[i])).get();
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    /** Every committed record of the topic, as a projector reads them. */
    private static List<ConsumerRecord<String, String>> committedRecords() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            var partitions =
                    consumer.partitionsFor(TOPIC).stream()
                            .map(
                                    p ->
                                            new org.apache.kafka.common.TopicPartition(
                                                    TOPIC, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(all::add);
            }
        }
        return all;
    }
}
