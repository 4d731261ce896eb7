package org.fraudplatform.api.payments;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this API instance's reply partition of a reply topic ({@code payments.decisions}, {@code
 * payments.command-results}) and completes the waiting requests.
 *
 * <p>One thread, one partition ({@code assign}, no consumer group): each API instance owns a reply
 * partition and stamps it on its requests, so decisions are never broadcast. It starts at the end
 * of the partition: replies for requests of an earlier process have no one waiting. Replies written
 * in transactions (the ledger's) are read committed only.
 *
 * @param <V> the reply type
 */
public final class ReplyListener<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplyListener.class);

    private final KafkaConsumer<String, V> consumer;
    private final TopicPartition partition;
    private final PendingReplies<V> pending;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong unmatched = new AtomicLong();
    private volatile boolean assigned;

    public ReplyListener(
            KafkaConnection kafka,
            Topic<String, V> replies,
            int replyPartition,
            PendingReplies<V> pending) {
        Properties props = new Properties();
        props.putAll(kafka.map());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "api-" + replies.name() + "-" + replyPartition);
        this.consumer =
                new KafkaConsumer<>(
                        props,
                        replies.keySerde().deserializer(),
                        replies.valueSerde().deserializer());
        this.partition = new TopicPartition(replies.name(), replyPartition);
        this.pending = pending;
        this.thread = new Thread(this::run, "api-replies-" + replies.name() + "-" + replyPartition);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** True once the listener is positioned on its partition and polling. */
    public boolean isReady() {
        return assigned && thread.isAlive();
    }

    /** Replies that arrived with nobody waiting for them. */
    public long unmatched() {
        return unmatched.get();
    }

    private void run() {
        try {
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            assigned = true;
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
                        if (!pending.complete(record.value())) {
                            unmatched.incrementAndGet();
                        }
                    }
                } catch (RecordDeserializationException e) {
                    // A reply we cannot read cannot complete anything; skip it, loudly.
                    log.error(
                            "skipping unreadable reply at {}@{}: {}",
                            e.topicPartition(),
                            e.offset(),
                            e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("reply listener stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
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
