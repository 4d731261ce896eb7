package org.fraudplatform.dev.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The floor under any Kafka request/reply design: produce to a ping topic, a relay consumes and
 * produces to a pong topic, and the origin consumes it. No processing, same client settings as the
 * platform (no linger, acks=all). Latency counts from the planned send time.
 */
public final class KafkaRoundTrip {

    private KafkaRoundTrip() {}

    public static LatencyReport measure(
            String bootstrapServers, int count, int rate, Duration timeout) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ping = "bench.ping." + run;
        String pong = "bench.pong." + run;
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(ping, Optional.of(1), Optional.empty()),
                                    new NewTopic(pong, Optional.of(1), Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            try {
                return run(bootstrapServers, ping, pong, count, rate, timeout);
            } finally {
                admin.deleteTopics(Set.of(ping, pong)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static LatencyReport run(
            String servers, String ping, String pong, int count, int rate, Duration timeout)
            throws Exception {
        long[] latencies = new long[count];
        AtomicInteger received = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(2);

        Thread relay =
                new Thread(
                        () -> {
                            try (KafkaConsumer<byte[], byte[]> in = consumer(servers);
                                    KafkaProducer<byte[], byte[]> out = producer(servers)) {
                                TopicPartition tp = new TopicPartition(ping, 0);
                                in.assign(List.of(tp));
                                in.seekToBeginning(List.of(tp));
                                in.position(tp);
                                ready.countDown();
                                while (!stop.get()) {
                                    for (ConsumerRecord<byte[], byte[]> r :
                                            in.poll(Duration.ofMillis(100))) {
                                        out.send(new ProducerRecord<>(pong, r.key(), r.value()));
                                    }
                                }
                            }
                        },
                        "bench-relay");
        long[] planned = new long[count];
        Thread origin =
                new Thread(
                        () -> {
                            try (KafkaConsumer<byte[], byte[]> in = consumer(servers)) {
                                TopicPartition tp = new TopicPartition(pong, 0);
                                in.assign(List.of(tp));
                                in.seekToBeginning(List.of(tp));
                                in.position(tp);
                                ready.countDown();
                                while (!stop.get()) {
                                    for (ConsumerRecord<byte[], byte[]> r :
                                            in.poll(Duration.ofMillis(100))) {
                                        int i = ByteBuffer.wrap(r.value()).getInt();
                                        latencies[i] = System.nanoTime() - planned[i];
                                        received.incrementAndGet();
                                        done.countDown();
                                    }
                                }
                            }
                        },
                        "bench-origin");
        relay.start();
        origin.start();
        ready.await(30, TimeUnit.SECONDS);
        long interval = 1_000_000_000L / rate;
        long start;
        try (KafkaProducer<byte[], byte[]> out = producer(servers)) {
            start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                planned[i] = start + i * interval;
                long wait;
                while ((wait = planned[i] - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                out.send(
                        new ProducerRecord<>(ping, null, ByteBuffer.allocate(4).putInt(i).array()));
            }
            boolean complete = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!complete) {
                System.out.printf("  only %d of %d round trips completed%n", received.get(), count);
            }
        } finally {
            stop.set(true);
            relay.join(10_000);
            origin.join(10_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LatencyReport(
                java.util.Arrays.copyOf(latencies, count),
                seconds,
                Map.of("round trips", received.get()));
    }

    private static KafkaProducer<byte[], byte[]> producer(String servers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String servers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
