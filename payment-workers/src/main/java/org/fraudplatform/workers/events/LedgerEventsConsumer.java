package org.fraudplatform.workers.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.fraudplatform.database.projection.Quarantine;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer group on the ledger's {@code payments.events} ({@code read_committed}) that hands each
 * polled batch to a handler and commits the offsets after it returned. When the handler fails (its
 * database is away), the batch is read again after a pause: nothing is skipped, and handlers make a
 * repeated batch harmless (they key what they write by event id). When it fails on the events
 * themselves ({@link Quarantine#isRecordFault}), they are handled one by one and an event that
 * keeps failing goes to the dead-letter topic with the reason. Any other failure of the loop (a
 * commit refused after a rebalance, a broker away) is logged and the loop goes on: the thread never
 * ends before {@link #close}.
 */
public final class LedgerEventsConsumer implements AutoCloseable {

    /** What to do with a batch of events, in offset order per partition. */
    @FunctionalInterface
    public interface Handler {
        void handle(List<PaymentEvent> events);
    }

    private static final Logger log = LoggerFactory.getLogger(LedgerEventsConsumer.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final KafkaConsumer<String, PaymentEvent> consumer;
    private final Handler handler;
    private final Quarantine quarantine;
    private final org.apache.kafka.common.serialization.Serializer<PaymentEvent> serializer;
    private final String eventsTopic;
    private final String name;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);

    /**
     * @param group the consumer group, also the thread's name
     */
    public LedgerEventsConsumer(
            String bootstrapServers,
            Topic<String, PaymentEvent> events,
            String group,
            Handler handler,
            Quarantine quarantine) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
        this.consumer =
                new KafkaConsumer<>(
                        p, events.keySerde().deserializer(), events.valueSerde().deserializer());
        consumer.subscribe(List.of(events.name()));
        this.handler = handler;
        this.quarantine = quarantine;
        this.serializer = events.valueSerde().serializer();
        this.eventsTopic = events.name();
        this.name = group;
        this.thread = new Thread(this::run, group);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** True while the loop runs (for readiness). */
    public boolean isAlive() {
        return thread.isAlive();
    }

    private void run() {
        try {
            while (running.get()) {
                try {
                    round();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    log.warn(
                            "{}: {}; going on in {} (what was not committed is read again)",
                            name,
                            e.toString(),
                            RETRY);
                    Thread.sleep(RETRY.toMillis());
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("{} woken up unexpectedly", name, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void round() throws InterruptedException {
        ConsumerRecords<String, PaymentEvent> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
            return;
        }
        List<PaymentEvent> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, PaymentEvent> r : records) {
            if (r.value() != null) {
                events.add(r.value());
            }
        }
        try {
            try {
                handler.handle(events);
            } catch (RuntimeException e) {
                if (!Quarantine.isRecordFault(e) || !oneByOne(records)) {
                    throw e;
                }
            }
            consumer.commitSync();
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("{}: batch failed, reading it again in {}: {}", name, RETRY, e.getMessage());
            for (var tp : records.partitions()) {
                consumer.seek(tp, records.records(tp).get(0).offset());
            }
            Thread.sleep(RETRY.toMillis());
        }
    }

    /**
     * Handles a batch that failed on its events one at a time, quarantining each event that fails
     * on its own {@value Quarantine#ATTEMPTS} times; false (read the batch again) when anything
     * else fails. Handlers make the events handled before harmless.
     */
    private boolean oneByOne(ConsumerRecords<String, PaymentEvent> records) {
        for (ConsumerRecord<String, PaymentEvent> r : records) {
            if (r.value() == null) {
                continue;
            }
            RuntimeException failure = null;
            for (int attempt = 1; attempt <= Quarantine.ATTEMPTS; attempt++) {
                try {
                    handler.handle(List.of(r.value()));
                    failure = null;
                    break;
                } catch (RuntimeException e) {
                    failure = e;
                    if (!Quarantine.isRecordFault(e)) {
                        return false;
                    }
                }
            }
            if (failure != null) {
                quarantine.send(name, r, serializer.serialize(eventsTopic, r.value()), failure);
            }
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
    }
}
