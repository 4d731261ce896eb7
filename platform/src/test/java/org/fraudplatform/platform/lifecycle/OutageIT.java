package org.fraudplatform.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fraudplatform.dev.embedded.EmbeddedDatabase;
import org.fraudplatform.dev.embedded.EmbeddedKafka;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.PlatformSettings;
import org.fraudplatform.platform.Role;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.providers.JournalEntry;
import org.fraudplatform.providers.SimulatedProvider;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.serde.SchemaRegistryServer;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow suite (about two minutes): the platform's infrastructure fails under traffic while four
 * clients authorize payments with automatic capture and retry each with its Idempotency-Key. First
 * PostgreSQL stops for ten seconds, then the broker restarts. Meanwhile clients get clear errors
 * ({@code 503}) or {@code pending}, never a success the books do not hold; afterwards the platform
 * recovers by itself and the books balance ({@link Books}).
 */
@Tag("slow")
class OutageIT {

    private static final Duration DECISION_TIMEOUT = Duration.ofMillis(500);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void thePlatformRecoversFromADatabaseOutageAndABrokerRestartWithTheBooksBalanced()
            throws Exception {
        int kafkaPort = freePort();
        int databasePort = freePort();
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort);
        EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("postgres"), databasePort);
        InMemorySchemaRegistry registry =
                InMemorySchemaRegistry.persistentIn(dir.resolve("registry"));
        SchemaRegistryServer registryServer =
                SchemaRegistryServer.start(registry, new InetSocketAddress("127.0.0.1", 0));
        Platform platform = null;
        Books.Checkouts checkouts = null;
        try {
            platform =
                    Platform.start(
                            settings(kafka, database, registryServer),
                            new PrintStream(
                                    new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            String merchantKey =
                    Files.readString(dir.resolve("platform").resolve(Platform.DEMO_KEY_FILE))
                            .trim();
            URI base = URI.create("http://127.0.0.1:" + platform.apiPort());
            checkouts = new Books.Checkouts(4, base, merchantKey);
            checkouts.start();
            checkouts.awaitAnswered(20, Duration.ofSeconds(60));

            // PostgreSQL away for ten seconds
            database.close();
            Thread.sleep(10_000);
            database = EmbeddedDatabase.start(dir.resolve("postgres"), databasePort);
            double database10s = checkouts.secondsUntilAnswered(10, Duration.ofSeconds(120));

            // the broker restarts
            kafka.close();
            Thread.sleep(3_000);
            kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort);
            double broker = checkouts.secondsUntilAnswered(10, Duration.ofSeconds(120));

            Thread.sleep(1_000);
            checkouts.stop();
            List<SimulatedProvider> providers = platform.api().providers();
            Books.Report books =
                    Books.check(
                            kafka.bootstrapServers(),
                            Topics.create(
                                    SchemaRegistries.connect(registryServer.uri().toString()), 3),
                            base,
                            merchantKey,
                            checkouts,
                            () -> {
                                List<JournalEntry> all = new ArrayList<>();
                                providers.forEach(p -> all.addAll(p.journal()));
                                return all;
                            },
                            DECISION_TIMEOUT.multipliedBy(60).plusSeconds(60));
            assertThat(books.keys()).isGreaterThan(40);
            System.out.printf(
                    "outages: %s; %d retries; ten payments answered %.1f s after PostgreSQL came"
                            + " back, %.1f s after the broker did%n",
                    books, checkouts.retries.get(), database10s, broker);
        } finally {
            if (checkouts != null) {
                checkouts.stop();
            }
            for (AutoCloseable c :
                    new AutoCloseable[] {platform, registryServer, registry, database, kafka}) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    private PlatformSettings settings(
            EmbeddedKafka kafka, EmbeddedDatabase database, SchemaRegistryServer registry) {
        return TestSettings.onInfrastructure(
                dir.resolve("platform"),
                Role.ALL,
                kafka.bootstrapServers(),
                registry.uri().toString(),
                database,
                DECISION_TIMEOUT,
                Duration.ofMillis(20),
                Duration.ofSeconds(1));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
