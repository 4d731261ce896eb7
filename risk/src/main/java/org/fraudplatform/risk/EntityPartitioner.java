package org.fraudplatform.risk;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.fraudplatform.schemas.FeatureUpdate;

/**
 * Places an entity's feature state on the partition of its bare key, the way Kafka's default
 * partitioner places a record keyed by it.
 *
 * <p>{@code payments.requests} is keyed by the payment instrument, so a card's state lives on the
 * partition of the card's own requests, and the task that reads a request holds its card: the
 * card's features are computed in place, without a trip through {@code risk.feature-updates} and
 * back through {@code risk.feature-parts}. Any other entity (customer, e-mail, IP, device,
 * merchant) that happens to hash to the request's partition is answered in place too; the rest go
 * through the topics. The record key stays {@code <entity>:<key>}: a card and a customer with the
 * same key share a partition but never a state.
 */
public final class EntityPartitioner implements StreamPartitioner<String, FeatureUpdate> {

    /** The partition of an entity's state among {@code partitions}. */
    public static int partitionOf(String entityKey, int partitions) {
        return BuiltInPartitioner.partitionForKey(
                entityKey.getBytes(StandardCharsets.UTF_8), partitions);
    }

    @Override
    public Optional<Set<Integer>> partitions(
            String topic, String key, FeatureUpdate value, int numPartitions) {
        if (value == null || value.getEntityKey() == null) {
            return Optional.empty();
        }
        return Optional.of(Set.of(partitionOf(value.getEntityKey(), numPartitions)));
    }
}
