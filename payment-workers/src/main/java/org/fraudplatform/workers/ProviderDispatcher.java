package org.fraudplatform.workers;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.fraudplatform.providers.PaymentProvider;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the payment provider what the ledger decided, from the ledger itself: reads {@code
 * payments.events} (committed transactions only) in a consumer group and sends each capture, void
 * and refund to the provider under the ledger's operation id; it commits its offsets only after the
 * provider confirmed. A crash therefore sends an operation again, never loses one, and the provider
 * applies each operation id once. A provider that does not answer or is unavailable is asked again
 * with growing pauses, holding back that partition (the order of a payment's operations matters: a
 * refund after its capture). The ledger, not the provider's answer, decides what the merchant was
 * told; a refusal by the provider is logged for reconciliation.
 *
 * <p>While it waits for the provider it keeps polling with its partitions paused, so that an outage
 * longer than {@code max.poll.interval.ms} does not cost it its group membership; any other failure
 * of the loop (a commit refused after a rebalance, a broker away) closes the consumer and starts
 * again from the committed offsets. The thread lives until {@link #close}; {@link #isAlive} is part
 * of the API's readiness.
 */
public final class ProviderDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProviderDispatcher.class);
    public static final String GROUP = "fraud-provider-dispatch";

    private final Properties config;
    private volatile KafkaConsumer<String, PaymentEvent> consumer;
    private final Topic<String, PaymentEvent> events;
    private final PaymentProvider provider;
    private final Duration firstPause;
    private final Duration maxPause;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong dispatched = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();

    public ProviderDispatcher(
            String bootstrapServers,
            Topic<String, PaymentEvent> events,
            PaymentProvider provider,
            Duration firstPause,
            Duration maxPause) {
        this(bootstrapServers, events, provider, firstPause, maxPause, Duration.ofMinutes(5));
    }

    /**
     * @param maxPollInterval the consumer's {@code max.poll.interval.ms}: how long it may go
     *     without polling before the group gives its partitions to another member
     */
    public ProviderDispatcher(
            String bootstrapServers,
            Topic<String, PaymentEvent> events,
            PaymentProvider provider,
            Duration firstPause,
            Duration maxPause,
            Duration maxPollInterval) {
        Properties p = new Properties();
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxPollInterval.toMillis());
        // a dead instance's captures move to another within 10 s, as the topologies' tasks do
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        // captures, voids and refunds reach the provider within 100 ms, in batches
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 32 * 1024);
        this.config = p;
        this.events = events;
        this.provider = provider;
        this.firstPause = firstPause;
        this.maxPause = maxPause;
        this.thread = new Thread(this::run, "provider-dispatch");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Operations the provider confirmed since the start. */
    public long dispatched() {
        return dispatched.get();
    }

    private void run() {
        while (running.get()) {
            consumer =
                    new KafkaConsumer<>(
                            config,
                            events.keySerde().deserializer(),
                            events.valueSerde().deserializer());
            try {
                consumer.subscribe(List.of(events.name()));
                while (running.get()) {
                    ConsumerRecords<String, PaymentEvent> records =
                            consumer.poll(Duration.ofMillis(500));
                    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                    for (ConsumerRecord<String, PaymentEvent> r : records) {
                        if (r.value() != null) {
                            dispatch(r.value());
                        }
                        done.put(
                                new TopicPartition(r.topic(), r.partition()),
                                new OffsetAndMetadata(r.offset() + 1));
                    }
                    if (!done.isEmpty()) {
                        consumer.commitSync(done);
                    }
                }
            } catch (WakeupException e) {
                if (running.get()) {
                    log.error("provider dispatch woken up unexpectedly; starting again", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                restarts.incrementAndGet();
                log.warn(
                        "provider dispatch failed ({}); starting again from the committed offsets"
                                + " in 1 s",
                        e.toString());
                sleepQuietly(1000);
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }

    private void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /** Times the loop failed and started again. */
    public long restarts() {
        return restarts.get();
    }

    /**
     * Waits {@code millis} while polling with every partition paused: the group keeps this member
     * however long the provider takes. Records of partitions assigned meanwhile are put back.
     */
    private void waitPolling(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        consumer.pause(consumer.assignment());
        while (running.get()) {
            long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
            if (left <= 0) {
                break;
            }
            ConsumerRecords<String, PaymentEvent> arrived =
                    consumer.poll(Duration.ofMillis(Math.min(left, 200)));
            for (TopicPartition tp : arrived.partitions()) {
                consumer.seek(tp, arrived.records(tp).get(0).offset());
            }
            consumer.pause(consumer.assignment());
        }
        consumer.resume(consumer.paused());
    }

    /** Sends one ledger event's operation to the provider until it answers definitively. */
    void dispatch(PaymentEvent e) throws InterruptedException {
        String reference = e.getProviderReference();
        if (reference == null) {
            return; // nothing authorized at a provider (a bank transfer, a declined payment)
        }
        String op = e.getOperationId();
        java.util.function.Supplier<CompletableFuture<ProviderResult>> call;
        switch (e.getType()) {
            case CAPTURED ->
                    call = () -> provider.capture(reference, e.getAmount(), e.getCurrency(), op);
            case REFUNDED ->
                    call = () -> provider.refund(reference, e.getAmount(), e.getCurrency(), op);
            case VOIDED -> call = () -> provider.voidAuthorization(reference, op);
            default -> {
                return; // nothing to tell the provider
            }
        }
        long pause = firstPause.toMillis();
        while (running.get()) {
            ProviderResult result;
            try {
                result = call.get().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException
                    | java.util.concurrent.TimeoutException x) {
                result = null;
            }
            if (result != null
                    && result.outcome() != ProviderResult.Outcome.UNKNOWN
                    && !result.isUnavailable()) {
                if (result.outcome() == ProviderResult.Outcome.APPROVED) {
                    dispatched.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                    log.error(
                            "provider refused {} {} of payment {}: {} {}; reconciliation will"
                                    + " show it",
                            e.getType(),
                            op,
                            e.getPaymentId(),
                            result.code(),
                            result.message());
                }
                return;
            }
            log.warn(
                    "provider did not confirm {} {} of payment {}; asking again in {} ms",
                    e.getType(),
                    op,
                    e.getPaymentId(),
                    pause);
            waitPolling(pause);
            pause = Math.min(pause * 2, maxPause.toMillis());
        }
    }

    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<String, PaymentEvent> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
