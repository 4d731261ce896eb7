package org.fraudplatform.dev.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in this JVM, started from
 * Kafka's own server classes. Its log and metadata live under one directory, formatted on the first
 * start only, so stopping and starting on the same directory keeps every topic and record.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the broker.
     *
     * @param dataDir where its logs and metadata live (created when missing)
     * @param port client port on 127.0.0.1; 0 picks a free one
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, null, null);
    }

    /**
     * Starts a broker that takes only authenticated connections (SASL/PLAIN; the controller's own
     * listener stays internal): what a cluster that asks its clients for credentials looks like to
     * them.
     *
     * @param user the one client user
     * @param password its password
     */
    public static EmbeddedKafka startRequiringPassword(Path dataDir, String user, String password) {
        return start(dataDir, 0, user, password);
    }

    private static EmbeddedKafka start(Path dataDir, int port, String user, String password) {
        boolean sasl = user != null;
        String protocol = sasl ? "SASL_PLAINTEXT" : "PLAINTEXT";
        try {
            Path logs = dataDir.resolve("logs").toAbsolutePath();
            Files.createDirectories(logs);
            int clientPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", Integer.toString(NODE_ID));
            props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
            props.put(
                    "listeners",
                    protocol
                            + "://127.0.0.1:"
                            + clientPort
                            + ",CONTROLLER://127.0.0.1:"
                            + controllerPort);
            props.put("advertised.listeners", protocol + "://127.0.0.1:" + clientPort);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", protocol);
            props.put(
                    "listener.security.protocol.map",
                    protocol + ":" + protocol + ",CONTROLLER:PLAINTEXT");
            if (sasl) {
                String broker = "broker-" + Uuid.randomUuid();
                props.put("sasl.enabled.mechanisms", "PLAIN");
                props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
                props.put(
                        "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " username=\"broker\" password=\""
                                + broker
                                + "\" user_broker=\""
                                + broker
                                + "\" user_"
                                + user
                                + "=\""
                                + password
                                + "\";");
            }
            props.put("log.dirs", logs.toString());
            props.put("num.partitions", "1");
            // The embedded broker shares the machine with every other part of the platform: a
            // thread per core for requests and one for the network instead of Kafka's 8 and 3,
            // which on a small machine only add hand-offs and context switches per request.
            int cores = Runtime.getRuntime().availableProcessors();
            props.put("num.io.threads", Integer.toString(Math.max(2, cores)));
            props.put("num.network.threads", Integer.toString(Math.max(1, cores / 4)));
            props.put("background.threads", "2");
            props.put("default.replication.factor", "1");
            props.put("min.insync.replicas", "1");
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "5");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "5");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "false");
            props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
            KafkaConfig config = KafkaConfig.fromProps(props, false);

            if (!Files.exists(logs.resolve("meta.properties"))) {
                format(config, logs);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + clientPort;
            log.info("embedded Kafka broker on {} with data in {}", bootstrap, logs);
            return new EmbeddedKafka(server, bootstrap);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start the embedded Kafka broker in " + dataDir, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot start the embedded Kafka broker in " + dataDir + ": " + e.getMessage(),
                    e);
        }
    }

    private static void format(KafkaConfig config, Path logs) {
        String clusterId = Uuid.randomUuid().toString();
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(java.util.List.of(logs.toString()))
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot format Kafka storage in " + logs + ": " + e.getMessage(), e);
        }
        log.info("formatted Kafka storage in {} (cluster {})", logs, clusterId);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    @Override
    public String toString() {
        return "embedded Kafka " + bootstrapServers;
    }
}
