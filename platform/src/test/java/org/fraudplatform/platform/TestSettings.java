package org.fraudplatform.platform;

import java.nio.file.Path;
import java.time.Duration;

/** Settings of a whole platform embedded in a test: free ports, fast provider, one thread each. */
public final class TestSettings {

    private TestSettings() {}

    /**
     * Everything embedded under {@code dir} but the Kafka cluster, reached at {@code bootstrap}
     * with the connection settings of {@code kafkaConfig}.
     */
    public static PlatformSettings onKafka(Path dir, String bootstrap, Path kafkaConfig) {
        PlatformSettings s = embedded(dir);
        return new PlatformSettings(
                s.dataDir(),
                s.role(),
                s.host(),
                s.port(),
                bootstrap,
                s.kafkaPort(),
                s.schemaRegistryUrl(),
                s.schemaRegistryPort(),
                s.databaseUrl(),
                s.databaseUser(),
                s.databasePassword(),
                s.databasePort(),
                s.partitions(),
                s.apiInstance(),
                s.decisionTimeout(),
                s.streamThreads(),
                s.tokenizationKey(),
                s.providerLatency(),
                s.authorizationValidity(),
                s.providerTimeout(),
                s.reconciliationWindow(),
                s.webhooks(),
                s.notifications(),
                s.maxInFlight(),
                s.latencyTarget(),
                s.currencyRates(),
                s.managementPort(),
                s.releaseKeys(),
                s.tlsCertificate(),
                s.tlsKey(),
                s.allowPlainHttp(),
                kafkaConfig,
                s.providers());
    }

    /** Everything embedded under {@code dir}, provider calls time out after 5 s. */
    public static PlatformSettings embedded(Path dir) {
        return embedded(dir, Duration.ofSeconds(5));
    }

    /** Everything embedded under {@code dir}, with this provider call timeout. */
    public static PlatformSettings embedded(Path dir, Duration providerTimeout) {
        return embedded(dir, providerTimeout, Duration.ofDays(2));
    }

    /** Everything embedded, with this provider call timeout and reconciliation window. */
    public static PlatformSettings embedded(
            Path dir, Duration providerTimeout, Duration reconciliationWindow) {
        return embedded(
                dir,
                providerTimeout,
                reconciliationWindow,
                org.fraudplatform.workers.webhooks.WebhookSettings.DEFAULTS,
                org.fraudplatform.workers.notifications.NotificationSettings.DEFAULTS);
    }

    /** Everything embedded, with these webhook retries. */
    public static PlatformSettings embedded(
            Path dir, org.fraudplatform.workers.webhooks.WebhookSettings webhooks) {
        return embedded(
                dir,
                Duration.ofSeconds(5),
                Duration.ofDays(2),
                webhooks,
                org.fraudplatform.workers.notifications.NotificationSettings.DEFAULTS);
    }

    /** Everything embedded, customers notified like this. */
    public static PlatformSettings embedded(
            Path dir, org.fraudplatform.workers.notifications.NotificationSettings notifications) {
        return embedded(
                dir,
                Duration.ofSeconds(5),
                Duration.ofDays(2),
                org.fraudplatform.workers.webhooks.WebhookSettings.DEFAULTS,
                notifications);
    }

    private static PlatformSettings embedded(
            Path dir,
            Duration providerTimeout,
            Duration reconciliationWindow,
            org.fraudplatform.workers.webhooks.WebhookSettings webhooks,
            org.fraudplatform.workers.notifications.NotificationSettings notifications) {
        return new PlatformSettings(
                dir,
                Role.ALL,
                "127.0.0.1",
                0,
                null,
                0,
                null,
                0,
                null,
                "fraud",
                "",
                0,
                3,
                0,
                Duration.ofSeconds(10),
                1,
                null,
                Duration.ofMillis(2),
                Duration.ofDays(7),
                providerTimeout,
                reconciliationWindow,
                webhooks,
                notifications,
                PlatformSettings.DEFAULT_MAX_IN_FLIGHT,
                PlatformSettings.DEFAULT_LATENCY_TARGET,
                org.fraudplatform.schemas.money.CurrencyRates.packaged(),
                PlatformSettings.AUTO_MANAGEMENT_PORT,
                PlatformSettings.ReleaseKeyFiles.DATA_FOLDER,
                null,
                null,
                false,
                null,
                null);
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
            org.fraudplatform.dev.embedded.EmbeddedDatabase database,
            Duration decisionTimeout,
            Duration providerLatency,
            Duration providerTimeout) {
        return new PlatformSettings(
                dataDir,
                role,
                "127.0.0.1",
                0,
                bootstrapServers,
                0,
                schemaRegistryUrl,
                0,
                database.jdbcUrl(),
                database.username(),
                database.password(),
                0,
                3,
                0,
                decisionTimeout,
                1,
                null,
                providerLatency,
                Duration.ofDays(7),
                providerTimeout,
                Duration.ofDays(2),
                org.fraudplatform.workers.webhooks.WebhookSettings.DEFAULTS,
                org.fraudplatform.workers.notifications.NotificationSettings.DEFAULTS,
                PlatformSettings.DEFAULT_MAX_IN_FLIGHT,
                PlatformSettings.DEFAULT_LATENCY_TARGET,
                org.fraudplatform.schemas.money.CurrencyRates.packaged(),
                0, // a free port each: several roles share this JVM
                PlatformSettings.ReleaseKeyFiles.DATA_FOLDER,
                null,
                null,
                false,
                null,
                null);
    }
}
