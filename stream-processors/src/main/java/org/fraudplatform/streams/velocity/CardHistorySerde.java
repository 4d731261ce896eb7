package org.fraudplatform.streams.velocity;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** State-store serde of {@link CardHistory}. */
public final class CardHistorySerde implements Serde<CardHistory> {

    @Override
    public Serializer<CardHistory> serializer() {
        return (topic, history) -> history == null ? null : history.toBytes();
    }

    @Override
    public Deserializer<CardHistory> deserializer() {
        return (topic, bytes) -> bytes == null ? null : CardHistory.fromBytes(bytes);
    }
}
