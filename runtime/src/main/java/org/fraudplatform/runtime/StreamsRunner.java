package org.fraudplatform.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one topology: configuration, start, health and shutdown. Topologies themselves stay free of
 * lifecycle code so they can be tested with {@code TopologyTestDriver} alone.
 */
public final class StreamsRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsRunner.class);

    /** How a topology trades latency for processing guarantees. */
    public enum Guarantee {
        /**
         * At-least-once with no producer linger: the decision path, where a replay after a crash
         * may count a payment twice in velocity state (a conservative bias) but costs ~1 ms.
         */
        LOW_LATENCY,
        /** Exactly-once v2: the money-moving path. */
        EXACTLY_ONCE
    }

    private final String applicationId;
    private final KafkaStreams streams;

    private StreamsRunner(String applicationId, KafkaStreams streams) {
        this.applicationId = applicationId;
        this.streams = streams;
    }

    /**
     * Configures a topology.
     *
     * @param applicationId the Kafka Streams application id (consumer group, state directory)
     * @param topology what to run
     * @param kafka the Kafka cluster and how its clients connect
     * @param stateDir where RocksDB state lives
     * @param guarantee processing guarantee
     * @param threads stream threads
     * @param overrides further Kafka Streams settings, applied last
     */
    public static StreamsRunner create(
            String applicationId,
            Topology topology,
            KafkaConnection kafka,
            Path stateDir,
            Guarantee guarantee,
            int threads,
            Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.putAll(kafka.map());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        // stores built with caching write a key's latest value once per commit, not once per
        // update (a payment's intent and outcome, a busy entity); stores without it are unaffected
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16L * 1024 * 1024);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // No topology here needs records of different input topics merged in timestamp order
        // (parts follow their request causally; windows take late records up to their grace), so
        // a task never waits for an empty input and skips the per-loop check that builds a log
        // message for each empty partition even when nothing logs it.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // the partition assignor reads its settings from the main consumer's configuration and
        // warns (once per stream thread) when this one is missing there
        props.put(
                StreamsConfig.mainConsumerPrefix(
                        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                true);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        props.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // An instance that dies without leaving the group loses its partitions after 10 s instead
        // of the default 45 s: payments wait for a dead ledger or risk instance that long.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        if (guarantee == Guarantee.EXACTLY_ONCE) {
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 10);
        } else {
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
            // the ledger's events are transactional: count only what it committed
            props.put(
                    StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
                    "read_committed");
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        }
        props.putAll(overrides);
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(
                e -> {
                    log.error("{} stream thread failed; replacing it", applicationId, e);
                    return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
                            .StreamThreadExceptionResponse.REPLACE_THREAD;
                });
        return new StreamsRunner(applicationId, streams);
    }

    public void start() {
        streams.start();
    }

    /** Blocks until the topology is running, or throws when it does not get there in time. */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (!streams.state().isRunningOrRebalancing()
                    && streams.state() != KafkaStreams.State.CREATED) {
                throw new IllegalStateException(applicationId + " stopped: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        applicationId + " not running after " + timeout + ": " + streams.state());
            }
            Thread.sleep(20);
        }
    }

    public String applicationId() {
        return applicationId;
    }

    /** The running instance, for what observes it from outside (metrics binders). */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Running or rebalancing: the topology is alive. */
    public boolean isHealthy() {
        return streams.state().isRunningOrRebalancing();
    }

    @Override
    public void close() {
        // Leave the group: a restarted instance gets its partitions back at once instead of
        // after the old member's session timeout (45 s).
        streams.close(
                org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation
                                        .LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(30)));
    }

    @Override
    public String toString() {
        return applicationId + " (" + Objects.toString(streams.state()) + ")";
    }
}
