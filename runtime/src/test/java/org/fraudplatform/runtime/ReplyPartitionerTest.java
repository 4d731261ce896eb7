package org.fraudplatform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.junit.jupiter.api.Test;

class ReplyPartitionerTest {

    private final ReplyPartitioner<RiskDecision> partitioner =
            new ReplyPartitioner<>(RiskDecision::getReplyPartition);

    private static RiskDecision decision(Integer replyPartition) {
        return RiskDecision.newBuilder()
                .setPaymentId("pay_1")
                .setMerchantId("m")
                .setCorrelationId("c")
                .setAction(RiskAction.APPROVE)
                .setScore(0)
                .setRulesetVersion("v")
                .setDecisionLatencyMicros(1)
                .setDecidedAt(Instant.EPOCH)
                .setReplyPartition(replyPartition)
                .build();
    }

    @Test
    void shouldRouteADecisionToTheReplyPartitionOfItsRequest() {
        assertThat(partitioner.partitions("payments.decisions", "pay_1", decision(4), 6))
                .isEqualTo(Optional.of(Set.of(4)));
    }

    @Test
    void shouldWrapAReplyPartitionBeyondTheTopicSize() {
        assertThat(partitioner.partitions("payments.decisions", "pay_1", decision(7), 6))
                .isEqualTo(Optional.of(Set.of(1)));
    }

    @Test
    void shouldLeaveADecisionWithoutReplyPartitionToTheDefaultPartitioner() {
        assertThat(partitioner.partitions("payments.decisions", "pay_1", decision(null), 6))
                .isEmpty();
    }
}
