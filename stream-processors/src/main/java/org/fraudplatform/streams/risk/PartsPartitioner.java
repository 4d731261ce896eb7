package org.fraudplatform.streams.risk;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.fraudplatform.schemas.FeaturePart;

/**
 * Sends each feature part to the partition of {@code risk.feature-parts} whose task holds the
 * payment's request: the partition the request was read from, carried in the part.
 */
final class PartsPartitioner implements StreamPartitioner<String, FeaturePart> {

    @Override
    public Optional<Set<Integer>> partitions(
            String topic, String key, FeaturePart part, int numPartitions) {
        Integer reply = part == null ? null : part.getReplyPartition();
        if (reply == null) {
            return Optional.empty();
        }
        return Optional.of(Set.of(Math.floorMod(reply, numPartitions)));
    }
}
