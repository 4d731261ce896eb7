package org.fraudplatform.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fraudplatform.api.provider.JournalEntry;
import org.fraudplatform.api.provider.ProviderJournal;
import org.fraudplatform.api.provider.ProviderResult;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.PlatformSettings;
import org.fraudplatform.platform.Role;
import org.fraudplatform.platform.embedded.EmbeddedDatabase;
import org.fraudplatform.platform.embedded.EmbeddedKafka;
import org.fraudplatform.platform.testing.TopicReader;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.serde.SchemaRegistryServer;
import org.fraudplatform.schemas.topics.Topics;
import org.fraudplatform.streams.ledger.Balances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow suite (about three minutes): the API process, which holds the card data and calls the
 * provider, killed with SIGKILL three times while eight clients authorize payments with automatic
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
    static int port;
    static final List<ChildPlatform> children = new ArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

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
                new AutoCloseable[] {risk, ledger, database, registryServer, registry, kafka}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static PlatformSettings settings(Role role, String name) {
        return new PlatformSettings(
                dir.resolve(name),
                role,
                "127.0.0.1",
                0,
                kafka.bootstrapServers(),
                0,
                registryServer.uri().toString(),
                0,
                database.jdbcUrl(),
                database.username(),
                database.password(),
                0,
                3,
                0,
                DECISION_TIMEOUT,
                1,
                null,
                Duration.ofMillis(20),
                Duration.ofDays(7),
                Duration.ofSeconds(1),
                Duration.ofDays(2),
                org.fraudplatform.api.webhooks.WebhookSettings.DEFAULTS,
                org.fraudplatform.api.notifications.NotificationSettings.DEFAULTS,
                PlatformSettings.DEFAULT_MAX_IN_FLIGHT,
                PlatformSettings.DEFAULT_LATENCY_TARGET);
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
    void everyKeyEndsAsOnePaymentAndEveryProviderMovementIsInTheLedgerOnce() throws Exception {
        ChildPlatform api = api();
        String merchantKey =
                Files.readString(dir.resolve("api").resolve(Platform.DEMO_KEY_FILE)).trim();
        Traffic traffic = new Traffic(8, merchantKey);
        traffic.start();
        traffic.awaitAnswered(20, Duration.ofSeconds(60));

        Random random = new Random(17);
        List<Double> recoveries = new ArrayList<>();
        for (int kill = 0; kill < 3; kill++) {
            Thread.sleep(1_500 + random.nextInt(2_000));
            api.kill();
            long killed = System.nanoTime();
            long answeredBefore = traffic.answered.get();
            api = api();
            traffic.awaitAnswered(answeredBefore + 10, Duration.ofSeconds(90));
            recoveries.add((System.nanoTime() - killed) / 1e9);
        }
        Thread.sleep(1_000);
        traffic.stop();
        assertThat(traffic.unanswered)
                .as("keys that never got an answer (status and body of the last attempt)")
                .isEmpty();

        Topics topics = Topics.create(SchemaRegistries.connect(registryServer.uri().toString()), 3);
        Set<String> ours = traffic.keys.keySet();

        // no payment stays pending: the resolver asks the provider, the sweep fails orphans
        Map<String, String> statuses = awaitNothingPending(traffic, merchantKey);

        // every key: exactly one payment the ledger knows, the one the client was given
        List<PaymentRequest> requests =
                TopicReader.read(
                        kafka.bootstrapServers(),
                        topics.paymentRequests(),
                        r -> ours.contains(r.getIdempotencyKey()),
                        ours.size(),
                        Duration.ofSeconds(30));
        List<PaymentEvent> events =
                TopicReader.read(
                        kafka.bootstrapServers(),
                        topics.paymentEvents(),
                        e -> e.getMerchantId().equals(Platform.DEMO_MERCHANT),
                        ours.size(),
                        Duration.ofSeconds(30));
        Map<String, List<PaymentEvent>> ledgerByPayment =
                events.stream().collect(Collectors.groupingBy(PaymentEvent::getPaymentId));
        Map<String, Set<String>> paymentsByKey = new HashMap<>();
        for (PaymentRequest r : requests) {
            paymentsByKey
                    .computeIfAbsent(r.getIdempotencyKey(), k -> new HashSet<>())
                    .add(r.getPaymentId());
        }
        int takenOver = 0;
        for (Map.Entry<String, String> answered : traffic.keys.entrySet()) {
            Set<String> requested = paymentsByKey.getOrDefault(answered.getKey(), Set.of());
            Set<String> known =
                    requested.stream()
                            .filter(ledgerByPayment::containsKey)
                            .collect(Collectors.toSet());
            assertThat(known)
                    .as("payments of key %s the ledger knows", answered.getKey())
                    .containsExactly(answered.getValue());
            takenOver += requested.size() - 1;
        }

        // the provider's journal and the ledger agree, movement for movement
        List<JournalEntry> journal = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("api").resolve("providers"))) {
            for (Path f : files.toList()) {
                journal.addAll(ProviderJournal.read(f));
            }
        }
        Map<String, Long> atProvider =
                awaitJournalCaptures(journal, ledgerByPayment, traffic.keys.values());
        Set<String> answeredPayments = new HashSet<>(traffic.keys.values());
        Map<String, Long> inLedger = new HashMap<>();
        for (PaymentEvent e : events) {
            if (!answeredPayments.contains(e.getPaymentId())) {
                continue;
            }
            if (e.getType() == PaymentEventType.AUTHORIZED) {
                inLedger.merge(e.getPaymentId() + "/authorize", 1L, Long::sum);
            } else if (e.getType() == PaymentEventType.CAPTURED) {
                inLedger.merge(e.getPaymentId() + "/" + e.getOperationId(), 1L, Long::sum);
            }
        }
        assertThat(inLedger.values()).as("no movement twice in the ledger").allMatch(n -> n == 1);
        for (String k : atProvider.keySet()) {
            if (!inLedger.containsKey(k)) {
                String id = k.substring(0, k.indexOf('/'));
                System.out.println(
                        "at the provider, not in the ledger: "
                                + k
                                + " "
                                + ledgerByPayment.getOrDefault(id, List.of()));
            }
        }
        System.out.println("folder kept on failure: " + dir);
        assertThat(inLedger.keySet())
                .as("authorizations and captures: ledger = provider journal")
                .containsExactlyInAnyOrderElementsOf(atProvider.keySet());
        assertThat(atProvider.values())
                .as("no movement twice at the provider")
                .allMatch(n -> n == 1);

        // balances are the sum of the ledger
        Balances sum = new Balances();
        events.forEach(sum::apply);
        JsonNode balances = awaitBalances(merchantKey, sum.of(Platform.DEMO_MERCHANT, "EUR"));
        assertThat(balances.path("captured").asLong())
                .isEqualTo(sum.of(Platform.DEMO_MERCHANT, "EUR").captured());

        long resolved = events.stream().filter(e -> e.getEventId().contains(":resolved:")).count();
        long orphans = events.stream().filter(e -> e.getEventId().contains(":orphaned:")).count();
        System.out.printf(
                "api crashes: %d keys, %d payments captured, %d retries; recovered in %s s;"
                        + " %d keys taken over (killed before the intent), %d outcomes resolved"
                        + " from the provider (killed around the call), %d orphans failed,"
                        + " statuses %s%n",
                ours.size(),
                inLedger.keySet().stream().filter(k -> k.endsWith("/capture")).count(),
                traffic.retries.get(),
                recoveries.stream().map(d -> String.format("%.1f", d)).toList(),
                takenOver,
                resolved,
                orphans,
                statuses.values().stream()
                        .collect(Collectors.groupingBy(s -> s, Collectors.counting())));
    }

    /** Waits until no payment of the clients is pending; returns each one's final status. */
    private static Map<String, String> awaitNothingPending(Traffic traffic, String merchantKey)
            throws Exception {
        long deadline = System.nanoTime() + ORPHAN_AGE.plusSeconds(45).toNanos();
        Map<String, String> statuses = new HashMap<>();
        while (true) {
            List<String> pending = new ArrayList<>();
            for (String id : traffic.keys.values()) {
                JsonNode p = json.readTree(get(merchantKey, "/v1/payments/" + id).body());
                statuses.put(id, p.path("status").asText());
                if (p.path("status").asText().equals("pending")) {
                    pending.add(id);
                }
            }
            if (pending.isEmpty()) {
                return statuses;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still pending: " + pending);
            }
            Thread.sleep(1_000);
        }
    }

    /**
     * The provider's approved authorizations and captures of the clients' payments, counted by
     * payment and operation; read again until every capture the ledger holds has reached the
     * provider (the dispatcher sends them after the ledger decided).
     */
    private static Map<String, Long> awaitJournalCaptures(
            List<JournalEntry> first,
            Map<String, List<PaymentEvent>> ledger,
            java.util.Collection<String> payments)
            throws Exception {
        long ledgerCaptures =
                payments.stream()
                        .flatMap(id -> ledger.getOrDefault(id, List.of()).stream())
                        .filter(e -> e.getType() == PaymentEventType.CAPTURED)
                        .count();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<JournalEntry> journal = first;
        while (true) {
            Map<String, Long> counted = new HashMap<>();
            for (JournalEntry j : journal) {
                if (!payments.contains(j.paymentId())
                        || j.outcome() != ProviderResult.Outcome.APPROVED) {
                    continue;
                }
                if (j.operation() == JournalEntry.Operation.AUTHORIZE) {
                    counted.merge(j.paymentId() + "/authorize", 1L, Long::sum);
                } else if (j.operation() == JournalEntry.Operation.CAPTURE) {
                    counted.merge(j.paymentId() + "/" + j.operationId(), 1L, Long::sum);
                }
            }
            long captures =
                    counted.keySet().stream().filter(k -> !k.endsWith("/authorize")).count();
            if (captures >= ledgerCaptures || System.nanoTime() > deadline) {
                return counted;
            }
            Thread.sleep(500);
            journal = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir.resolve("api").resolve("providers"))) {
                for (Path f : files.toList()) {
                    journal.addAll(ProviderJournal.read(f));
                }
            }
        }
    }

    private static JsonNode awaitBalances(String merchantKey, Balances.Totals expected)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode eur = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode b : json.readTree(get(merchantKey, "/v1/balances").body()).get("data")) {
                if (b.path("currency").asText().equals("eur")) {
                    eur = b;
                }
            }
            if (eur != null && eur.path("captured").asLong() == expected.captured()) {
                return eur;
            }
            Thread.sleep(500);
        }
        return eur == null ? json.createObjectNode() : eur;
    }

    private static HttpResponse<String> get(String merchantKey, String path)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + merchantKey)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Checkouts: each authorizes card payments with automatic capture, one after the other, and
     * retries a payment with its Idempotency-Key (connection refused, 503, 409 in progress, 500)
     * until it is answered with a payment.
     */
    static final class Traffic {
        /** Idempotency key → the payment the client was answered with. */
        final Map<String, String> keys = new ConcurrentHashMap<>();

        final Map<String, String> unanswered = new ConcurrentHashMap<>();
        final AtomicLong answered = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService clients;
        private final int threads;
        private final String merchantKey;

        Traffic(int threads, String merchantKey) {
            this.threads = threads;
            this.merchantKey = merchantKey;
            this.clients = Executors.newFixedThreadPool(threads);
        }

        void start() {
            for (int t = 0; t < threads; t++) {
                int client = t;
                clients.submit(
                        () -> {
                            int n = 0;
                            while (running.get()) {
                                onePayment(client, n++);
                            }
                            return null;
                        });
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(180, TimeUnit.SECONDS)).isTrue();
        }

        void awaitAnswered(long n, Duration patience) throws InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (answered.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + answered.get() + " payments answered");
                }
                Thread.sleep(100);
            }
        }

        private void onePayment(int client, int n) throws Exception {
            String key = UUID.randomUUID().toString();
            String card = LedgerFailoverIT.cardNumber(client * 100_000 + n);
            String body =
                    """
                    {"amount": %d, "currency": "EUR",
                     "payment_method": {"type": "card",
                       "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                     "customer": {"id": "cus_%d_%d"}, "capture_method": "automatic"}
                    """
                            .formatted(1_000 + n, card, client, n);
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            String last = "no attempt";
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r;
                try {
                    r =
                            http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + port
                                                                    + "/v1/payments"))
                                            .timeout(Duration.ofSeconds(30))
                                            .header("Authorization", "Bearer " + merchantKey)
                                            .header("Idempotency-Key", key)
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    r = null;
                    last = e.toString();
                }
                if (r != null && r.statusCode() == 201) {
                    keys.put(key, json.readTree(r.body()).get("id").asText());
                    answered.incrementAndGet();
                    return;
                }
                if (r != null) {
                    last = r.statusCode() + " " + r.body();
                    if (r.statusCode() != 503 && r.statusCode() != 409 && r.statusCode() != 500) {
                        break; // a refusal no retry changes
                    }
                }
                retries.incrementAndGet();
                Thread.sleep(250);
            }
            unanswered.put(key, last);
        }
    }
}
