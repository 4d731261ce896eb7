package org.fraudplatform.database.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fraudplatform.runtime.KafkaConnection;

/**
 * How far a projection has come, seen from outside the process that runs it: the offsets it stored
 * in PostgreSQL with its rows ({@link ProjectionWriter#storedOffsets()}) against the end of its
 * topic. What a process that reads a read model, without projecting it, needs to read its own
 * writes: the API waits here until the payment history holds what the ledger wrote a moment ago,
 * wherever the history is projected.
 *
 * <p>The end of a topic written in transactions lies past a commit marker (and past aborted
 * records) that no projection applies, so a stored offset below the end does not yet mean records
 * are missing: for such a partition this reads the rest of it ({@code read_committed}, from the
 * stored offset) and counts it caught up when no committed record remains.
 */
public final class ProjectionProgress implements AutoCloseable {

    private static final Duration PAUSE = Duration.ofMillis(20);

    private final ProjectionWriter<?> offsets;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private List<TopicPartition> partitions;

    /**
     * @param offsets the projection's writer: only its stored offsets are read
     * @param topic the topic it projects
     */
    public ProjectionProgress(KafkaConnection kafka, ProjectionWriter<?> offsets, String topic) {
        this.offsets = offsets;
        this.topic = topic;
        Properties props = new Properties();
        props.putAll(kafka.map());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "progress-" + offsets.projection());
        this.consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Waits until the projection has applied everything its topic held when this method was called.
     * False when the timeout passes first.
     *
     * @throws IllegalStateException when the topic's end or the stored offsets cannot be read
     */
    public synchronized boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions(), timeout);
        Set<TopicPartition> behind = new HashSet<>(end.keySet());
        while (true) {
            Map<TopicPartition, Long> stored = offsets.storedOffsets();
            behind.removeIf(tp -> stored.getOrDefault(tp, 0L) >= end.get(tp));
            if (!behind.isEmpty()) {
                behind.removeAll(onlyMarkersLeft(behind, stored, end));
            }
            if (behind.isEmpty()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(PAUSE.toMillis());
        }
    }

    /**
     * The partitions among {@code behind} where nothing committed lies between the stored offset
     * and the end: only transaction markers or aborted records.
     */
    private Set<TopicPartition> onlyMarkersLeft(
            Set<TopicPartition> behind,
            Map<TopicPartition, Long> stored,
            Map<TopicPartition, Long> end) {
        consumer.assign(behind);
        for (TopicPartition tp : behind) {
            consumer.seek(tp, stored.getOrDefault(tp, 0L));
        }
        Set<TopicPartition> withRecords = new HashSet<>();
        Set<TopicPartition> done = new HashSet<>();
        long until = System.nanoTime() + Duration.ofMillis(500).toNanos();
        while (done.size() + withRecords.size() < behind.size() && System.nanoTime() < until) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(PAUSE);
            for (ConsumerRecord<byte[], byte[]> r : records) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() < end.get(tp)) {
                    withRecords.add(tp);
                }
            }
            for (TopicPartition tp : behind) {
                if (!withRecords.contains(tp) && consumer.position(tp) >= end.get(tp)) {
                    done.add(tp);
                }
            }
        }
        consumer.assign(List.of());
        return done;
    }

    private List<TopicPartition> partitions() {
        if (partitions == null) {
            List<TopicPartition> found = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic)) {
                found.add(new TopicPartition(p.topic(), p.partition()));
            }
            partitions = List.copyOf(found);
        }
        return partitions;
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
