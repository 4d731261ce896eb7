package org.fraudplatform.risk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.fraudplatform.schemas.PendingDecision;
import org.fraudplatform.schemas.serde.AvroSupport;

/**
 * Store serde of {@link PendingDecision}: Avro's single-object encoding (a schema fingerprint, then
 * the binary record), so a changelog written by another schema is refused, not misread. No
 * registry: the store is private to the risk topology.
 */
final class PendingDecisionSerde implements Serde<PendingDecision> {

    PendingDecisionSerde() {
        AvroSupport.trustProjectPackages();
    }

    @Override
    public Serializer<PendingDecision> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteBuffer buffer = value.toByteBuffer();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public Deserializer<PendingDecision> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return PendingDecision.fromByteBuffer(ByteBuffer.wrap(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
