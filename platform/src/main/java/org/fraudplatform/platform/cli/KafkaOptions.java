package org.fraudplatform.platform.cli;

import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import picocli.CommandLine.Option;

/** Where a command finds the running platform's Kafka and schema registry. */
final class KafkaOptions {

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "127.0.0.1:9092",
            description = "Kafka of the running platform. Default: ${DEFAULT-VALUE}")
    String bootstrapServers;

    @Option(
            names = "--schema-registry-url",
            defaultValue = "http://127.0.0.1:8081",
            description = "Its schema registry. Default: ${DEFAULT-VALUE}")
    String schemaRegistryUrl;

    @Option(
            names = "--kafka-config",
            description =
                    "Properties file with the connection settings the cluster asks of its clients"
                            + " (security.protocol, sasl.*, ssl.*, client.dns.lookup).")
    java.nio.file.Path kafkaConfig;

    /** How this command's clients connect to the cluster. */
    KafkaConnection connection() {
        return kafkaConfig == null
                ? KafkaConnection.plain(bootstrapServers)
                : KafkaConnection.of(bootstrapServers, kafkaConfig);
    }

    /** The topic catalogue, its serdes connected to the registry. */
    Topics topics() {
        return Topics.create(SchemaRegistries.connect(schemaRegistryUrl), 1);
    }
}
