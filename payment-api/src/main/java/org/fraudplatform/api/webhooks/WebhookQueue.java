package org.fraudplatform.api.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns ledger events into queued webhook deliveries: a consumer group on {@code payments.events}
 * ({@code read_committed}) queues one delivery per event and subscribed endpoint in PostgreSQL,
 * then commits its offsets. A crash between the two re-reads the events, and the delivery ids
 * ({@code <event id>:<endpoint id>}) keep each queued once.
 */
public final class WebhookQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookQueue.class);

    private final KafkaConsumer<String, PaymentEvent> consumer;
    private final WebhookStore store;
    private final Clock clock;
    private final Runnable onQueued;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public WebhookQueue(
            String bootstrapServers,
            Topic<String, PaymentEvent> events,
            WebhookStore store,
            Clock clock,
            Runnable onQueued) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "api-webhooks");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        this.consumer =
                new KafkaConsumer<>(
                        p, events.keySerde().deserializer(), events.valueSerde().deserializer());
        consumer.subscribe(List.of(events.name()));
        this.store = store;
        this.clock = clock;
        this.onQueued = onQueued;
        this.thread = new Thread(this::run, "webhook-queue");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                Map<String, List<WebhookStore.Endpoint>> endpoints = new HashMap<>();
                List<WebhookStore.Delivery> queued = new ArrayList<>();
                for (ConsumerRecord<String, PaymentEvent> r : records) {
                    PaymentEvent e = r.value();
                    if (e == null) {
                        continue;
                    }
                    var type = WebhookEvents.type(e);
                    if (type.isEmpty()) {
                        continue;
                    }
                    for (WebhookStore.Endpoint ep :
                            endpoints.computeIfAbsent(e.getMerchantId(), store::endpoints)) {
                        if (ep.wants(type.get())) {
                            queued.add(
                                    new WebhookStore.Delivery(
                                            e.getEventId() + ":" + ep.id(),
                                            ep.id(),
                                            e.getMerchantId(),
                                            e.getEventId(),
                                            type.get(),
                                            WebhookEvents.payload(e),
                                            "pending",
                                            0,
                                            clock.instant(),
                                            null,
                                            null,
                                            e.getEventTime(),
                                            clock.instant(),
                                            null));
                        }
                    }
                }
                try {
                    if (store.enqueue(queued) > 0) {
                        onQueued.run(); // the sender takes them now, not at its next scan
                    }
                } catch (RuntimeException e) {
                    // the database is away: read the batch again after a pause, skip nothing
                    log.warn("cannot queue webhooks, retrying in 1 s: {}", e.getMessage());
                    for (var tp : records.partitions()) {
                        consumer.seek(tp, records.records(tp).get(0).offset());
                    }
                    Thread.sleep(1_000);
                    continue;
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("webhook queue woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("webhook queue stopped; the events it did not queue are read on restart", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
    }
}
