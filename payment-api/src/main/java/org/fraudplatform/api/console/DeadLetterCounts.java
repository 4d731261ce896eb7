package org.fraudplatform.api.console;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.fraudplatform.runtime.KafkaConnection;

/**
 * How many records wait on the dead-letter topics, in all and in the last hour, for the console's
 * overview: read from the topics' offsets (earliest, latest and by timestamp), never from the
 * records, and kept for a few seconds so that a page never waits on the broker twice.
 */
public final class DeadLetterCounts implements AutoCloseable {

    /** The counts of one topic; -1 where the broker did not answer in time. */
    public record Count(String topic, long total, long lastHour) {}

    private static final Duration KEEP = Duration.ofSeconds(5);

    private final Admin admin;
    private final List<String> topics;
    private final Clock clock;
    private volatile List<Count> last;
    private volatile long readAtMillis;

    public DeadLetterCounts(KafkaConnection kafka, List<String> topics, Clock clock) {
        Properties props = new Properties();
        props.putAll(kafka.map());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "api-console-dead-letters");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
        this.admin = Admin.create(props);
        this.topics = List.copyOf(topics);
        this.clock = clock;
    }

    /** The counts per topic, at most a few seconds old. */
    public synchronized List<Count> counts() {
        long now = clock.millis();
        if (last != null && now - readAtMillis < KEEP.toMillis()) {
            return last;
        }
        List<Count> out = new java.util.ArrayList<>();
        for (String topic : topics) {
            out.add(count(topic, now));
        }
        last = List.copyOf(out);
        readAtMillis = now;
        return last;
    }

    private Count count(String topic, long now) {
        try {
            List<TopicPartitionInfo> partitions =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(2, TimeUnit.SECONDS)
                            .get(topic)
                            .partitions();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> hourAgo = new HashMap<>();
            for (TopicPartitionInfo p : partitions) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
                hourAgo.put(tp, OffsetSpec.forTimestamp(now - Duration.ofHours(1).toMillis()));
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start =
                    admin.listOffsets(earliest).all().get(2, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
                    admin.listOffsets(latest).all().get(2, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> since =
                    admin.listOffsets(hourAgo).all().get(2, TimeUnit.SECONDS);
            long total = 0;
            long lastHour = 0;
            for (TopicPartition tp : end.keySet()) {
                long e = end.get(tp).offset();
                total += e - start.get(tp).offset();
                // -1: no record at or after the time, so none in the last hour
                long s = since.get(tp).offset();
                lastHour += s < 0 ? 0 : e - s;
            }
            return new Count(topic, total, lastHour);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Count(topic, -1, -1);
        } catch (Exception e) {
            return new Count(topic, -1, -1);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
