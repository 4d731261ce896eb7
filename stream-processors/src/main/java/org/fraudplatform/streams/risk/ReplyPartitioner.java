package org.fraudplatform.streams.risk;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.fraudplatform.schemas.RiskDecision;

/**
 * Sends each decision to the partition its requesting API instance listens on (request/reply over
 * Kafka without broadcasting); decisions without a reply partition go by the default key hash.
 */
final class ReplyPartitioner implements StreamPartitioner<String, RiskDecision> {

    @Override
    public Optional<Set<Integer>> partitions(
            String topic, String key, RiskDecision decision, int numPartitions) {
        Integer reply = decision == null ? null : decision.getReplyPartition();
        if (reply == null) {
            return Optional.empty();
        }
        return Optional.of(Set.of(Math.floorMod(reply, numPartitions)));
    }
}
