package org.fraudplatform.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.fraudplatform.schemas.PaymentSnapshot;

/**
 * An in-memory, partitioned snapshot topic. Its readers behave like consumers of a real log:
 * records stay after they are read, so a seek back, or a new reader after a restart, reads them
 * again from any offset.
 */
final class SnapshotLog {

    private static final int MAX_POLL_RECORDS = 3;

    private final String topic;
    private final int partitions;
    private final Map<Integer, List<ConsumerRecord<String, PaymentSnapshot>>> log = new HashMap<>();

    SnapshotLog(String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
        for (int p = 0; p < partitions; p++) {
            log.put(p, new ArrayList<>());
        }
    }

    /** Appends a snapshot to its partition and returns its record. */
    synchronized ConsumerRecord<String, PaymentSnapshot> append(
            int partition, PaymentSnapshot snapshot) {
        List<ConsumerRecord<String, PaymentSnapshot>> records = log.get(partition);
        ConsumerRecord<String, PaymentSnapshot> r =
                Snapshots.record(partition, records.size(), snapshot);
        records.add(r);
        return r;
    }

    private synchronized long end(int partition) {
        return log.get(partition).size();
    }

    private synchronized List<ConsumerRecord<String, PaymentSnapshot>> read(
            int partition, long from, int max) {
        List<ConsumerRecord<String, PaymentSnapshot>> records = log.get(partition);
        int start = (int) Math.min(from, records.size());
        return new ArrayList<>(records.subList(start, Math.min(records.size(), start + max)));
    }

    /** A new consumer of this log. */
    Reader reader() {
        return new Reader();
    }

    final class Reader extends MockConsumer<String, PaymentSnapshot> {

        Reader() {
            super("earliest");
            List<PartitionInfo> infos = new ArrayList<>();
            Map<TopicPartition, Long> beginnings = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                infos.add(new PartitionInfo(topic, p, Node.noNode(), new Node[0], new Node[0]));
                beginnings.put(new TopicPartition(topic, p), 0L);
            }
            updatePartitions(topic, infos);
            updateBeginningOffsets(beginnings);
        }

        @Override
        public synchronized ConsumerRecords<String, PaymentSnapshot> poll(Duration timeout) {
            super.poll(Duration.ZERO); // wake-ups, injected errors, offset resets
            Map<TopicPartition, List<ConsumerRecord<String, PaymentSnapshot>>> out =
                    new HashMap<>();
            for (TopicPartition tp : assignment()) {
                List<ConsumerRecord<String, PaymentSnapshot>> records =
                        read(tp.partition(), position(tp), MAX_POLL_RECORDS);
                if (!records.isEmpty()) {
                    out.put(tp, records);
                    super.seek(tp, records.get(records.size() - 1).offset() + 1);
                }
            }
            if (out.isEmpty()) {
                try {
                    wait(Math.min(timeout.toMillis(), 10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new ConsumerRecords<>(out, Map.of());
        }

        @Override
        public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> tps) {
            Map<TopicPartition, Long> ends = new HashMap<>();
            for (TopicPartition tp : tps) {
                ends.put(tp, end(tp.partition()));
            }
            return ends;
        }

        @Override
        public Map<TopicPartition, Long> endOffsets(
                Collection<TopicPartition> tps, Duration timeout) {
            return endOffsets(tps);
        }

        @Override
        public synchronized OptionalLong currentLag(TopicPartition tp) {
            return OptionalLong.of(end(tp.partition()) - position(tp));
        }
    }
}
