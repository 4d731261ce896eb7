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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.consumer.ConsumerHealth;
import org.fraudplatform.runtime.consumer.ConsumerLoop;
import org.fraudplatform.runtime.consumer.ConsumerView;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps tables in PostgreSQL up to date with a topic, exactly once: the payment history with {@code
 * payments.snapshots}, the reconciliation items with theirs.
 *
 * <p>It runs on the runtime's {@link ConsumerLoop} with positions kept in the database: one thread
 * reads every partition of the topic ({@code assign}, no consumer group, nothing committed to
 * Kafka), {@code read_committed} since the ledger writes snapshots in transactions. It starts from
 * the offsets stored in the database with the rows ({@link ProjectionWriter}), or from the
 * beginning of a partition it has never applied, and hands each polled batch to the writer, which
 * applies rows and offsets in one transaction (and skips records below the stored offsets, so a
 * batch read again changes nothing twice). When the database fails, the batch is read again after a
 * growing pause, so nothing is skipped.
 *
 * <p>When a batch fails on its data instead (PostgreSQL refuses a value, see {@link
 * Quarantine#isRecordFault}), the batch is applied one record at a time; a record that fails on its
 * own data {@value Quarantine#ATTEMPTS} times goes to the dead-letter topic with the reason, a
 * tombstone in its place moves the stored offset past it, and the projection goes on: one bad
 * record never stops the history of every merchant. A snapshot that cannot be deserialized is
 * skipped, loudly: the payment's next snapshot carries its whole state again.
 */
public final class Projector<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Projector.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * How long the projections a merchant reads right after writing (the payment history) wait to
     * fill a batch.
     */
    public static final Duration FRESH = Duration.ofMillis(100);

    /**
     * How long the projections people read (the console's decisions, links and labels, the
     * reconciliation items, the audit trail) wait to fill a batch.
     */
    public static final Duration RELAXED = Duration.ofMillis(500);

    /** A caller of {@link #awaitCaughtUp}: done once the end offsets taken after its call. */
    private static final class Waiter {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        Map<TopicPartition, Long> target;
    }

    private final String topic;
    private final ConsumerLoop<String, V> loop;
    private final ConcurrentLinkedQueue<Waiter> arriving = new ConcurrentLinkedQueue<>();
    private final List<Waiter> untargeted = new ArrayList<>();
    private final List<Waiter> waiting = new ArrayList<>();
    private volatile Map<TopicPartition, Long> applied = Map.of();
    private volatile long lag = -1;
    private volatile boolean ready;
    private volatile boolean closed;

    /**
     * @param kafka the Kafka cluster and how its clients connect
     * @param topic the topic to project
     * @param writer applies its batches to the database
     * @param quarantine where records that can never be applied go
     */
    public Projector(
            KafkaConnection kafka,
            Topic<String, V> topic,
            ProjectionWriter<V> writer,
            Quarantine quarantine) {
        this(kafka, topic, writer, quarantine, FRESH);
    }

    /**
     * A projection that lags its topic by up to {@code batchWait} under a steady flow: each fetch
     * waits that long for records unless a megabyte has arrived sooner, and the writer applies what
     * it got in one transaction. A longer wait makes fewer, larger transactions, whose fixed cost
     * (offset rows locked and stored, the commit) is then shared by more records: what read models
     * that nobody reads within the second choose ({@link #RELAXED}).
     */
    public Projector(
            KafkaConnection kafka,
            Topic<String, V> topic,
            ProjectionWriter<V> writer,
            Quarantine quarantine,
            Duration batchWait) {
        this(
                consumer(kafka, topic, writer.projection(), batchWait),
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
        this.topic = topic;
        String name = "projection-" + writer.projection();
        this.loop =
                ConsumerLoop.<String, V>builder(
                                name,
                                topic,
                                () -> consumer,
                                (records, pause) -> writer.apply(records))
                        .positions(partitions -> writer.storedOffsets())
                        .pollTimeout(POLL)
                        .retryPauses(minBackoff, maxBackoff)
                        .deadLetters(
                                Quarantine::isRecordFault,
                                Quarantine.ATTEMPTS,
                                (r, why) -> {
                                    quarantine.send(
                                            name,
                                            r,
                                            r.value() == null ? null : bytes.apply(r.value()),
                                            why);
                                    // a tombstone in its place only moves the stored offset past it
                                    writer.apply(
                                            List.of(
                                                    new ConsumerRecord<String, V>(
                                                            r.topic(),
                                                            r.partition(),
                                                            r.offset(),
                                                            r.key(),
                                                            null)));
                                })
                        .skipUnreadable()
                        .progress(this::progressed)
                        .build();
    }

    private static <V> Consumer<String, V> consumer(
            KafkaConnection kafka,
            Topic<String, V> snapshots,
            String projection,
            Duration batchWait) {
        Properties props = new Properties();
        props.putAll(kafka.map());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Only when a stored offset is out of range (e.g. the log start moved past it).
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // off the payment's path: take records in batches (one transaction each), not one by one
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) batchWait.toMillis());
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024 * 1024);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "api-projection-" + projection);
        return new KafkaConsumer<>(
                props, snapshots.keySerde().deserializer(), snapshots.valueSerde().deserializer());
    }

    public void start() {
        if (!closed) {
            loop.start();
        }
    }

    /** True once the projector is positioned on every partition and polling. */
    public boolean isReady() {
        return ready && loop.isAlive();
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
        return loop.recordsHandled();
    }

    /** Batches the database failed to apply (each one retried). */
    public long failures() {
        return loop.batchesRetried();
    }

    /** Records skipped because they could not be deserialized. */
    public long skipped() {
        return loop.recordsSkipped();
    }

    /** The loop's liveness and counters, for metrics. */
    public ConsumerHealth health() {
        return loop;
    }

    /**
     * Waits until everything in the topic when this method is called has been applied, e.g. to read
     * one's own writes. Returns false if the timeout passes first or the projector stops.
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        if (closed) {
            return false;
        }
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

    /** On the loop's thread, each time it moved on: positions, lag and the waiters. */
    private void progressed(ConsumerView consumer) {
        targetWaiters(consumer);
        recordProgress(consumer);
        completeWaiters();
        ready = true;
    }

    /** Positions (past transaction markers too) and lag. */
    private void recordProgress(ConsumerView consumer) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
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
    private void targetWaiters(ConsumerView consumer) {
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
            end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(5));
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

    /** After the loop's thread ended: every waiter fails. */
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

    @Override
    public void close() {
        closed = true;
        loop.close();
        ready = false;
        failWaiters();
    }
}
