package org.fraudplatform.workers;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.fraudplatform.providers.PaymentProvider;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.consumer.ConsumerHealth;
import org.fraudplatform.runtime.consumer.ConsumerLoop;
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
 * <p>It runs on the runtime's {@link ConsumerLoop}. While it waits for the provider it keeps
 * polling with its partitions paused ({@link ConsumerLoop.PartitionPause}), so that an outage
 * longer than {@code max.poll.interval.ms} does not cost it its group membership. A batch whose
 * commit is refused (after a rebalance) is read again from its first record after 1 s; any other
 * failure of the loop (a broker away) closes the consumer and starts again from the committed
 * offsets after 1 s. The thread lives until {@link #close}; {@link #isAlive} is part of the API's
 * readiness.
 */
public final class ProviderDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProviderDispatcher.class);
    public static final String GROUP = "fraud-provider-dispatch";

    private final PaymentProvider provider;
    private final Duration firstPause;
    private final Duration maxPause;
    private final ConsumerLoop<String, PaymentEvent> loop;
    private final AtomicLong dispatched = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public ProviderDispatcher(
            KafkaConnection kafka,
            Topic<String, PaymentEvent> events,
            PaymentProvider provider,
            Duration firstPause,
            Duration maxPause) {
        this(kafka, events, provider, firstPause, maxPause, Duration.ofMinutes(5));
    }

    /**
     * @param maxPollInterval the consumer's {@code max.poll.interval.ms}: how long it may go
     *     without polling before the group gives its partitions to another member
     */
    public ProviderDispatcher(
            KafkaConnection kafka,
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
        p.putAll(kafka.map());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        // captures, voids and refunds reach the provider within 100 ms, in batches
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 32 * 1024);
        this.provider = provider;
        this.firstPause = firstPause;
        this.maxPause = maxPause;
        this.loop =
                ConsumerLoop.<String, PaymentEvent>builder(
                                "provider-dispatch",
                                events.name(),
                                () ->
                                        new KafkaConsumer<>(
                                                p,
                                                events.keySerde().deserializer(),
                                                events.valueSerde().deserializer()),
                                (records, pause) -> {
                                    for (ConsumerRecord<String, PaymentEvent> r : records) {
                                        if (r.value() != null) {
                                            dispatch(r.value(), pause);
                                        }
                                    }
                                })
                        .pollTimeout(Duration.ofMillis(500))
                        .retryPauses(Duration.ofSeconds(1), Duration.ofSeconds(1))
                        .restartConsumerOnFailure()
                        .build();
    }

    public void start() {
        loop.start();
    }

    public boolean isAlive() {
        return loop.isAlive();
    }

    /** Operations the provider confirmed since the start. */
    public long dispatched() {
        return dispatched.get();
    }

    /** Times the loop failed and started again with a new consumer. */
    public long restarts() {
        return loop.restarts();
    }

    /** The loop's liveness and counters, for metrics. */
    public ConsumerHealth health() {
        return loop;
    }

    /** Sends one ledger event's operation to the provider until it answers definitively. */
    private void dispatch(PaymentEvent e, ConsumerLoop.PartitionPause waiting)
            throws InterruptedException {
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
        while (true) {
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
            // polls with the partitions paused: the group keeps this member however long the
            // provider takes; throws when closing, so the batch is not committed
            waiting.waitPaused(Duration.ofMillis(pause));
            pause = Math.min(pause * 2, maxPause.toMillis());
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
