package org.fraudplatform.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.fraudplatform.dev.embedded.EmbeddedDatabase;
import org.fraudplatform.dev.embedded.EmbeddedKafkaCluster;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.Role;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.platform.testing.TopicReader;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.serde.SchemaRegistryServer;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow suite (about two minutes): the platform as a deployment runs it, on a cluster of three Kafka
 * brokers (every topic replicated three times, writes acknowledged by two), with two API, two risk
 * and two ledger processes, each in its own JVM, under continuous traffic from checkouts that go to
 * either API and to the other when one does not answer. One broker stops and one process of each
 * role dies by SIGKILL at the same moment: the brokers left take the stopped one's partitions and
 * coordinators, the surviving processes the dead ones' partitions, and payments complete again.
 * Then the surviving ledger and risk die too, and restart from their state folders and the
 * changelogs. Afterwards every payment a client saw authorized was authorized once, every money
 * movement the clients were told about is in the ledger exactly once, and nothing else is.
 */
@Tag("slow")
class ClusterFailoverIT {

    @TempDir static Path dir;
    static EmbeddedKafkaCluster kafka;
    static InMemorySchemaRegistry registry;
    static SchemaRegistryServer registryServer;
    static EmbeddedDatabase database;
    static Platform history;
    static String merchantKey;
    static final List<URI> apis = new ArrayList<>();
    static final List<ChildPlatform> children = new ArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaCluster.start(dir.resolve("kafka"), 3);
        registry = InMemorySchemaRegistry.persistentIn(dir.resolve("registry"));
        registryServer =
                SchemaRegistryServer.start(registry, new InetSocketAddress("127.0.0.1", 0));
        database = EmbeddedDatabase.start(dir.resolve("postgres"), 0);
        // the read models in a role of their own, as in a deployment; it creates the topics
        history =
                Platform.start(
                        TestSettings.onInfrastructure(
                                dir.resolve("history"),
                                Role.HISTORY,
                                kafka.bootstrapServers(),
                                registryServer.uri().toString(),
                                database,
                                Duration.ofSeconds(5),
                                Duration.ofMillis(2),
                                Duration.ofSeconds(5)),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        for (ChildPlatform c : children) {
            c.kill(); // the test is over: nothing to stop gracefully for
        }
        for (AutoCloseable c :
                new AutoCloseable[] {history, database, registryServer, registry, kafka}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** An API process: instance {@code n} on its own port, replies on partition n. */
    private static ChildPlatform api(String name, int n, int port) {
        return child("api", name)
                .with(
                        "--api-instance",
                        Integer.toString(n),
                        "--port",
                        Integer.toString(port),
                        "--database-url",
                        database.jdbcUrl(),
                        "--database-user",
                        database.username(),
                        "--database-password",
                        database.password(),
                        "--decision-timeout",
                        "5s",
                        "--provider-latency",
                        "2ms",
                        "--provider-timeout",
                        "5s");
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static ChildPlatform child(String role, String name) {
        ChildPlatform c =
                new ChildPlatform(
                        role,
                        dir.resolve(name),
                        kafka.bootstrapServers(),
                        registryServer.uri().toString());
        children.add(c);
        return c;
    }

    @Test
    void noPaymentIsDecidedTwiceAndNoMoneyIsLostOrDoubledWhenABrokerAndAnInstanceOfEachRoleDie()
            throws Exception {
        // the processes start side by side, the second API once the first made the demo merchant,
        // its key and the tokenization key
        int portA = freePort();
        int portB = freePort();
        ChildPlatform apiA = api("api-a", 0, portA).launch();
        ChildPlatform ledgerA = child("ledger", "ledger-a").launch();
        ChildPlatform ledgerB = child("ledger", "ledger-b").launch();
        ChildPlatform riskA = child("risk", "risk-a").launch();
        ChildPlatform riskB = child("risk", "risk-b").launch();
        apiA.awaitUp(Duration.ofSeconds(180));
        merchantKey = Files.readString(dir.resolve("api-a").resolve(Platform.DEMO_KEY_FILE)).trim();
        // the instances of a deployment share the tokenization key (the data keys are wrapped
        // under it in PostgreSQL)
        ChildPlatform apiB =
                api("api-b", 1, portB)
                        .with(
                                "--tokenization-key",
                                java.util.Base64.getEncoder()
                                        .encodeToString(
                                                Files.readAllBytes(
                                                        dir.resolve("api-a")
                                                                .resolve("tokenization.key"))))
                        .launch();
        for (ChildPlatform c : List.of(apiB, ledgerA, ledgerB, riskA, riskB)) {
            c.awaitUp(Duration.ofSeconds(180));
        }
        apis.add(URI.create("http://127.0.0.1:" + portA));
        apis.add(URI.create("http://127.0.0.1:" + portB));
        awaitMembers(Platform.LEDGER_APPLICATION_ID, 2, Duration.ofSeconds(60));
        awaitMembers(Platform.RISK_APPLICATION_ID, 2, Duration.ofSeconds(60));

        Traffic traffic = new Traffic(4);
        traffic.start();
        traffic.awaitCompletedPayments(5, Duration.ofSeconds(60));

        // a broker stops, and one instance of each role dies, at once
        kafka.stop(3);
        apiA.kill();
        ledgerA.kill();
        riskA.kill();
        long killed = System.nanoTime();
        awaitMembers(Platform.LEDGER_APPLICATION_ID, 1, Duration.ofSeconds(60));
        awaitMembers(Platform.RISK_APPLICATION_ID, 1, Duration.ofSeconds(60));
        assertThat(assignedPartitions(Platform.LEDGER_APPLICATION_ID))
                .as("the surviving ledger instance owns every command partition")
                .containsAll(partitions("payments.commands"));
        long completedAtFailover = traffic.completedPayments();
        traffic.awaitCompletedPayments(completedAtFailover + 5, Duration.ofSeconds(60));
        System.out.printf(
                "failover: partitions moved and payments completed again %.1f s after a broker"
                        + " and an instance of each role died%n",
                (System.nanoTime() - killed) / 1e9);

        // the survivors die too; they restart from their state folders and the changelogs
        ledgerB.kill();
        riskB.kill();
        long down = System.nanoTime();
        ChildPlatform ledgerAgain = child("ledger", "ledger-b").launch();
        ChildPlatform riskAgain = child("risk", "risk-b").launch();
        ledgerAgain.awaitUp(Duration.ofSeconds(120));
        riskAgain.awaitUp(Duration.ofSeconds(120));
        long completedAtRestart = traffic.completedPayments();
        traffic.awaitCompletedPayments(completedAtRestart + 5, Duration.ofSeconds(90));
        System.out.printf(
                "recovery: payments completed again %.1f s after both instances were killed%n",
                (System.nanoTime() - down) / 1e9);
        traffic.stop();

        // every movement a client was told about is in the ledger once; nothing else is
        List<PaymentEvent> ledger =
                TopicReader.read(
                        kafka.bootstrapServers(),
                        Topics.create(SchemaRegistries.connect(registryServer.uri().toString()), 3)
                                .paymentEvents(),
                        e -> traffic.payments.containsKey(e.getPaymentId()),
                        traffic.acknowledgedMovements(),
                        Duration.ofSeconds(60));
        Map<String, Long> authorizations =
                ledger.stream()
                        .filter(e -> e.getType() == PaymentEventType.AUTHORIZED)
                        .collect(
                                Collectors.groupingBy(
                                        PaymentEvent::getPaymentId, Collectors.counting()));
        assertThat(authorizations)
                .as("every payment a client saw authorized, authorized once")
                .containsOnlyKeys(traffic.payments.keySet())
                .allSatisfy((payment, n) -> assertThat(n).as(payment).isEqualTo(1));
        Map<String, Long> perOperation =
                ledger.stream()
                        .filter(ClusterFailoverIT::movesMoney)
                        .collect(
                                Collectors.groupingBy(
                                        e -> e.getPaymentId() + "/" + e.getOperationId(),
                                        Collectors.counting()));
        assertThat(perOperation.values()).as("no movement doubled").allMatch(n -> n == 1);
        assertThat(perOperation.keySet())
                .as("no acknowledged movement lost, none unacknowledged made up")
                .containsExactlyInAnyOrderElementsOf(traffic.acknowledged.keySet());
        for (PaymentEvent e : ledger) {
            if (movesMoney(e)) {
                assertThat(e.getAmount())
                        .isEqualTo(
                                traffic.acknowledged.get(
                                        e.getPaymentId() + "/" + e.getOperationId()));
            }
        }
        assertThat(traffic.refusedWrongly.get())
                .as("refusals the invariants do not explain")
                .isZero();
        System.out.printf(
                "traffic: %d payments completed, %d money movements, %d command retries%n",
                traffic.completedPayments(), perOperation.size(), traffic.retries.get());
    }

    private static boolean movesMoney(PaymentEvent e) {
        return e.getType() == PaymentEventType.CAPTURED || e.getType() == PaymentEventType.REFUNDED;
    }

    // ---- the group, seen from the broker ----

    private static void awaitMembers(String group, int members, Duration patience)
            throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        int seen = -1;
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription d = describe(group);
            seen = d.members().size();
            if (seen == members
                    && d.groupState().toString().equalsIgnoreCase("STABLE")
                    && d.members().stream()
                            .allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(group + " has " + seen + " members, expected " + members);
    }

    private static Set<TopicPartition> assignedPartitions(String group) throws Exception {
        return describe(group).members().stream()
                .map(MemberDescription::assignment)
                .flatMap(a -> a.topicPartitions().stream())
                .collect(Collectors.toSet());
    }

    private static Set<TopicPartition> partitions(String topic) {
        return Set.of(
                new TopicPartition(topic, 0),
                new TopicPartition(topic, 1),
                new TopicPartition(topic, 2));
    }

    private static ConsumerGroupDescription describe(String group) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers()))) {
            return admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(10, TimeUnit.SECONDS);
        }
    }

    // ---- the clients ----

    /**
     * Merchants' checkouts: each authorizes a payment for manual capture, captures it in two parts
     * and refunds some. A command that gets no definitive answer (the ledger is down: 503, or the
     * first attempt is still in flight: 409) is retried with the same Idempotency-Key until it gets
     * one. The acknowledged movements are what the clients were told happened.
     */
    static final class Traffic {
        final Map<String, Boolean> payments = new ConcurrentHashMap<>();
        final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong refusedWrongly = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService clients;
        private final int threads;

        Traffic(int threads) {
            this.threads = threads;
            this.clients = Executors.newFixedThreadPool(threads);
        }

        void start() {
            for (int t = 0; t < threads; t++) {
                int client = t;
                clients.submit(
                        () -> {
                            int n = 0;
                            while (running.get()) {
                                try {
                                    onePayment(client, n++);
                                } catch (Exception e) {
                                    if (running.get()) {
                                        e.printStackTrace();
                                    }
                                }
                            }
                            return null;
                        });
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        }

        long completedPayments() {
            return completed.get();
        }

        int acknowledgedMovements() {
            return acknowledged.size();
        }

        void awaitCompletedPayments(long n, Duration patience) throws InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (completed.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + completed.get() + " payments completed");
                }
                Thread.sleep(100);
            }
        }

        private void onePayment(int client, int n) throws Exception {
            // a card per client and payment, so the velocity rules do not decline the traffic
            String card = cardNumber(client * 100_000 + n);
            String body =
                    """
                    {"amount": 10000, "currency": "EUR",
                     "payment_method": {"type": "card",
                       "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                     "customer": {"id": "cus_%d_%d"}, "capture_method": "manual"}
                    """
                            .formatted(card, client, n);
            HttpResponse<String> created =
                    untilDefinitive("/v1/payments", UUID.randomUUID().toString(), body);
            if (created.statusCode() != 201) {
                refusedWrongly.incrementAndGet();
                System.out.println("payment refused: " + created.body());
                return;
            }
            JsonNode payment = json.readTree(created.body());
            if (!payment.path("status").asText().equals("authorized")) {
                return; // pending while risk is down, or declined: nothing to capture
            }
            String id = payment.get("id").asText();
            payments.put(id, true);
            move(id, "capture", 4000);
            move(id, "capture", 3000);
            move(id, "refunds", 2000);
            completed.incrementAndGet();
        }

        /** One capture or refund, retried until definitive; records what the client was told. */
        private void move(String paymentId, String action, long amount) throws Exception {
            String key = UUID.randomUUID().toString();
            HttpResponse<String> r =
                    untilDefinitive(
                            "/v1/payments/" + paymentId + "/" + action,
                            key,
                            "{\"amount\": " + amount + "}");
            if (r.statusCode() == 200 || r.statusCode() == 201) {
                JsonNode events = json.readTree(r.body()).get("events");
                // the newest event of this kind is the one this command made
                for (JsonNode e : events) {
                    String type = e.get("type").asText();
                    if (type.equals(action.equals("capture") ? "captured" : "refunded")
                            && e.get("amount").asLong() == amount
                            && !acknowledged.containsKey(
                                    paymentId + "/" + e.get("operation_id").asText())) {
                        acknowledged.put(paymentId + "/" + e.get("operation_id").asText(), amount);
                        return;
                    }
                }
                throw new AssertionError("accepted but not in the reply: " + r.body());
            }
            refusedWrongly.incrementAndGet();
            System.out.println("refused: " + r.body());
        }

        /**
         * Sends until a definitive answer, to either API: the first try to one (by the client's
         * number), a retry after no answer (connection refused, reset, a timeout) to the other.
         */
        private HttpResponse<String> untilDefinitive(String path, String key, String body)
                throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int api = (int) (Thread.currentThread().getId() % apis.size());
            while (true) {
                HttpResponse<String> r;
                try {
                    r =
                            http.send(
                                    HttpRequest.newBuilder(apis.get(api).resolve(path))
                                            .timeout(Duration.ofSeconds(30))
                                            .header("Authorization", "Bearer " + merchantKey)
                                            .header("Idempotency-Key", key)
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException e) {
                    r = null;
                    api = (api + 1) % apis.size(); // no answer: the other API
                }
                // a 500 is an answer too, and a wrong one: the caller counts it
                if (r != null && r.statusCode() != 503 && r.statusCode() != 409) {
                    return r;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no definitive answer for " + path);
                }
                retries.incrementAndGet();
                Thread.sleep(200);
            }
        }
    }

    /** A valid (Luhn) Visa-like test number, distinct per n, outside the provider's test cards. */
    static String cardNumber(int n) {
        return org.fraudplatform.api.validation.CardNumbers.withCheckDigit(
                "4111" + String.format("%011d", n));
    }
}
