package org.fraudplatform.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.fraudplatform.schemas.topics.Topic;

/** The small Kafka chores of the operator commands: a durable producer, a topic read to its end. */
public final class TopicIo {

    private TopicIo() {}

    /** A producer that waits for every replica and never writes a record twice. */
    public static <V> KafkaProducer<String, V> producer(
            KafkaConnection kafka, Topic<String, V> topic) {
        Properties p = new Properties();
        p.putAll(kafka.map());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(
                p, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** Every record of the topic from its beginning to its end as of now, in offset order. */
    public static <K, V> List<ConsumerRecord<K, V>> readAll(
            KafkaConnection kafka, Topic<K, V> topic) {
        Properties p = new Properties();
        p.putAll(kafka.map());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<K, V>> all = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        p, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic.name() + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }
}
