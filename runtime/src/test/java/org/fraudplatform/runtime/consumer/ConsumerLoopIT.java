package org.fraudplatform.runtime.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer loop against a real broker: what it commits and when, how it retries, what it
 * dead-letters, how it waits with its partitions paused, and how it closes.
 */
class ConsumerLoopIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir static Path dir;
    private static TestBroker broker;
    private static KafkaProducer<String, String> producer;

    private String topic;
    private String group;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start(dir.resolve("kafka"));
        producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new StringSerializer(),
                        new StringSerializer());
    }

    @AfterAll
    static void stopBroker() {
        producer.close();
        broker.close();
    }

    @BeforeEach
    void createTopic(TestInfo test) throws Exception {
        topic = test.getTestMethod().orElseThrow().getName();
        group = topic + "-group";
        createTopics(topic, topic + ".dlq");
    }

    @Test
    void commitsOnlyAfterTheHandlerReturnedSoABatchClosedMidHandlingIsReadAgain() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        CountDownLatch waiting = new CountDownLatch(1);
        send("a", "b");
        ConsumerLoop<String, String> loop =
                loop(
                        (records, pause) -> {
                            first.addAll(values(records));
                            if (values(records).contains("c")) {
                                waiting.countDown();
                                pause.waitPaused(Duration.ofMinutes(5)); // never returns
                            }
                        });
        try {
            loop.start();
            await(() -> loop.recordsHandled() == 2);
            send("c");
            assertThat(waiting.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            Instant closing = Instant.now();
            loop.close();
            assertThat(Duration.between(closing, Instant.now()))
                    .as("a handler waiting in waitPaused gives up on close")
                    .isLessThan(Duration.ofSeconds(8));
            assertThat(loop.isAlive()).isFalse();
            assertThat(loop.recordsHandled()).isEqualTo(2);
        } finally {
            loop.close();
        }
        assertThat(first).containsExactly("a", "b", "c");

        List<String> second = new CopyOnWriteArrayList<>();
        try (ConsumerLoop<String, String> next =
                loop((records, pause) -> second.addAll(values(records)))) {
            next.start();
            await(() -> next.recordsHandled() == 1);
            Thread.sleep(500);
            assertThat(second)
                    .as("what was committed is not read again, what was not is")
                    .containsExactly("c");
        }
    }

    @Test
    void readsAFailingBatchAgainAfterAGrowingPauseWithoutSkippingAnything() throws Exception {
        List<Instant> attempts = new CopyOnWriteArrayList<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        send("a", "b", "c");
        try (ConsumerLoop<String, String> loop =
                ConsumerLoop.builder(
                                "retrying",
                                topic,
                                () -> consumer(group),
                                (records, pause) -> {
                                    attempts.add(Instant.now());
                                    if (attempts.size() <= 3) {
                                        throw new IllegalStateException("database away");
                                    }
                                    handled.addAll(values(records));
                                })
                        .retryPauses(Duration.ofMillis(300), Duration.ofMillis(600))
                        .deadLetters(e -> false, 3, (r, why) -> {})
                        .build()) {
            loop.start();
            await(() -> loop.recordsHandled() == 3);

            assertThat(handled).containsExactly("a", "b", "c");
            assertThat(loop.batchesRetried()).isEqualTo(3);
            assertThat(loop.recordsDeadLettered()).isZero();
            assertThat(loop.restarts()).isZero();
            assertThat(loop.isAlive()).isTrue();
            assertThat(Duration.between(attempts.get(0), attempts.get(1)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(Duration.between(attempts.get(1), attempts.get(2)))
                    .as("the pause doubles")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(600));
            assertThat(Duration.between(attempts.get(2), attempts.get(3)))
                    .as("up to the longest")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(600))
                    .isLessThan(Duration.ofMillis(1150));
        }
    }

    @Test
    void sendsARecordThatFailsOnItsOwnDataNTimesToTheDeadLettersWithTheReason() throws Exception {
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        send("ok-1", "poison", "ok-2");
        try (ConsumerLoop<String, String> loop =
                ConsumerLoop.builder(
                                "dead-lettering",
                                topic,
                                () -> consumer(group),
                                (records, pause) -> {
                                    for (ConsumerRecord<String, String> r : records) {
                                        tries.computeIfAbsent(r.value(), v -> new AtomicInteger())
                                                .incrementAndGet();
                                        if (r.value().equals("poison")) {
                                            throw new IllegalArgumentException(
                                                    "cannot read " + r.value());
                                        }
                                    }
                                    handled.addAll(values(records));
                                })
                        .retryPauses(Duration.ofMillis(100), Duration.ofMillis(100))
                        .deadLetters(
                                e -> e instanceof IllegalArgumentException, 3, this::deadLetter)
                        .build()) {
            loop.start();
            await(() -> loop.recordsHandled() == 2);

            assertThat(handled).containsExactly("ok-1", "ok-2");
            assertThat(tries.get("poison").get())
                    .as("once in the batch, then three times alone")
                    .isEqualTo(4);
            assertThat(loop.recordsDeadLettered()).isEqualTo(1);
            assertThat(loop.batchesRetried()).isZero();
        }
        List<ConsumerRecord<String, String>> letters = readAll(topic + ".dlq", 1);
        assertThat(letters).extracting(ConsumerRecord::value).containsExactly("poison");
        assertThat(
                        new String(
                                letters.get(0).headers().lastHeader("reason").value(),
                                StandardCharsets.UTF_8))
                .isEqualTo("java.lang.IllegalArgumentException: cannot read poison");

        List<String> again = new CopyOnWriteArrayList<>();
        send("ok-3");
        try (ConsumerLoop<String, String> next =
                loop((records, pause) -> again.addAll(values(records)))) {
            next.start();
            await(() -> next.recordsHandled() == 1);
            assertThat(again).as("the loop committed past the dead letter").containsExactly("ok-3");
        }
    }

    @Test
    void keepsItsGroupMembershipWhileAHandlerWaitsLongerThanTheMaxPollInterval() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        List<Instant> polls = new CopyOnWriteArrayList<>();
        AtomicInteger waits = new AtomicInteger();
        Properties shortPollInterval = new Properties();
        shortPollInterval.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1_500);
        shortPollInterval.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 3_000);
        shortPollInterval.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        AtomicReference<ConsumerLoop<String, String>> self = new AtomicReference<>();
        send("first");
        try (ConsumerLoop<String, String> loop =
                ConsumerLoop.<String, String>builder(
                                "pausing",
                                topic,
                                () -> consumer(group, shortPollInterval),
                                (records, pause) -> {
                                    if (values(records).contains("first")
                                            && waits.getAndIncrement() == 0) {
                                        for (int i = 0; i < 10; i++) {
                                            pause.waitPaused(Duration.ofMillis(450));
                                            self.get().lastPoll().ifPresent(polls::add);
                                        }
                                    }
                                    handled.addAll(values(records));
                                })
                        .build()) {
            self.set(loop);
            loop.start();
            await(() -> waits.get() == 1);
            send("second"); // arrives while the partition is paused

            await(() -> loop.recordsHandled() == 2);
            assertThat(handled)
                    .as("a record that arrived during the wait comes after it, once")
                    .containsExactly("first", "second");
            assertThat(waits.get()).as("the waiting batch was not handed out again").isEqualTo(1);
            assertThat(loop.batchesRetried()).as("its commit was accepted").isZero();
            assertThat(loop.restarts()).isZero();
            assertThat(polls).hasSize(10);
            assertThat(polls.get(9)).isAfter(polls.get(0));
        }
    }

    @Test
    void reportsLivenessFromStartToClose() throws Exception {
        ConsumerLoop<String, String> loop = loop((records, pause) -> {});
        assertThat(loop.isAlive()).isFalse();
        assertThat(loop.lastPoll()).isEmpty();

        loop.start();
        await(() -> loop.lastPoll().isPresent());
        Instant firstSeen = loop.lastPoll().orElseThrow();
        await(() -> loop.lastPoll().orElseThrow().isAfter(firstSeen));
        assertThat(loop.isAlive()).isTrue();

        loop.close();
        assertThat(loop.isAlive()).isFalse();
        Optional<Instant> last = loop.lastPoll();
        Thread.sleep(500);
        assertThat(loop.lastPoll()).isEqualTo(last);
    }

    @Test
    void startsFromAndLeavesPositionsToAStoreTheHandlerWritesWithItsResults() throws Exception {
        Map<TopicPartition, Long> store = new ConcurrentHashMap<>();
        List<String> results = Collections.synchronizedList(new ArrayList<>());
        ConsumerLoop.Handler<String, String> projection =
                (records, pause) -> {
                    synchronized (results) { // "one transaction": results and positions
                        results.addAll(values(records));
                        for (ConsumerRecord<String, String> r : records) {
                            store.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                        }
                    }
                };
        send("a", "b");
        try (ConsumerLoop<String, String> loop = storeLoop(store, projection)) {
            loop.start();
            await(() -> loop.recordsHandled() == 2);
        }
        assertThat(store).containsEntry(new TopicPartition(topic, 0), 2L);

        send("c");
        try (ConsumerLoop<String, String> loop = storeLoop(store, projection)) {
            loop.start();
            await(() -> loop.recordsHandled() == 1);
        }
        assertThat(results).containsExactly("a", "b", "c");
        assertThat(store).containsEntry(new TopicPartition(topic, 0), 3L);
    }

    @Test
    void goesOnAfterAFailureOfItsOwnWithANewConsumerAndNeverEndsBeforeClose() throws Exception {
        AtomicInteger storeAway = new AtomicInteger(2);
        AtomicInteger consumersMade = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        send("a");
        try (ConsumerLoop<String, String> loop =
                ConsumerLoop.<String, String>builder(
                                "restarting",
                                topic,
                                () -> {
                                    consumersMade.incrementAndGet();
                                    return consumer(null);
                                },
                                (records, pause) -> handled.addAll(values(records)))
                        .positions(
                                partitions -> {
                                    if (storeAway.getAndDecrement() > 0) {
                                        throw new IllegalStateException("position store away");
                                    }
                                    return Map.of();
                                })
                        .retryPauses(Duration.ofMillis(100), Duration.ofMillis(200))
                        .restartConsumerOnFailure()
                        .build()) {
            loop.start();
            await(() -> handled.size() == 1);

            assertThat(handled).containsExactly("a");
            assertThat(loop.restarts()).isEqualTo(2);
            assertThat(consumersMade.get()).as("a new consumer after each failure").isEqualTo(3);
            assertThat(loop.isAlive()).isTrue();
        }
    }

    @Test
    void skipsAnUnreadableRecordWhenToldToAndCountsIt() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        send("a", "unreadable", "b");
        try (ConsumerLoop<String, String> loop =
                ConsumerLoop.<String, String>builder(
                                "skipping",
                                topic,
                                () -> {
                                    Properties p = new Properties();
                                    p.put(
                                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                            broker.bootstrapServers());
                                    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
                                    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
                                    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                                    Deserializer<String> refusing =
                                            (t, data) -> {
                                                String v = new String(data, StandardCharsets.UTF_8);
                                                if (v.equals("unreadable")) {
                                                    throw new SerializationException("not a value");
                                                }
                                                return v;
                                            };
                                    return new KafkaConsumer<>(
                                            p, new StringDeserializer(), refusing);
                                },
                                (records, pause) -> handled.addAll(values(records)))
                        .skipUnreadable()
                        .build()) {
            loop.start();
            await(() -> handled.size() == 2);

            assertThat(handled).containsExactly("a", "b");
            assertThat(loop.recordsSkipped()).isEqualTo(1);
            assertThat(loop.restarts()).isZero();
        }
    }

    @Test
    void tellsAProgressListenerWhereItIsAfterEachBatchItMovedPast() throws Exception {
        List<Long> positions = new CopyOnWriteArrayList<>();
        List<Long> lags = new CopyOnWriteArrayList<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        send("a", "b", "c");
        try (ConsumerLoop<String, String> loop =
                ConsumerLoop.builder(
                                "progressing", topic, () -> consumer(group), (records, pause) -> {})
                        .progress(
                                view -> {
                                    if (view.assignment().contains(partition)) {
                                        positions.add(view.position(partition));
                                        view.currentLag(partition).ifPresent(lags::add);
                                    }
                                })
                        .build()) {
            loop.start();
            await(() -> !positions.isEmpty() && positions.get(positions.size() - 1) == 3);
            await(() -> !lags.isEmpty() && lags.get(lags.size() - 1) == 0);
            assertThat(positions).isSorted();
        }
    }

    private ConsumerLoop<String, String> storeLoop(
            Map<TopicPartition, Long> store, ConsumerLoop.Handler<String, String> handler) {
        // no group.id: a commit to Kafka would fail
        return ConsumerLoop.builder("projecting", topic, () -> consumer(null), handler)
                .positions(partitions -> Map.copyOf(store))
                .build();
    }

    private ConsumerLoop<String, String> loop(ConsumerLoop.Handler<String, String> handler) {
        return ConsumerLoop.builder("loop-" + topic, topic, () -> consumer(group), handler)
                .retryPauses(Duration.ofMillis(100), Duration.ofMillis(100))
                .build();
    }

    private void deadLetter(ConsumerRecord<String, String> r, Throwable why) {
        ProducerRecord<String, String> letter =
                new ProducerRecord<>(topic + ".dlq", r.key(), r.value());
        letter.headers().add("reason", why.toString().getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(letter).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("dead letter not taken", e);
        }
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        return consumer(group, new Properties());
    }

    private static KafkaConsumer<String, String> consumer(String group, Properties extra) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putAll(extra);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private void send(String... values) throws Exception {
        for (String v : values) {
            producer.send(new ProducerRecord<>(topic, "k", v)).get(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic, int expected)
            throws InterruptedException {
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer(null)) {
            c.assign(List.of(new TopicPartition(topic, 0)));
            c.seekToBeginning(c.assignment());
            long until = System.nanoTime() + WAIT.toNanos();
            while (read.size() < expected && System.nanoTime() < until) {
                c.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    private static void createTopics(String... names) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, Optional.of(1), Optional.empty()));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within " + WAIT);
            }
            Thread.sleep(50);
        }
    }
}
