package org.fraudplatform.platform.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;

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
 * </ul>
 */
public final class KnownNoiseFilter extends Filter<ILoggingEvent> {

    private static final Map<String, String> NOISE =
            Map.of(
                    "org.apache.kafka.streams.processor.internals.StateDirectory",
                    "Using an OS temp directory in the state.dir property",
                    "org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils",
                    "Not updating last stable offset for partition",
                    "org.apache.kafka.clients.admin.internals.PartitionLeaderStrategy",
                    "Received unknown topic error for",
                    "org.apache.kafka.clients.NetworkClient",
                    "Attempting to close NetworkClient that has already been closed",
                    "kafka.server.DefaultAutoTopicCreationManager",
                    "with error 'TOPIC_ALREADY_EXISTS'");

    @Override
    public FilterReply decide(ILoggingEvent event) {
        String start = NOISE.get(event.getLoggerName());
        String message = event.getMessage();
        return start != null && message != null && message.contains(start)
                ? FilterReply.DENY
                : FilterReply.NEUTRAL;
    }
}
