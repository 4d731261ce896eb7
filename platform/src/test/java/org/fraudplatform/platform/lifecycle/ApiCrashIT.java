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
import java.util.Random;
import org.fraudplatform.database.Database;
import org.fraudplatform.dev.embedded.EmbeddedDatabase;
import org.fraudplatform.dev.embedded.EmbeddedKafka;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.PlatformSettings;
import org.fraudplatform.platform.Role;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.providers.DatabaseJournal;
import org.fraudplatform.providers.JournalEntry;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.serde.SchemaRegistryServer;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow suite (about two minutes): the API process, which holds the card data and calls the
 * provider, killed with SIGKILL twice while eight clients authorize payments with automatic
 * capture; the risk and ledger roles keep running. Each kill lands wherever the requests in flight
 * are: before the intent to authorize is in the ledger, during the provider call, after it and
 * before the outcome is in the ledger, after the ledger and before the reply. The clients retry
 * every request with its Idempotency-Key until they get an answer. Afterwards:
 *
 * <ul>
 *   <li>every key answered with exactly one payment, the one the ledger knows for it;
 *   <li>every authorization and capture in the provider's journal is in the ledger exactly once,
 *       and every one in the ledger is in the journal;
 *   <li>no payment stays pending once the resolver and the orphan sweep had their time;
 *   <li>the merchant's balances are the sum of the ledger.
 * </ul>
 */
@Tag("slow")
class ApiCrashIT {

    private static final Duration DECISION_TIMEOUT = Duration.ofMillis(500);
    // a payment answered pending waits 60 decision timeouts; the key's lease is shorter
    private static final Duration ORPHAN_AGE = DECISION_TIMEOUT.multipliedBy(60).plusSeconds(13);

    // kept when the test fails: the processes' logs and the journals tell what happened
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static EmbeddedKafka kafka;
    static InMemorySchemaRegistry registry;
    static SchemaRegistryServer registryServer;
    static EmbeddedDatabase database;
    static Platform risk;
    static Platform ledger;
    static Platform history;
    static int port;
    static final List<ChildPlatform> children = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        registry = InMemorySchemaRegistry.persistentIn(dir.resolve("registry"));
        registryServer =
                SchemaRegistryServer.start(registry, new InetSocketAddress("127.0.0.1", 0));
        database = EmbeddedDatabase.start(dir.resolve("postgres"), 0);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, UTF8);
        ledger = Platform.start(settings(Role.LEDGER, "ledger"), quiet);
        risk = Platform.start(settings(Role.RISK, "risk"), quiet);
        // the read models the API reads (the history it recovers abandoned keys from) project in
        // a role of their own, as in a deployment
        history = Platform.start(settings(Role.HISTORY, "history"), quiet);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

    @AfterAll
    static void stop() throws Exception {
        for (ChildPlatform c : children) {
            c.stop();
        }
        for (AutoCloseable c :
                new AutoCloseable[] {
                    history, risk, ledger, database, registryServer, registry, kafka
                }) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static PlatformSettings settings(Role role, String name) {
        return TestSettings.onInfrastructure(
                dir.resolve(name),
                role,
                kafka.bootstrapServers(),
                registryServer.uri().toString(),
                database,
                DECISION_TIMEOUT,
                Duration.ofMillis(20),
                Duration.ofSeconds(1));
    }

    private static ChildPlatform api() throws Exception {
        ChildPlatform c =
                new ChildPlatform(
                                "api",
                                dir.resolve("api"),
                                kafka.bootstrapServers(),
                                registryServer.uri().toString())
                        .with(
                                "--database-url",
                                database.jdbcUrl(),
                                "--database-user",
                                database.username(),
                                "--database-password",
                                database.password(),
                                "--port",
                                Integer.toString(port),
                                "--decision-timeout",
                                DECISION_TIMEOUT.toMillis() + "ms",
                                "--provider-timeout",
                                "1s",
                                "--provider-latency",
                                "150ms");
        children.add(c);
        return c.start(Duration.ofSeconds(120));
    }

    @Test
    void shouldServeHealthAndMetricsOnTheManagementPortOfARoleWithoutTheApi() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (Platform role : List.of(risk, ledger)) {
            java.net.URI base = java.net.URI.create("http://127.0.0.1:" + role.managementPort());

            java.net.http.HttpResponse<String> ready =
                    http.send(
                            java.net.http.HttpRequest.newBuilder(base.resolve("/health/ready"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            java.net.http.HttpResponse<String> live =
                    http.send(
                            java.net.http.HttpRequest.newBuilder(base.resolve("/health/live"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            java.net.http.HttpResponse<String> metrics =
                    http.send(
                            java.net.http.HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"kafka\":\"up\"");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("process_cpu_time_ns_total")
                    .contains("kafka_stream_thread_");
        }
    }

    @Test
    void everyKeyEndsAsOnePaymentAndEveryProviderMovementIsInTheLedgerOnce() throws Exception {
        ChildPlatform api = api();
        String merchantKey =
                Files.readString(dir.resolve("api").resolve(Platform.DEMO_KEY_FILE)).trim();
        URI base = URI.create("http://127.0.0.1:" + port);
        Books.Checkouts checkouts = new Books.Checkouts(8, base, merchantKey);
        checkouts.start();
        checkouts.awaitAnswered(20, Duration.ofSeconds(60));

        Random random = new Random(17);
        List<String> recoveries = new ArrayList<>();
        for (int kill = 0; kill < 2; kill++) {
            Thread.sleep(1_500 + random.nextInt(2_000));
            api.kill();
            long killed = System.nanoTime();
            api = api();
            checkouts.awaitAnswered(checkouts.answered.get() + 10, Duration.ofSeconds(90));
            recoveries.add(String.format("%.1f", (System.nanoTime() - killed) / 1e9));
        }
        Thread.sleep(1_000);
        checkouts.stop();

        Books.Report books =
                Books.check(
                        kafka.bootstrapServers(),
                        Topics.create(SchemaRegistries.connect(registryServer.uri().toString()), 3),
                        base,
                        merchantKey,
                        checkouts,
                        ApiCrashIT::journal,
                        ORPHAN_AGE.plusSeconds(45));
        System.out.printf(
                "api crashes: %s; %d retries; answering again %s s after each kill%n",
                books, checkouts.retries.get(), recoveries);
    }

    /**
     * What the providers performed, from their shared journal in PostgreSQL: the provider's own
     * record (the journal file of the API process is what that process did, and a kill can cut its
     * last line).
     */
    private static List<JournalEntry> journal() {
        try (Database db =
                Database.connect(database.jdbcUrl(), database.username(), database.password())) {
            DatabaseJournal shared = new DatabaseJournal(db.dataSource());
            List<JournalEntry> journal = new ArrayList<>(shared.all("simulated-a"));
            journal.addAll(shared.all("simulated-b"));
            return journal;
        }
    }
}
