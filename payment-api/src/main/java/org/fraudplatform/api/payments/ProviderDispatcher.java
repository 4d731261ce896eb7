package org.fraudplatform.api.payments;

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
import org.fraudplatform.api.provider.PaymentProvider;
import org.fraudplatform.api.provider.ProviderResult;
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
 */
public final class ProviderDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProviderDispatcher.class);
    public static final String GROUP = "fraud-provider-dispatch";

    private final KafkaConsumer<String, PaymentEvent> consumer;
    private final Topic<String, PaymentEvent> events;
    private final PaymentProvider provider;
    private final Duration firstPause;
    private final Duration maxPause;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong dispatched = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public ProviderDispatcher(
            String bootstrapServers,
            Topic<String, PaymentEvent> events,
            PaymentProvider provider,
            Duration firstPause,
            Duration maxPause) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        // captures, voids and refunds reach the provider within 100 ms, in batches
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 32 * 1024);
        this.consumer =
                new KafkaConsumer<>(
                        p, events.keySerde().deserializer(), events.valueSerde().deserializer());
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
                log.error("provider dispatch woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("provider dispatch stopped; what it did not confirm is sent on restart", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
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
            Thread.sleep(pause);
            pause = Math.min(pause * 2, maxPause.toMillis());
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
