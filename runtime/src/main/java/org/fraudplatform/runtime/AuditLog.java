package org.fraudplatform.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.topics.Topic;

/** Writes changes to what decides payments (rules, lists, models) to {@code audit.events}. */
public final class AuditLog implements AutoCloseable {

    private final Topic<String, AuditEvent> topic;
    private final KafkaProducer<String, AuditEvent> producer;

    public AuditLog(KafkaConnection kafka, Topic<String, AuditEvent> topic) {
        this.topic = topic;
        this.producer = TopicIo.producer(kafka, topic);
    }

    /** Records one change and waits until the broker has it. */
    public void record(
            String actor, String action, String subject, Instant at, Map<String, String> details)
            throws InterruptedException, ExecutionException, TimeoutException {
        AuditEvent event =
                AuditEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setAt(at)
                        .setActor(actor)
                        .setAction(action)
                        .setSubject(subject)
                        .setDetails(details)
                        .build();
        producer.send(new ProducerRecord<>(topic.name(), subject, event)).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
