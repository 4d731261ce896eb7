package org.fraudplatform.schemas.topics;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with its key and value serdes and the settings it is created with.
 *
 * <p>Declared once in {@link Topics}; every producer, consumer and topology takes its name and
 * serdes from here, so a topic cannot be read with the wrong serde.
 *
 * @param name topic name
 * @param partitions partition count used when the platform creates the topic
 * @param configs topic-level configuration (cleanup policy, retention) used at creation
 * @param keySerde serde of the record key
 * @param valueSerde serde of the record value
 */
public record Topic<K, V>(
        String name,
        int partitions,
        Map<String, String> configs,
        Serde<K> keySerde,
        Serde<V> valueSerde) {

    public Topic {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least one partition");
        }
        configs = Map.copyOf(configs);
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }

    @Override
    public String toString() {
        return name + " (" + partitions + " partitions)";
    }
}
