package org.fraudplatform.database.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps tables in PostgreSQL up to date with a topic, exactly once: the payment history with {@code
 * payments.snapshots}, the reconciliation items with theirs.
 *
 * <p>One thread reads every partition of the topic ({@code assign}, no consumer group, nothing
 * committed to Kafka), {@code read_committed} since the ledger writes snapshots in transactions. It
 * starts from the offsets stored in the database with the rows ({@link ProjectionWriter}), or from
 * the beginning of a partition it has never applied, and hands each polled batch to the writer,
 * which applies rows and offsets in one transaction. When the database fails, it seeks back to the
 * start of the batch and retries it after a growing pause, so nothing is skipped.
 *
 * <p>When a batch fails on its data instead (PostgreSQL refuses a value, see {@link
 * Quarantine#isRecordFault}), the batch is applied one record at a time; a record that fails on its
 * own data {@value Quarantine#ATTEMPTS} times goes to the dead-letter topic with the reason, and
 * the projection moves past it: one bad record never stops the history of every merchant.
 */
public final class Projector<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Projector.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** A caller of {@link #awaitCaughtUp}: done once the end offsets taken after its call. */
    private static final class Waiter {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        Map<TopicPartition, Long> target;
    }

    private final Consumer<String, V> consumer;
    private final String topic;
    private final ProjectionWriter<V> writer;
    private final Quarantine quarantine;
    private final java.util.function.Function<V, byte[]> bytes;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<Waiter> arriving = new ConcurrentLinkedQueue<>();
    private final List<Waiter> untargeted = new ArrayList<>();
    private final List<Waiter> waiting = new ArrayList<>();
    private final AtomicLong appliedRecords = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private List<TopicPartition> partitions = List.of();
    private volatile Map<TopicPartition, Long> applied = Map.of();
    private volatile long lag = -1;
    private volatile boolean ready;

    /**
     * @param bootstrapServers the Kafka cluster
     * @param topic the topic to project
     * @param writer applies its batches to the database
     * @param quarantine where records that can never be applied go
     */
    public Projector(
            String bootstrapServers,
            Topic<String, V> topic,
            ProjectionWriter<V> writer,
            Quarantine quarantine) {
        this(
                consumer(bootstrapServers, topic, writer.projection()),
                topic.name(),
                writer,
                quarantine,
                v -> topic.valueSerde().serializer().serialize(topic.name(), v),
                Duration.ofMillis(200),
                Duration.ofSeconds(30));
    }

    /**
     * With any consumer (it must not be used by anyone else) and retry pauses.
     *
     * @param bytes a value as it was on the topic, for the dead-letter record
     */
    public Projector(
            Consumer<String, V> consumer,
            String topic,
            ProjectionWriter<V> writer,
            Quarantine quarantine,
            java.util.function.Function<V, byte[]> bytes,
            Duration minBackoff,
            Duration maxBackoff) {
        this.consumer = consumer;
        this.topic = topic;
        this.writer = writer;
        this.quarantine = quarantine;
        this.bytes = bytes;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::run, "projection-" + writer.projection());
        this.thread.setDaemon(true);
    }

    private static <V> Consumer<String, V> consumer(
            String bootstrapServers, Topic<String, V> snapshots, String projection) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Only when a stored offset is out of range (e.g. the log start moved past it).
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        // off the payment's path: take records in batches (one transaction each), not one by one
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 32 * 1024);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "api-projection-" + projection);
        return new KafkaConsumer<>(
                props, snapshots.keySerde().deserializer(), snapshots.valueSerde().deserializer());
    }

    public void start() {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    /** True once the projector is positioned on every partition and polling. */
    public boolean isReady() {
        return ready && thread.isAlive();
    }

    /**
     * Records between what has been applied and the end of the topic, as of the last fetch; -1
     * until known.
     */
    public long lag() {
        return lag;
    }

    /** True when everything fetched so far has been applied and nothing more was seen. */
    public boolean caughtUp() {
        return isReady() && lag == 0;
    }

    /** Snapshots applied by this projector (tombstones included). */
    public long appliedRecords() {
        return appliedRecords.get();
    }

    /** Batches the database failed to apply (each one retried). */
    public long failures() {
        return failures.get();
    }

    /** Records skipped because they could not be deserialized. */
    public long skipped() {
        return skipped.get();
    }

    /**
     * Waits until everything in the topic when this method is called has been applied, e.g. to read
     * one's own writes. Returns false if the timeout passes first or the projector stops.
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        Waiter w = new Waiter();
        arriving.add(w);
        try {
            w.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } finally {
            w.done.cancel(false); // the thread drops it
        }
    }

    private void run() {
        try {
            if (!assignAndSeek()) {
                return;
            }
            ready = true;
            int failuresInARow = 0;
            while (running.get()) {
                targetWaiters();
                List<ConsumerRecord<String, V>> batch = poll();
                if (!batch.isEmpty()) {
                    try {
                        writer.apply(batch);
                        appliedRecords.addAndGet(batch.size());
                        failuresInARow = 0;
                    } catch (RuntimeException e) {
                        if (Quarantine.isRecordFault(e)) {
                            log.warn(
                                    "a batch of {} failed on its data ({}); applying it record by"
                                            + " record",
                                    topic,
                                    e.getMessage());
                            if (isolate(batch)) {
                                break;
                            }
                            continue;
                        }
                        failures.incrementAndGet();
                        failuresInARow++;
                        Duration pause = backoff(failuresInARow);
                        log.warn(
                                "database failure {} in a row, retrying the batch in {} ms: {}",
                                failuresInARow,
                                pause.toMillis(),
                                e.getMessage());
                        rewind(batch);
                        if (pause(pause)) {
                            break;
                        }
                        continue;
                    }
                }
                recordProgress();
                completeWaiters();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("projection of {} stopped", topic, e);
            }
        } catch (RuntimeException e) {
            log.error("projection of {} stopped", topic, e);
        } finally {
            ready = false;
            failWaiters();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Assigns every partition and seeks to the stored offsets; false when closed meanwhile. */
    private boolean assignAndSeek() {
        int attempt = 0;
        while (running.get()) {
            attempt++;
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic);
                if (infos == null || infos.isEmpty()) {
                    log.info("waiting for topic {} to exist", topic);
                } else {
                    List<TopicPartition> all = new ArrayList<>();
                    for (PartitionInfo p : infos) {
                        all.add(new TopicPartition(p.topic(), p.partition()));
                    }
                    Map<TopicPartition, Long> stored = writer.storedOffsets();
                    consumer.assign(all);
                    List<TopicPartition> fromStart = new ArrayList<>();
                    for (TopicPartition tp : all) {
                        Long next = stored.get(tp);
                        if (next == null) {
                            fromStart.add(tp);
                        } else {
                            consumer.seek(tp, next);
                        }
                    }
                    if (!fromStart.isEmpty()) {
                        consumer.seekToBeginning(fromStart);
                    }
                    partitions = List.copyOf(all);
                    recordProgress();
                    log.info("projection reading {} from {}", topic, applied);
                    return true;
                }
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("cannot start the projection of {}: {}", topic, e.getMessage());
            }
            if (pause(backoff(attempt))) {
                return false;
            }
        }
        return false;
    }

    private List<ConsumerRecord<String, V>> poll() {
        List<ConsumerRecord<String, V>> batch = new ArrayList<>();
        try {
            for (ConsumerRecord<String, V> r : consumer.poll(POLL)) {
                batch.add(r);
            }
        } catch (RecordDeserializationException e) {
            // The payment's next snapshot carries its whole state again: skip this one, loudly.
            skipped.incrementAndGet();
            log.error(
                    "skipping unreadable payment snapshot at {}@{}: {}",
                    e.topicPartition(),
                    e.offset(),
                    e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
        return batch;
    }

    /**
     * Applies a batch that failed on its data one record at a time, quarantining each record that
     * fails on its own data {@value Quarantine#ATTEMPTS} times. When anything else fails, the rest
     * of the batch is read again after a pause. Returns true when closing.
     */
    private boolean isolate(List<ConsumerRecord<String, V>> batch) {
        for (int i = 0; i < batch.size(); i++) {
            ConsumerRecord<String, V> r = batch.get(i);
            RuntimeException failure = null;
            for (int attempt = 1; attempt <= Quarantine.ATTEMPTS; attempt++) {
                try {
                    writer.apply(List.of(r));
                    appliedRecords.incrementAndGet();
                    failure = null;
                    break;
                } catch (RuntimeException e) {
                    failure = e;
                    if (!Quarantine.isRecordFault(e)) {
                        break;
                    }
                }
            }
            if (failure != null && Quarantine.isRecordFault(failure)) {
                try {
                    quarantine.send(
                            "projection-" + writer.projection(),
                            r,
                            r.value() == null ? null : bytes.apply(r.value()),
                            failure);
                    // a tombstone in its place only moves the stored offset past it
                    writer.apply(
                            List.of(
                                    new ConsumerRecord<String, V>(
                                            r.topic(), r.partition(), r.offset(), r.key(), null)));
                    failure = null;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                failures.incrementAndGet();
                log.warn(
                        "cannot apply {}@{}:{}, reading it again: {}",
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        failure.getMessage());
                rewind(batch.subList(i, batch.size()));
                return pause(backoff(1));
            }
        }
        return false;
    }

    /** Seeks each partition of a failed batch back to its first record. */
    private void rewind(List<ConsumerRecord<String, V>> batch) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, V> r : batch) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        first.forEach(consumer::seek);
    }

    /** After an applied batch: positions (past transaction markers too) and lag. */
    private void recordProgress() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        long total = 0;
        for (TopicPartition tp : partitions) {
            positions.put(tp, consumer.position(tp));
            OptionalLong l = consumer.currentLag(tp);
            if (total >= 0) {
                total = l.isPresent() ? total + Math.max(0, l.getAsLong()) : -1;
            }
        }
        applied = Map.copyOf(positions);
        lag = total;
    }

    /** Takes the end offsets for every waiter that arrived before this call. */
    private void targetWaiters() {
        Waiter w;
        while ((w = arriving.poll()) != null) {
            untargeted.add(w);
        }
        untargeted.removeIf(x -> x.done.isDone());
        if (untargeted.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> end;
        try {
            end = consumer.endOffsets(partitions, Duration.ofSeconds(5));
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("cannot read the end offsets of {}: {}", topic, e.getMessage());
            return; // next loop
        }
        for (Waiter x : untargeted) {
            x.target = end;
            waiting.add(x);
        }
        untargeted.clear();
        completeWaiters();
    }

    private void completeWaiters() {
        Map<TopicPartition, Long> now = applied;
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.done.isDone()) {
                it.remove();
                continue;
            }
            boolean reached = true;
            for (Map.Entry<TopicPartition, Long> e : w.target.entrySet()) {
                if (now.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                    reached = false;
                    break;
                }
            }
            if (reached) {
                w.done.complete(null);
                it.remove();
            }
        }
    }

    private void failWaiters() {
        IllegalStateException stopped = new IllegalStateException("projector stopped");
        waiting.forEach(w -> w.done.completeExceptionally(stopped));
        untargeted.forEach(w -> w.done.completeExceptionally(stopped));
        Waiter w;
        while ((w = arriving.poll()) != null) {
            w.done.completeExceptionally(stopped);
        }
        waiting.clear();
        untargeted.clear();
    }

    private Duration backoff(int failuresInARow) {
        long millis = minBackoff.toMillis() << Math.min(failuresInARow - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    /** Sleeps unless closing; true when closing. */
    private boolean pause(Duration pause) {
        try {
            return stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void close() {
        running.set(false);
        stopping.countDown();
        boolean wasStarted = started.getAndSet(true); // a later start() does nothing
        if (wasStarted) {
            consumer.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
        Waiter w;
        while ((w = arriving.poll()) != null) {
            w.done.completeExceptionally(new IllegalStateException("projector closed"));
        }
    }
}
