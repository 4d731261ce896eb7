package org.fraudplatform.platform;

import java.nio.file.Path;
import java.time.Duration;
import org.fraudplatform.dev.embedded.EmbeddedDatabase;
import org.fraudplatform.workers.notifications.NotificationSettings;
import org.fraudplatform.workers.webhooks.WebhookSettings;

/** Settings of a whole platform embedded in a test: free ports, fast provider, one thread each. */
public final class TestSettings {

    private TestSettings() {}

    /**
     * Everything embedded under {@code dir} but the Kafka cluster, reached at {@code bootstrap}
     * with the connection settings of {@code kafkaConfig}.
     */
    public static PlatformSettings onKafka(Path dir, String bootstrap, Path kafkaConfig) {
        return embedded(dir).toBuilder()
                .bootstrapServers(bootstrap)
                .kafkaConfig(kafkaConfig)
                .build();
    }

    /** Everything embedded under {@code dir}, provider calls time out after 5 s. */
    public static PlatformSettings embedded(Path dir) {
        return embeddedBuilder(dir).build();
    }

    /** Everything embedded under {@code dir}, with this provider call timeout. */
    public static PlatformSettings embedded(Path dir, Duration providerTimeout) {
        return embeddedBuilder(dir).providerTimeout(providerTimeout).build();
    }

    /** Everything embedded, with this provider call timeout and reconciliation window. */
    public static PlatformSettings embedded(
            Path dir, Duration providerTimeout, Duration reconciliationWindow) {
        return embeddedBuilder(dir)
                .providerTimeout(providerTimeout)
                .reconciliationWindow(reconciliationWindow)
                .build();
    }

    /** Everything embedded, with these webhook retries. */
    public static PlatformSettings embedded(Path dir, WebhookSettings webhooks) {
        return embeddedBuilder(dir).webhooks(webhooks).build();
    }

    /** Everything embedded, customers notified like this. */
    public static PlatformSettings embedded(Path dir, NotificationSettings notifications) {
        return embeddedBuilder(dir).notifications(notifications).build();
    }

    /**
     * Everything embedded under {@code dir} on free ports: three partitions, one stream thread, a 2
     * ms provider that times out after 5 s, a 10 s decision timeout.
     */
    private static PlatformSettings.Builder embeddedBuilder(Path dir) {
        return PlatformSettings.builder(dir)
                .port(0)
                .kafkaPort(0)
                .schemaRegistryPort(0)
                .databasePort(0)
                .partitions(3)
                .streamThreads(1)
                .decisionTimeout(Duration.ofSeconds(10))
                .providerLatency(Duration.ofMillis(2))
                // the simulated providers' previous day is fetched as the platform starts, at
                // whatever time of day the suite runs
                .settlementFetchAt(java.time.LocalTime.MIDNIGHT);
    }

    /**
     * One role of the platform on infrastructure the test runs itself (broker, schema registry,
     * database), so that the test can kill, stop or restart any of them: three partitions, one
     * stream thread.
     */
    public static PlatformSettings onInfrastructure(
            Path dataDir,
            Role role,
            String bootstrapServers,
            String schemaRegistryUrl,
            EmbeddedDatabase database,
            Duration decisionTimeout,
            Duration providerLatency,
            Duration providerTimeout) {
        return PlatformSettings.builder(dataDir)
                .role(role)
                .port(0)
                .bootstrapServers(bootstrapServers)
                .kafkaPort(0)
                .schemaRegistryUrl(schemaRegistryUrl)
                .schemaRegistryPort(0)
                .databaseUrl(database.jdbcUrl())
                .databaseUser(database.username())
                .databasePassword(database.password())
                .databasePort(0)
                .partitions(3)
                .decisionTimeout(decisionTimeout)
                .streamThreads(1)
                .providerLatency(providerLatency)
                .providerTimeout(providerTimeout)
                .managementPort(0) // a free port each: several roles share this JVM
                .build();
    }
}
