package org.fraudplatform.workers.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Serializer;
import org.fraudplatform.database.projection.Quarantine;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.consumer.ConsumerHealth;
import org.fraudplatform.runtime.consumer.ConsumerLoop;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.topics.Topic;

/**
 * A consumer group on the ledger's {@code payments.events} ({@code read_committed}) that hands each
 * polled batch to a handler and commits the offsets after it returned, on the runtime's {@link
 * ConsumerLoop}. When the handler fails (its database is away), the batch is read again after a
 * pause of one second: nothing is skipped, and handlers make a repeated batch harmless (they key
 * what they write by event id). When it fails on the events themselves ({@link
 * Quarantine#isRecordFault}), they are handled one by one and an event that fails on its own
 * {@value Quarantine#ATTEMPTS} times goes to the dead-letter topic with the reason. Any other
 * failure of the loop (a broker away) is logged and the loop goes on: the thread never ends before
 * {@link #close}.
 */
public final class LedgerEventsConsumer implements AutoCloseable {

    /** What to do with a batch of events, in offset order per partition. */
    @FunctionalInterface
    public interface Handler {
        void handle(List<PaymentEvent> events);
    }

    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ConsumerLoop<String, PaymentEvent> loop;

    /**
     * @param group the consumer group, also the thread's name and the processor named in dead
     *     letters
     */
    public LedgerEventsConsumer(
            KafkaConnection kafka,
            Topic<String, PaymentEvent> events,
            String group,
            Handler handler,
            Quarantine quarantine) {
        Properties p = new Properties();
        p.putAll(kafka.map());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a dead instance's partitions move to another within 10 s
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        // off the payment's path: batches of events, one offset commit per batch
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 32 * 1024);
        Serializer<PaymentEvent> serializer = events.valueSerde().serializer();
        this.loop =
                ConsumerLoop.<String, PaymentEvent>builder(
                                group,
                                events.name(),
                                () ->
                                        new KafkaConsumer<>(
                                                p,
                                                events.keySerde().deserializer(),
                                                events.valueSerde().deserializer()),
                                (records, pause) -> {
                                    List<PaymentEvent> values = values(records);
                                    if (!values.isEmpty()) {
                                        handler.handle(values);
                                    }
                                })
                        .pollTimeout(Duration.ofMillis(200))
                        .retryPauses(RETRY, RETRY)
                        .deadLetters(
                                Quarantine::isRecordFault,
                                Quarantine.ATTEMPTS,
                                (r, why) ->
                                        quarantine.send(
                                                group,
                                                r,
                                                r.value() == null
                                                        ? null
                                                        : serializer.serialize(
                                                                r.topic(), r.value()),
                                                why))
                        .build();
    }

    /** The events of a batch, without tombstones (the ledger writes none). */
    private static List<PaymentEvent> values(List<ConsumerRecord<String, PaymentEvent>> records) {
        List<PaymentEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, PaymentEvent> r : records) {
            if (r.value() != null) {
                events.add(r.value());
            }
        }
        return events;
    }

    public void start() {
        loop.start();
    }

    /** True while the loop runs (for readiness). */
    public boolean isAlive() {
        return loop.isAlive();
    }

    /** The loop's liveness and counters, for metrics. */
    public ConsumerHealth health() {
        return loop;
    }

    @Override
    public void close() throws InterruptedException {
        loop.close();
    }
}
