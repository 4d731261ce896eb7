package org.fraudplatform.runtime;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Sends each record to the partition its value names: a decision to the partition its requesting
 * API instance listens on (request/reply over Kafka without broadcasting), a feature part to the
 * partition whose task holds the payment's request. A value that names none goes by the default key
 * hash.
 *
 * @param <V> the value type
 */
public final class ReplyPartitioner<V> implements StreamPartitioner<String, V> {

    private final Function<V, Integer> replyPartition;

    /**
     * @param replyPartition the partition a value names, or null
     */
    public ReplyPartitioner(Function<V, Integer> replyPartition) {
        this.replyPartition = replyPartition;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        Integer reply = value == null ? null : replyPartition.apply(value);
        if (reply == null) {
            return Optional.empty();
        }
        return Optional.of(Set.of(Math.floorMod(reply, numPartitions)));
    }
}
