package org.fraudplatform.database.projection;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.runtime.metrics.DomainMetrics;
import org.fraudplatform.schemas.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a consumer puts a record that it can never handle, so that one bad record does not stop a
 * partition: to a dead-letter topic ({@code payments.dlq}), with the reason, the processor and the
 * record's place and bytes, acknowledged by the broker before the consumer moves past it. Nothing
 * is dropped silently: every quarantined record is logged and counted.
 *
 * <p>Only the record's own fault sends it here ({@link #isRecordFault}): PostgreSQL refusing its
 * data, or the handler failing on it. A database or broker that is away is waited for instead.
 */
public final class Quarantine {

    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);

    /** How many times a single record is tried before it is quarantined. */
    public static final int ATTEMPTS = 3;

    private final Producer<byte[], DeadLetter> producer;
    private final String topic;
    private final Clock clock;
    private final AtomicLong quarantined = new AtomicLong();

    public Quarantine(Producer<byte[], DeadLetter> producer, String topic, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
    }

    /**
     * True when the failure is the record's, not the infrastructure's: an SQL error of class 22
     * (data exception: a NUL, a value out of range), 23 (integrity constraint) or 54 (too large),
     * or any failure that is not an SQL or connection error at all (the handler failed on the
     * data).
     */
    public static boolean isRecordFault(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state != null
                        && (state.startsWith("22")
                                || state.startsWith("23")
                                || state.startsWith("54"));
            }
            if (t instanceof java.io.IOException
                    || t instanceof org.apache.kafka.common.KafkaException) {
                return false;
            }
        }
        return !(failure instanceof IllegalStateException);
    }

    /**
     * Sends the record to the dead-letter topic and waits for the broker.
     *
     * @param value the record's value as it was on its topic (re-serialized), or null
     * @throws IllegalStateException when the broker did not take it (the caller must not move on)
     */
    public void send(String processor, ConsumerRecord<String, ?> r, byte[] value, Throwable why) {
        String reason = String.valueOf(why.getMessage());
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setTopic(r.topic())
                        .setPartition(r.partition())
                        .setOffset(r.offset())
                        .setKey(
                                r.key() == null
                                        ? null
                                        : java.nio.ByteBuffer.wrap(
                                                r.key().getBytes(StandardCharsets.UTF_8)))
                        .setValue(value == null ? null : java.nio.ByteBuffer.wrap(value))
                        .setHeaders(Map.of())
                        .setProcessor(processor)
                        .setError(reason)
                        .setErrorClass(why.getClass().getName())
                        .setFailedAt(clock.instant())
                        .build();
        byte[] key = r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8);
        try {
            producer.send(new ProducerRecord<>(topic, key, letter)).get(30, TimeUnit.SECONDS);
            DomainMetrics.deadLettered(letter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while quarantining a record", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot quarantine a record: " + e.getMessage(), e);
        }
        quarantined.incrementAndGet();
        log.error(
                "{} cannot handle {}@{}:{} after {} attempts; sent to {}: {}",
                processor,
                r.topic(),
                r.partition(),
                r.offset(),
                ATTEMPTS,
                topic,
                reason);
    }

    /** Records quarantined since the start. */
    public long quarantined() {
        return quarantined.get();
    }
}
