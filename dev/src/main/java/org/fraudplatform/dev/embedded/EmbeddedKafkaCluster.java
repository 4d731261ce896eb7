package org.fraudplatform.dev.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster of several nodes in this JVM (KRaft, each node a broker and a voter of the
 * controller quorum), started from Kafka's own server classes, configured as a production cluster
 * is: every topic replicated to three nodes (or all of them, when fewer), writes acknowledged by
 * two in sync, the consumer offsets and transaction state replicated alike. One node can be stopped
 * while the others go on: the quorum, the partition leaders and the transaction coordinators move
 * to the survivors. For the tests of what a deployment survives; the platform's own embedded mode
 * runs {@link EmbeddedKafka}, one node.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    private final List<KafkaRaftServer> nodes;
    private final List<String> addresses;
    private final boolean[] stopped;

    private EmbeddedKafkaCluster(List<KafkaRaftServer> nodes, List<String> addresses) {
        this.nodes = nodes;
        this.addresses = addresses;
        this.stopped = new boolean[nodes.size()];
    }

    /**
     * Formats and starts the nodes, side by side (a node waits for a quorum of voters).
     *
     * @param dataDir each node's logs and metadata under {@code node-<id>}
     * @param size how many nodes, at least 3
     */
    public static EmbeddedKafkaCluster start(Path dataDir, int size) {
        if (size < 3) {
            throw new IllegalArgumentException("a cluster here has at least 3 nodes, not " + size);
        }
        try {
            int replicas = Math.min(3, size);
            int[] clientPorts = new int[size];
            int[] controllerPorts = new int[size];
            for (int i = 0; i < size; i++) {
                clientPorts[i] = freePort();
                controllerPorts[i] = freePort();
            }
            String voters =
                    java.util.stream.IntStream.range(0, size)
                            .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts[i])
                            .collect(Collectors.joining(","));
            String clusterId = Uuid.randomUuid().toString();
            List<KafkaConfig> configs = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int nodeId = i + 1;
                Path logs = dataDir.resolve("node-" + nodeId).toAbsolutePath();
                Files.createDirectories(logs);
                Properties props = new Properties();
                props.put("process.roles", "broker,controller");
                props.put("node.id", Integer.toString(nodeId));
                props.put("controller.quorum.voters", voters);
                props.put(
                        "listeners",
                        "PLAINTEXT://127.0.0.1:"
                                + clientPorts[i]
                                + ",CONTROLLER://127.0.0.1:"
                                + controllerPorts[i]);
                props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPorts[i]);
                props.put("controller.listener.names", "CONTROLLER");
                props.put("inter.broker.listener.name", "PLAINTEXT");
                props.put(
                        "listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
                props.put("log.dirs", logs.toString());
                props.put("num.partitions", "1");
                props.put("num.io.threads", "2");
                props.put("num.network.threads", "1");
                props.put("background.threads", "2");
                props.put("default.replication.factor", Integer.toString(replicas));
                props.put("min.insync.replicas", "2");
                props.put("offsets.topic.replication.factor", Integer.toString(replicas));
                props.put("offsets.topic.num.partitions", "5");
                props.put("transaction.state.log.replication.factor", Integer.toString(replicas));
                props.put("transaction.state.log.min.isr", "2");
                props.put("transaction.state.log.num.partitions", "5");
                props.put(
                        "share.coordinator.state.topic.replication.factor",
                        Integer.toString(replicas));
                props.put("share.coordinator.state.topic.min.isr", "2");
                props.put("group.initial.rebalance.delay.ms", "0");
                props.put("auto.create.topics.enable", "false");
                KafkaConfig config = KafkaConfig.fromProps(props, false);
                if (!Files.exists(logs.resolve("meta.properties"))) {
                    format(config, logs, nodeId, clusterId);
                }
                configs.add(config);
            }
            // a thread a node: each node's start waits for a quorum of the others
            ExecutorService starters = Executors.newFixedThreadPool(size);
            List<KafkaRaftServer> nodes = new ArrayList<>();
            try {
                List<CompletableFuture<KafkaRaftServer>> starting = new ArrayList<>();
                for (KafkaConfig config : configs) {
                    starting.add(
                            CompletableFuture.supplyAsync(
                                    () -> {
                                        KafkaRaftServer server =
                                                new KafkaRaftServer(config, Time.SYSTEM);
                                        server.startup();
                                        return server;
                                    },
                                    starters));
                }
                for (CompletableFuture<KafkaRaftServer> s : starting) {
                    nodes.add(s.join());
                }
            } finally {
                starters.shutdown();
            }
            List<String> addresses = new ArrayList<>();
            for (int port : clientPorts) {
                addresses.add("127.0.0.1:" + port);
            }
            log.info("embedded Kafka cluster of {} nodes on {}", size, addresses);
            return new EmbeddedKafkaCluster(nodes, addresses);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka cluster in " + dataDir, e);
        }
    }

    /** Every node's address, comma-separated: what a client bootstraps from. */
    public String bootstrapServers() {
        return String.join(",", addresses);
    }

    /** The address of node {@code nodeId} (1 to the size). */
    public String address(int nodeId) {
        return addresses.get(nodeId - 1);
    }

    /**
     * Stops node {@code nodeId} as its process ending would: the others take over its partitions,
     * its votes in the quorum and its coordinators.
     */
    public synchronized void stop(int nodeId) {
        if (!stopped[nodeId - 1]) {
            stopped[nodeId - 1] = true;
            KafkaRaftServer node = nodes.get(nodeId - 1);
            node.shutdown();
            node.awaitShutdown();
            log.info("stopped Kafka node {} ({})", nodeId, address(nodeId));
        }
    }

    /**
     * Stops every node still running, side by side: one after the other, the last would wait for a
     * quorum that has gone.
     */
    @Override
    public synchronized void close() {
        List<Thread> stopping = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!stopped[i]) {
                stopped[i] = true;
                KafkaRaftServer node = nodes.get(i);
                Thread t = new Thread(node::shutdown, "kafka-node-" + (i + 1) + "-stop");
                t.start();
                stopping.add(t);
            }
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (KafkaRaftServer node : nodes) {
            node.awaitShutdown();
        }
    }

    private static void format(KafkaConfig config, Path logs, int nodeId, String clusterId) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(List.of(logs.toString()))
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot format Kafka storage in " + logs + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
