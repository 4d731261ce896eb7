package org.fraudplatform.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * How every Kafka client of this process reaches the cluster: its bootstrap servers and the
 * settings a secured cluster asks of a client (TLS, SASL), given once ({@code --kafka-config FILE})
 * and applied to every producer, consumer, admin client and Kafka Streams instance the process
 * makes.
 *
 * <p>Only connection settings are taken: {@code security.protocol}, {@code sasl.*}, {@code ssl.*}
 * and {@code client.dns.lookup}. What the clients do (acknowledgements, transactions, batching,
 * groups) is the platform's to decide, and a file that tries is refused whole, naming the key.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientSettings) {

    /** Values of {@code security.protocol} Kafka knows. */
    private static final Set<String> PROTOCOLS =
            Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    public KafkaConnection {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("no bootstrap servers");
        }
        List<String> problems = problemsOf(clientSettings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        clientSettings = Collections.unmodifiableMap(new TreeMap<>(clientSettings));
    }

    /** A cluster that takes plain, unauthenticated connections (the embedded broker). */
    public static KafkaConnection plain(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /**
     * The bootstrap servers with the settings of a Java properties file.
     *
     * @throws IllegalArgumentException naming the file and every problem: unreadable, a key that is
     *     no connection setting, an unknown security protocol
     */
    public static KafkaConnection of(String bootstrapServers, Path settingsFile) {
        Properties read = new Properties();
        try (Reader in = Files.newBufferedReader(settingsFile, StandardCharsets.UTF_8)) {
            read.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the Kafka client settings " + settingsFile + ": " + e.getMessage(),
                    e);
        }
        Map<String, String> settings = new TreeMap<>();
        read.stringPropertyNames().forEach(k -> settings.put(k, read.getProperty(k).trim()));
        List<String> problems = problemsOf(settings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "the Kafka client settings "
                            + settingsFile
                            + " are refused: "
                            + String.join("; ", problems));
        }
        return new KafkaConnection(bootstrapServers, settings);
    }

    /** Why these settings cannot be a connection's, or nothing. */
    static List<String> problemsOf(Map<String, String> settings) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
            String key = e.getKey();
            if (!isConnectionSetting(key)) {
                problems.add(
                        key
                                + " is not a connection setting (allowed: security.protocol,"
                                + " sasl.*, ssl.*, client.dns.lookup; the platform sets its"
                                + " clients' behaviour itself"
                                + (key.equals("bootstrap.servers")
                                        ? ", and the servers come from --bootstrap-servers"
                                        : "")
                                + ")");
            } else if (key.equals("security.protocol") && !PROTOCOLS.contains(e.getValue())) {
                problems.add(
                        "security.protocol "
                                + e.getValue()
                                + " is none of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
            }
        }
        return problems;
    }

    private static boolean isConnectionSetting(String key) {
        return key.equals("security.protocol")
                || key.startsWith("sasl.")
                || key.startsWith("ssl.")
                || key.equals("client.dns.lookup");
    }

    /** A new set of client properties: the bootstrap servers and the connection settings. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(clientSettings);
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** The same as a map, for the clients that take one. */
    public Map<String, Object> map() {
        Map<String, Object> m = new TreeMap<>(clientSettings);
        m.put("bootstrap.servers", bootstrapServers);
        return m;
    }

    /** The servers and the protocol; never a password or a JAAS configuration. */
    @Override
    public String toString() {
        return bootstrapServers
                + " ("
                + clientSettings.getOrDefault("security.protocol", "PLAINTEXT")
                + (clientSettings.containsKey("sasl.mechanism")
                        ? ", " + clientSettings.get("sasl.mechanism")
                        : "")
                + ")";
    }
}
