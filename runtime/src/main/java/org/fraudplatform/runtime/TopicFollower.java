package org.fraudplatform.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a small compacted control topic (rulesets, models) on its own thread: reads every
 * partition from the beginning without a consumer group, hands the records read so far to {@code
 * apply} once it reached the end it saw at start, then every new batch as it arrives. {@link
 * #awaitCaughtUp} waits for that first application, so an instance starts with what was live.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final String name;
    private final Consumer<List<ConsumerRecord<String, byte[]>>> apply;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;

    private TopicFollower(
            KafkaConnection kafka,
            String topic,
            String name,
            int maxRecordBytes,
            Consumer<List<ConsumerRecord<String, byte[]>>> apply) {
        Properties p = new Properties();
        p.putAll(kafka.map());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.max(maxRecordBytes, 1 << 20));
        this.consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.name = name;
        this.apply = apply;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts following {@code topic}.
     *
     * @param name the thread's and client's name, for logs
     * @param maxRecordBytes the largest record the topic holds
     * @param apply called on this thread with records in offset order per partition; what it throws
     *     is logged and the records are not offered again
     */
    public static TopicFollower start(
            KafkaConnection kafka,
            String topic,
            String name,
            int maxRecordBytes,
            Consumer<List<ConsumerRecord<String, byte[]>>> apply) {
        TopicFollower f = new TopicFollower(kafka, topic, name, maxRecordBytes, apply);
        f.thread.start();
        return f;
    }

    /** Waits until everything published before the start has been read and applied. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> unapplied = new ArrayList<>();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    unapplied.add(r);
                }
                boolean atEnd =
                        partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (!unapplied.isEmpty() && (atEnd || caughtUp.getCount() == 0)) {
                    try {
                        apply.accept(List.copyOf(unapplied));
                    } catch (RuntimeException e) {
                        log.error("{}: could not apply {} record(s)", name, unapplied.size(), e);
                    }
                    unapplied.clear();
                }
                if (atEnd) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("{} woken up unexpectedly", name, e);
            }
        } catch (RuntimeException e) {
            log.error("{} stopped; what it applied stays", name, e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
