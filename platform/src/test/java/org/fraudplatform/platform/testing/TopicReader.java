package org.fraudplatform.platform.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.fraudplatform.schemas.topics.Topic;

/** Reads a topic from the beginning, committed records only, as a test checks what was written. */
public final class TopicReader {

    private TopicReader() {}

    /**
     * Values matching {@code wanted}, read until {@code atLeast} are found or {@code patience}
     * passes; then everything else already there (up to the end offsets) is read too.
     */
    public static <V> List<V> read(
            String bootstrapServers,
            Topic<String, V> topic,
            Predicate<V> wanted,
            int atLeast,
            Duration patience) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<V> found = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        c, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + patience.toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (found.size() < atLeast || emptyPolls < 3)) {
                var records = consumer.poll(Duration.ofMillis(300));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                for (var r : records) {
                    if (r.value() != null && wanted.test(r.value())) {
                        found.add(r.value());
                    }
                }
            }
        }
        return found;
    }
}
