package org.fraudplatform.runtime.consumer;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Positions a {@link ConsumerLoop} keeps outside Kafka, with what its handler writes (a projection
 * stores its offsets in the same database transaction as its rows: exactly once). With a store the
 * loop assigns itself every partition of the topic (no consumer group), starts each partition from
 * the stored position or from its beginning, and never commits to Kafka: storing the position of a
 * handled batch is the handler's part of the commit-after-handler rule.
 *
 * <p>A batch read again after a failure starts at its first record, which may be below what the
 * handler already stored (when it failed part-way, record by record): the handler skips records
 * below its stored position, as {@code database}'s {@code ProjectionWriter} does.
 */
@FunctionalInterface
public interface PositionStore {

    /**
     * The next offset to read of each partition that has one stored; a partition missing from the
     * answer is read from its beginning.
     *
     * @throws RuntimeException when the store cannot be read: the loop tries again after a pause
     */
    Map<TopicPartition, Long> stored(List<TopicPartition> partitions);
}
