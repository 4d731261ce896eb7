package org.fraudplatform.runtime.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What a {@link ConsumerLoop.Progress} listener may ask the loop's consumer, on the loop's thread:
 * where it is and how far behind, never anything that moves it.
 */
public interface ConsumerView {

    /** The partitions the consumer reads now. */
    Set<TopicPartition> assignment();

    /** The next offset the consumer will read (past transaction markers). */
    long position(TopicPartition partition);

    /** Records between the position and the end, as of the last fetch; empty when unknown. */
    OptionalLong currentLag(TopicPartition partition);

    /** The end offsets, asked of the broker. */
    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout);
}
