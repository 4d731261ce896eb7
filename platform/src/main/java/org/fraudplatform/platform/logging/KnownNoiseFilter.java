package org.fraudplatform.platform.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;

/**
 * Drops the few library warnings that say nothing about this platform, each by its logger and the
 * start of its message (every other warning of those loggers still shows):
 *
 * <ul>
 *   <li>Kafka Streams' advice against a state directory under the system's temporary folder: every
 *       store of this platform is restored from its changelog topic, and when the data folder is
 *       under {@code /tmp} the broker's log is there too, so the platform says so itself, once, at
 *       start.
 *   <li>The global consumer's note that a partition it just stopped reading (after restoring the
 *       global store) no longer needs its last stable offset.
 *   <li>On a fresh cluster, Kafka Streams' admin client asking for the offsets of the internal
 *       topics it has just created, before the broker serves them: the client retries, and the
 *       topology starts.
 *   <li>The embedded broker closing its controller registration channel twice on shutdown.
 *   <li>The embedded broker reporting that it did not create an internal topic (such as {@code
 *       __transaction_state}) because two clients asked for it at once and it exists already.
 *   <li>The first transaction of an exactly-once producer (transactions v2): its first batch to a
 *       partition is answered {@code CONCURRENT_TRANSACTIONS} while the broker verifies the
 *       transaction, the batch sent right behind it is refused as out of sequence because the
 *       partition has no state for the producer yet, and the producer retries both. The broker logs
 *       the refusal as an error with a stack trace, the producer the first answer as a warning;
 *       Kafka treats both as retriable (KAFKA-18202). The producer's warning about the refusal
 *       still shows, and so does every other sequence error.
 * </ul>
 */
public final class KnownNoiseFilter extends Filter<ILoggingEvent> {

    /** A logger, a part of its message and, when given, a part of the attached exception's. */
    private record Noise(String logger, String message, String cause) {}

    private static final List<Noise> NOISE =
            List.of(
                    new Noise(
                            "org.apache.kafka.streams.processor.internals.StateDirectory",
                            "Using an OS temp directory in the state.dir property",
                            null),
                    new Noise(
                            "org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils",
                            "Not updating last stable offset for partition",
                            null),
                    new Noise(
                            "org.apache.kafka.clients.admin.internals.PartitionLeaderStrategy",
                            "Received unknown topic error for",
                            null),
                    new Noise(
                            "org.apache.kafka.clients.NetworkClient",
                            "Attempting to close NetworkClient that has already been closed",
                            null),
                    new Noise(
                            "kafka.server.DefaultAutoTopicCreationManager",
                            "with error 'TOPIC_ALREADY_EXISTS'",
                            null),
                    new Noise(
                            "kafka.server.ReplicaManager",
                            "Error processing append operation on partition",
                            "for transactions v2 idempotent producer with no existing state"),
                    new Noise(
                            "org.apache.kafka.clients.producer.internals.Sender",
                            "attempts left). Error: CONCURRENT_TRANSACTIONS",
                            null));

    @Override
    public FilterReply decide(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message == null) {
            return FilterReply.NEUTRAL;
        }
        for (Noise noise : NOISE) {
            if (noise.logger().equals(event.getLoggerName())
                    && message.contains(noise.message())
                    && (noise.cause() == null || causeContains(event, noise.cause()))) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }

    private static boolean causeContains(ILoggingEvent event, String part) {
        IThrowableProxy cause = event.getThrowableProxy();
        return cause != null && cause.getMessage() != null && cause.getMessage().contains(part);
    }
}
