package org.fraudplatform.runtime.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one poll loop behind the platform's consumers: it owns the thread and the consumer, polls,
 * hands each polled batch to a {@link Handler}, and moves past a batch only after the handler
 * returned, so a crash at any point reads again what was not finished and never skips anything.
 * Handlers therefore make a repeated record harmless (they key what they write by the event's id,
 * or the downstream applies each operation id once).
 *
 * <p><b>Positions.</b> By default the consumer is in a consumer group (the caller's consumer
 * properties name it, with auto-commit off) and the loop commits the offsets of a batch after its
 * handler returned. With a {@link PositionStore} the loop assigns itself every partition, starts
 * from the stored positions, and commits nothing: the handler stores the positions with its
 * results, in one transaction.
 *
 * <p><b>Failures.</b>
 *
 * <ul>
 *   <li>A handler or a commit that fails on a batch: the batch is read again after a pause that
 *       doubles with each failure in a row, from the first pause up to the longest; a database or a
 *       downstream service that is away is waited for, however long, and nothing is skipped.
 *   <li>A handler that fails on the records themselves (the caller's record-fault test says so,
 *       e.g. PostgreSQL refused a value): the batch is handled one record at a time, each record
 *       tried up to the allowed attempts, and a record that keeps failing on its own data goes to
 *       the {@link DeadLetterSink} with the reason; the loop then moves past it. A failure of
 *       another kind during that reads the whole batch again.
 *   <li>Anything else (the poll, the broker away, a seek after a rebalance, an unexpected wake-up)
 *       is logged and counted as a restart; the loop goes on after a pause, with a new consumer if
 *       so configured. Nothing ends the thread before {@link #close}.
 * </ul>
 *
 * <p><b>Waiting.</b> A handler that must wait (a provider that does not answer) calls {@link
 * PartitionPause#waitPaused}: the loop keeps polling with every partition paused, so a wait longer
 * than {@code max.poll.interval.ms} does not cost the group membership, and resumes them after.
 *
 * <p><b>Unreadable records.</b> A record that cannot be deserialized fails the poll, a failure of
 * the loop, unless the loop is told to skip such records ({@link Builder#skipUnreadable}).
 *
 * <p><b>Progress.</b> A {@link Progress} listener hears, on the loop's thread, each time the loop
 * moved on, and may ask the consumer where it is ({@link ConsumerView}): for lag and
 * read-your-writes waits.
 *
 * <p><b>Liveness and counters.</b> {@link #isAlive}, {@link #lastPoll}, and counters as plain
 * methods ({@link #recordsHandled}, {@link #batchesRetried}, {@link #recordsDeadLettered}, {@link
 * #restarts}) that a metrics registry can bind to; this module depends on none.
 *
 * <p><b>Closing.</b> {@link #close} wakes the consumer and waits up to ten seconds for the thread.
 * A handler waiting in {@link PartitionPause#waitPaused} gets an {@link InterruptedException}; the
 * batch it was handling is not committed and is read again by the next consumer of the group.
 */
public final class ConsumerLoop<K, V> implements AutoCloseable, ConsumerHealth {

    /** What to do with a batch of records, in offset order per partition. */
    @FunctionalInterface
    public interface Handler<K, V> {

        /**
         * Handles the records; the loop moves past them only once this returns.
         *
         * @param pause lets the handler wait while the loop keeps the consumer's membership
         * @throws InterruptedException when the loop closes during a wait: nothing is committed
         */
        void handle(List<ConsumerRecord<K, V>> records, PartitionPause pause)
                throws InterruptedException;
    }

    /** Given to a {@link Handler}: a wait that keeps polling with every partition paused. */
    @FunctionalInterface
    public interface PartitionPause {

        /**
         * Waits for {@code duration} on the loop's thread, polling with every partition paused;
         * records of partitions assigned meanwhile are put back, the partitions are resumed after.
         *
         * @throws InterruptedException when the loop is closing (the handler must give up)
         */
        void waitPaused(Duration duration) throws InterruptedException;
    }

    /**
     * Told, on the loop's thread, each time the loop is where it should be: positioned at the
     * start, after an empty poll, after a batch it moved past (not after one it reads again).
     */
    @FunctionalInterface
    public interface Progress {
        void progressed(ConsumerView consumer);
    }

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration PAUSED_POLL = Duration.ofMillis(200);
    private static final Duration JOIN = Duration.ofSeconds(10);

    private final String name;
    private final String topic;
    private final Supplier<? extends Consumer<K, V>> consumers;
    private final Handler<K, V> handler;
    private final PositionStore store;
    private final Duration pollTimeout;
    private final Duration firstPause;
    private final Duration maxPause;
    private final Predicate<Throwable> isRecordFault;
    private final int attempts;
    private final DeadLetterSink<K, V> deadLetters;
    private final boolean restartConsumer;
    private final boolean skipUnreadable;
    private final Progress progress;
    private final ConsumerView view = new View();
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Consumer<K, V> consumer;
    private volatile long lastPollMillis = -1;
    private int loopFailuresInARow; // the loop's thread only
    private final AtomicLong recordsHandled = new AtomicLong();
    private final AtomicLong batchesRetried = new AtomicLong();
    private final AtomicLong recordsDeadLettered = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong recordsSkipped = new AtomicLong();

    private ConsumerLoop(Builder<K, V> b) {
        this.name = b.name;
        this.topic = b.topic;
        this.consumers = b.consumers;
        this.handler = b.handler;
        this.store = b.store;
        this.pollTimeout = b.pollTimeout;
        this.firstPause = b.firstPause;
        this.maxPause = b.maxPause;
        this.isRecordFault = b.isRecordFault;
        this.attempts = b.attempts;
        this.deadLetters = b.deadLetters;
        this.restartConsumer = b.restartConsumer;
        this.skipUnreadable = b.skipUnreadable;
        this.progress = b.progress;
        this.consumer = Objects.requireNonNull(consumers.get(), "consumer");
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /**
     * A loop over {@code topic}.
     *
     * @param name the thread's name, and the loop's in logs
     * @param consumers makes the consumer (at the start, and again on a restart); it must not
     *     commit automatically, and in a group it names the group
     */
    public static <K, V> Builder<K, V> builder(
            String name,
            String topic,
            Supplier<? extends Consumer<K, V>> consumers,
            Handler<K, V> handler) {
        return new Builder<>(name, topic, consumers, handler);
    }

    /** Starts the thread; once only. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    /** True while the thread runs: from {@link #start} until {@link #close}. */
    @Override
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** When the consumer last returned from a poll (a paused one included); empty before. */
    @Override
    public Optional<Instant> lastPoll() {
        long at = lastPollMillis;
        return at < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
    }

    /** Records whose batch the loop moved past after its handler returned (dead letters not). */
    @Override
    public long recordsHandled() {
        return recordsHandled.get();
    }

    /** Times a batch failed and was read again. */
    @Override
    public long batchesRetried() {
        return batchesRetried.get();
    }

    /** Records sent to the dead-letter sink. */
    @Override
    public long recordsDeadLettered() {
        return recordsDeadLettered.get();
    }

    /** Times the loop itself failed (not a handler) and went on, or started a new consumer. */
    @Override
    public long restarts() {
        return restarts.get();
    }

    /**
     * Records skipped because they could not be deserialized (see {@link Builder#skipUnreadable}).
     */
    @Override
    public long recordsSkipped() {
        return recordsSkipped.get();
    }

    private void run() {
        try {
            while (running) {
                try {
                    if (consumer == null) {
                        consumer = consumers.get();
                    }
                    if (!position()) {
                        return;
                    }
                    progress.progressed(view);
                    poll();
                    return; // poll() returns only when closing
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    restarts.incrementAndGet();
                    loopFailuresInARow++;
                    Duration pause = backoff(loopFailuresInARow);
                    if (e instanceof WakeupException) {
                        log.error("{} woken up unexpectedly; going on in {}", name, pause, e);
                    } else {
                        log.warn(
                                "{}: {}; going on in {}{} (what was not committed is read again)",
                                name,
                                e.toString(),
                                pause,
                                restartConsumer ? " with a new consumer" : "");
                    }
                    if (restartConsumer) {
                        closeConsumer();
                    }
                    if (sleep(pause)) {
                        return;
                    }
                }
            }
        } finally {
            closeConsumer();
        }
    }

    /** Subscribes, or assigns and seeks to the stored positions; false when closed meanwhile. */
    private boolean position() {
        if (store == null) {
            consumer.subscribe(List.of(topic));
            return true;
        }
        while (running) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> all = new ArrayList<>();
                for (PartitionInfo p : infos) {
                    all.add(new TopicPartition(p.topic(), p.partition()));
                }
                Map<TopicPartition, Long> stored = store.stored(all);
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
                if (!fromStart.isEmpty()) { // an empty list would mean every partition
                    consumer.seekToBeginning(fromStart);
                }
                log.info(
                        "{} reading {} from {} (the rest from the beginning)", name, topic, stored);
                return true;
            }
            log.info("{}: waiting for topic {} to exist", name, topic);
            if (sleep(firstPause)) {
                return false;
            }
        }
        return false;
    }

    private void poll() throws InterruptedException {
        int failuresInARow = 0;
        while (running) {
            ConsumerRecords<K, V> polled;
            try {
                polled = consumer.poll(pollTimeout);
            } catch (RecordDeserializationException e) {
                if (!skipUnreadable) {
                    throw e;
                }
                recordsSkipped.incrementAndGet();
                log.error(
                        "{}: skipping the unreadable record at {}@{}: {}",
                        name,
                        e.topicPartition(),
                        e.offset(),
                        e.getMessage());
                consumer.seek(e.topicPartition(), e.offset() + 1);
                continue;
            }
            lastPollMillis = System.currentTimeMillis();
            loopFailuresInARow = 0;
            if (polled.isEmpty()) {
                progress.progressed(view);
                continue;
            }
            List<ConsumerRecord<K, V>> batch = new ArrayList<>(polled.count());
            polled.forEach(batch::add);
            RuntimeException failure = handleAndCommit(batch);
            if (failure == null) {
                failuresInARow = 0;
                progress.progressed(view);
                continue;
            }
            batchesRetried.incrementAndGet();
            failuresInARow++;
            Duration pause = backoff(failuresInARow);
            log.warn(
                    "{}: a batch of {} record(s) failed {} time(s) in a row, reading it again in"
                            + " {}: {}",
                    name,
                    batch.size(),
                    failuresInARow,
                    pause,
                    failure.toString());
            rewind(batch);
            if (sleep(pause)) {
                return;
            }
        }
    }

    /**
     * Handles a batch (record by record when it failed on its records) and commits it; the failure
     * when the batch must be read again, null when the loop moved past it.
     */
    private RuntimeException handleAndCommit(List<ConsumerRecord<K, V>> batch)
            throws InterruptedException {
        try {
            int deadLettered = 0;
            try {
                handler.handle(batch, this::waitPaused);
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                if (deadLetters == null || !isRecordFault.test(e)) {
                    throw e;
                }
                log.warn(
                        "{}: a batch failed on its records ({}); handling it record by record",
                        name,
                        e.toString());
                deadLettered = oneByOne(batch);
            }
            commit(batch);
            recordsHandled.addAndGet(batch.size() - deadLettered);
            return null;
        } catch (WakeupException e) {
            if (!running) {
                throw new InterruptedException(name + " is closing");
            }
            throw e;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * Handles each record alone, up to the allowed attempts, and sends one that keeps failing on
     * its own data to the dead-letter sink; returns how many were. Throws the first failure of
     * another kind (the batch is read again).
     */
    private int oneByOne(List<ConsumerRecord<K, V>> batch) throws InterruptedException {
        int deadLettered = 0;
        for (ConsumerRecord<K, V> r : batch) {
            RuntimeException failure = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                try {
                    handler.handle(List.of(r), this::waitPaused);
                    failure = null;
                    break;
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    failure = e;
                    if (!isRecordFault.test(e)) {
                        throw e;
                    }
                }
            }
            if (failure != null) {
                deadLetters.send(r, failure);
                recordsDeadLettered.incrementAndGet();
                deadLettered++;
                log.error(
                        "{}: {}@{}:{} failed {} time(s) on its own data; dead-lettered: {}",
                        name,
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        attempts,
                        failure.toString());
            }
        }
        return deadLettered;
    }

    /** In a group, commits the offsets after the batch's last record of each partition. */
    private void commit(List<ConsumerRecord<K, V>> batch) {
        if (store != null) {
            return; // the handler stored the positions with its results
        }
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<K, V> r : batch) {
            next.put(
                    new TopicPartition(r.topic(), r.partition()),
                    new OffsetAndMetadata(r.offset() + 1));
        }
        consumer.commitSync(next);
    }

    /** Seeks each partition of a failed batch that is still assigned back to its first record. */
    private void rewind(List<ConsumerRecord<K, V>> batch) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<K, V> r : batch) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        Set<TopicPartition> assigned = consumer.assignment();
        first.forEach(
                (tp, offset) -> {
                    if (assigned.contains(tp)) {
                        consumer.seek(tp, offset);
                    }
                });
    }

    private void waitPaused(Duration duration) throws InterruptedException {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("waitPaused is for the handler, on " + name);
        }
        Consumer<K, V> c = consumer;
        long until = System.nanoTime() + duration.toNanos();
        c.pause(c.assignment());
        try {
            while (true) {
                if (!running) {
                    throw new InterruptedException(name + " is closing");
                }
                long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                ConsumerRecords<K, V> arrived;
                try {
                    arrived = c.poll(Duration.ofMillis(Math.min(left, PAUSED_POLL.toMillis())));
                } catch (WakeupException e) {
                    if (!running) {
                        throw new InterruptedException(name + " is closing");
                    }
                    throw e;
                }
                lastPollMillis = System.currentTimeMillis();
                for (TopicPartition tp : arrived.partitions()) {
                    c.seek(tp, arrived.records(tp).get(0).offset());
                }
                c.pause(c.assignment());
            }
        } finally {
            c.resume(c.paused());
        }
    }

    private Duration backoff(int failuresInARow) {
        long millis = firstPause.toMillis() << Math.min(failuresInARow - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxPause.toMillis()));
    }

    /** Sleeps unless closing; true when closing. */
    private boolean sleep(Duration pause) {
        try {
            return stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return true;
        }
    }

    private void closeConsumer() {
        Consumer<K, V> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                log.warn("{}: closing the consumer failed: {}", name, e.toString());
            }
        }
    }

    /**
     * Stops the loop: wakes the consumer, lets a waiting handler give up (nothing of its batch is
     * committed), waits up to ten seconds for the thread, and closes the consumer.
     */
    @Override
    public void close() {
        running = false;
        stopping.countDown();
        if (!started.getAndSet(true)) {
            closeConsumer(); // never started: nothing else uses it
            return;
        }
        Consumer<K, V> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(JOIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "consumer loop " + name + " on " + topic;
    }

    /** The consumer as a {@link Progress} listener may see it. */
    private final class View implements ConsumerView {
        @Override
        public Set<TopicPartition> assignment() {
            return consumer.assignment();
        }

        @Override
        public long position(TopicPartition partition) {
            return consumer.position(partition);
        }

        @Override
        public OptionalLong currentLag(TopicPartition partition) {
            return consumer.currentLag(partition);
        }

        @Override
        public Map<TopicPartition, Long> endOffsets(
                Collection<TopicPartition> partitions, Duration timeout) {
            return consumer.endOffsets(partitions, timeout);
        }
    }

    /** How a {@link ConsumerLoop} reads, retries and gives up on a record. */
    public static final class Builder<K, V> {
        private final String name;
        private final String topic;
        private final Supplier<? extends Consumer<K, V>> consumers;
        private final Handler<K, V> handler;
        private PositionStore store;
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration firstPause = Duration.ofSeconds(1);
        private Duration maxPause = Duration.ofSeconds(30);
        private Predicate<Throwable> isRecordFault = t -> false;
        private int attempts = 1;
        private DeadLetterSink<K, V> deadLetters;
        private boolean restartConsumer;
        private boolean skipUnreadable;
        private Progress progress = view -> {};

        private Builder(
                String name,
                String topic,
                Supplier<? extends Consumer<K, V>> consumers,
                Handler<K, V> handler) {
            this.name = Objects.requireNonNull(name);
            this.topic = Objects.requireNonNull(topic);
            this.consumers = Objects.requireNonNull(consumers);
            this.handler = Objects.requireNonNull(handler);
        }

        /** Positions kept by the handler in {@code store} instead of group commits. */
        public Builder<K, V> positions(PositionStore store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        /** How long a poll waits for records (200 ms by default). */
        public Builder<K, V> pollTimeout(Duration timeout) {
            this.pollTimeout = timeout;
            return this;
        }

        /**
         * The pause before a failed batch is read again or the loop goes on after a failure: {@code
         * first}, doubled with each failure in a row up to {@code max} (1 s to 30 s by default).
         */
        public Builder<K, V> retryPauses(Duration first, Duration max) {
            if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("pauses: 0 < first <= max");
            }
            this.firstPause = first;
            this.maxPause = max;
            return this;
        }

        /**
         * Records that make the handler fail {@code attempts} times on their own go to {@code
         * sink}; without this every failure reads the batch again.
         *
         * @param isRecordFault true when a failure is the records' (their data), not the
         *     infrastructure's
         */
        public Builder<K, V> deadLetters(
                Predicate<Throwable> isRecordFault, int attempts, DeadLetterSink<K, V> sink) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1");
            }
            this.isRecordFault = Objects.requireNonNull(isRecordFault);
            this.attempts = attempts;
            this.deadLetters = Objects.requireNonNull(sink);
            return this;
        }

        /**
         * After a failure of the loop itself, close the consumer and go on with a new one (from the
         * committed offsets) instead of the same one.
         */
        public Builder<K, V> restartConsumerOnFailure() {
            this.restartConsumer = true;
            return this;
        }

        /**
         * A record that cannot be deserialized is logged, counted and skipped, instead of failing
         * the loop (which would then meet it again): for topics whose next record supersedes it.
         */
        public Builder<K, V> skipUnreadable() {
            this.skipUnreadable = true;
            return this;
        }

        /** Tells {@code listener} where the loop is each time it made progress. */
        public Builder<K, V> progress(Progress listener) {
            this.progress = Objects.requireNonNull(listener);
            return this;
        }

        /** The loop, with its first consumer made; {@link ConsumerLoop#start} runs it. */
        public ConsumerLoop<K, V> build() {
            return new ConsumerLoop<>(this);
        }
    }
}
