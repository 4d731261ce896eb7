package org.fraudplatform.runtime.deadletter;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.fraudplatform.runtime.metrics.DomainMetrics;
import org.fraudplatform.schemas.DeadLetter;

/** Builds {@link DeadLetter}s: the record's bytes, where it was read, who refused it and why. */
public final class DeadLetters {

    private DeadLetters() {}

    /**
     * A dead letter for the record the context is processing.
     *
     * @param context the refusing processor's context (for topic, partition, offset and time)
     * @param fallbackTopic the topic to name when the context knows none
     * @param key the record's key bytes, or null
     * @param value the record's value bytes, or null
     * @param headers the record's headers
     * @param processor the refusing processor's name
     * @param reason why, in words a person can act on
     * @param cause the exception behind it, or null
     */
    public static DeadLetter of(
            ProcessorContext<?, ?> context,
            String fallbackTopic,
            byte[] key,
            byte[] value,
            Headers headers,
            String processor,
            String reason,
            Exception cause) {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        Map<String, ByteBuffer> copied = new HashMap<>();
        for (Header header : headers) {
            if (header.value() != null) {
                copied.put(header.key(), ByteBuffer.wrap(header.value()));
            }
        }
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setTopic(metadata.map(RecordMetadata::topic).orElse(fallbackTopic))
                        .setPartition(metadata.map(RecordMetadata::partition).orElse(-1))
                        .setOffset(metadata.map(RecordMetadata::offset).orElse(-1L))
                        .setKey(key == null ? null : ByteBuffer.wrap(key))
                        .setValue(value == null ? null : ByteBuffer.wrap(value))
                        .setHeaders(copied)
                        .setProcessor(processor)
                        .setError(reason)
                        .setErrorClass(cause == null ? null : cause.getClass().getName())
                        .setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                        .build();
        DomainMetrics.deadLettered(letter);
        return letter;
    }
}
