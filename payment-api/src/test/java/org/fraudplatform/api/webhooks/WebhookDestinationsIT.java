package org.fraudplatform.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.fraudplatform.api.http.HttpReply;
import org.fraudplatform.api.http.Json;
import org.fraudplatform.api.merchants.MerchantStore;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.encryption.FieldCipher;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.topics.Topic;
import org.fraudplatform.workers.webhooks.HostResolver;
import org.fraudplatform.workers.webhooks.WebhookDestinations;
import org.fraudplatform.workers.webhooks.WebhookSender;
import org.fraudplatform.workers.webhooks.WebhookSettings;
import org.fraudplatform.workers.webhooks.WebhookStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks cannot be pointed at the platform's own network: registration ({@link WebhookService})
 * refuses a URL whose host is not a public address with a 400 naming why, and the sender ({@link
 * WebhookSender}) checks again on every attempt, so a name that rebinds to an internal address
 * after registration gets a failed attempt and no connection; a delivery goes to the address its
 * attempt checked, whatever the name answers a moment later. On a real PostgreSQL; names are
 * answered by the test's resolver, and the only connections are to receivers on loopback.
 */
class WebhookDestinationsIT {

    static final InetAddress PUBLIC = ip("203.0.113.10");
    static final InetAddress LOOPBACK = ip("127.0.0.1");
    static final InetAddress METADATA = ip("169.254.169.254");
    static final AtomicInteger merchants = new AtomicInteger();

    static Database db;
    static WebhookStore store;

    /** What the test's resolver answers, one list per name; the last answer repeats. */
    final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();

    final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    final HostResolver resolver =
            host -> {
                List<InetAddress> a = answers.get(host);
                if (a == null) {
                    throw new UnknownHostException(host);
                }
                int n = lookups.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement();
                return new InetAddress[] {a.get(Math.min(n, a.size() - 1))};
            };

    final MockProducer<byte[], DeadLetter> deadLetters =
            new MockProducer<>(true, null, new ByteArraySerializer(), (t, v) -> new byte[0]);
    final Topic<byte[], DeadLetter> deadLetterTopic =
            new Topic<>(
                    "webhooks.dlq",
                    1,
                    Map.of(),
                    Serdes.ByteArray(),
                    Serdes.serdeFrom((t, v) -> new byte[0], (t, b) -> null));

    String merchant;
    WebhookSender sender;

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
        store =
                new WebhookStore(
                        db.dataSource(), FieldCipher.inDatabase(db.dataSource(), new byte[32]));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void aMerchant() {
        merchant = "shop-" + merchants.incrementAndGet();
        new MerchantStore(db.dataSource()).createMerchant(merchant, "Shop");
    }

    @AfterEach
    void stopSending() throws InterruptedException {
        if (sender != null) {
            sender.close();
        }
    }

    @Test
    void shouldRefuseToRegisterTheCloudMetadataAddressWith400NamingWhy() throws Exception {
        HttpReply reply = register(false, "https://169.254.169.254/latest/meta-data/");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        JsonNode problem = Json.MAPPER.readTree(reply.body());
        assertThat(problem.get("type").asText()).isEqualTo("/problems/invalid-request");
        assertThat(problem.get("detail").asText())
                .isEqualTo(
                        "url: 169.254.169.254 is the cloud metadata address: webhooks are sent to"
                                + " public addresses only");
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("url");
        assertThat(store.endpoints(merchant)).as("nothing was stored").isEmpty();
    }

    @Test
    void shouldRefuseToRegisterANameThatResolvesToAPrivateAddress() throws Exception {
        answers.put("hooks.shop.test", List.of(ip("10.0.0.5")));

        HttpReply reply = register(false, "https://hooks.shop.test/events");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(detail(reply))
                .isEqualTo(
                        "url: hooks.shop.test resolves to 10.0.0.5, a private address: webhooks"
                                + " are sent to public addresses only");
        assertThat(store.endpoints(merchant)).isEmpty();
    }

    @Test
    void shouldRefuseToRegisterANameThatCannotBeResolved() throws Exception {
        HttpReply reply = register(false, "https://nowhere.shop.test/events");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(detail(reply)).isEqualTo("url: nowhere.shop.test cannot be resolved");
    }

    @Test
    void shouldRegisterALocalPlainHttpReceiverOnlyWhenPrivateDestinationsAreAllowed()
            throws Exception {
        HttpReply refused = register(false, "http://127.0.0.1:9000/hooks");
        HttpReply allowed = register(true, "http://127.0.0.1:9000/hooks");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(detail(refused)).isEqualTo("url: must be an https URL");
        assertThat(allowed.status()).isEqualTo(201);
        assertThat(store.endpoints(merchant)).hasSize(1);
    }

    @Test
    void shouldFailTheAttemptWithoutConnectingWhenTheNameRebindsToAnInternalAddress()
            throws Exception {
        try (ServerSocket internal = new ServerSocket(0, 8, LOOPBACK)) {
            AtomicInteger connections = acceptAndCount(internal);
            // given an endpoint registered while its name had a public address
            answers.put("hooks.shop.test", List.of(PUBLIC));
            String url = "https://hooks.shop.test:" + internal.getLocalPort() + "/events";
            String endpoint = created(register(false, url));
            // and the name now answers with the address of a service on the platform's machine
            answers.put("hooks.shop.test", List.of(LOOPBACK));

            // when a delivery is due, and tried twice
            String delivery = enqueue(endpoint);
            startSending(false, 2);

            // then both attempts failed, naming why, and nothing connected to the internal service
            await("the delivery fails", () -> status(delivery).equals("failed"));
            await("it is dead-lettered", () -> !deadLetters.history().isEmpty());
            WebhookStore.Delivery failed = delivery(delivery);
            String reason =
                    "not sent: hooks.shop.test resolves to 127.0.0.1, a loopback address: webhooks"
                            + " are sent to public addresses only";
            assertThat(failed.lastError()).isEqualTo(reason);
            assertThat(failed.attempts()).isEqualTo(2);
            assertThat(failed.lastStatus()).isNull();
            assertThat(deadLetters.history())
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(r.value().getError())
                                            .isEqualTo("failed after 2 attempt(s): " + reason));
            assertThat(connections.get()).as("connections to the internal service").isZero();
        }
    }

    @Test
    void shouldConnectToTheAddressTheAttemptCheckedWhateverTheNameAnswersAfterwards()
            throws Exception {
        List<String> hosts = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 8);
        receiver.createContext(
                "/",
                exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    hosts.add(exchange.getRequestHeaders().getFirst("Host"));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        receiver.start();
        try {
            // given a name (known to no resolver but the test's) that answers loopback to the
            // registration and to the first attempt's check, and the metadata address ever after
            answers.put("hooks.shop.test", List.of(LOOPBACK, LOOPBACK, METADATA));
            int port = receiver.getAddress().getPort();
            String endpoint = created(register(true, "http://hooks.shop.test:" + port + "/events"));

            // when one delivery is sent
            String first = enqueue(endpoint);
            startSending(true, 1);
            await("the first delivery arrives", () -> status(first).equals("delivered"));

            // then it reached the address its check answered, under the URL's name, with one
            // lookup: the connection asked no second lookup that could have been rebound
            assertThat(hosts).containsExactly("hooks.shop.test:" + port);
            assertThat(lookups.get("hooks.shop.test").get())
                    .as("lookups: the registration's and the attempt's")
                    .isEqualTo(2);

            // and the next attempt's check sees the metadata address and does not connect
            String second = enqueue(endpoint);
            sender.wake();
            await("the second delivery fails", () -> status(second).equals("failed"));
            assertThat(delivery(second).lastError())
                    .isEqualTo(
                            "not sent: hooks.shop.test resolves to 169.254.169.254, the cloud"
                                    + " metadata address: webhooks are never sent there");
            assertThat(hosts).hasSize(1);
        } finally {
            receiver.stop(0);
        }
    }

    // ---- helpers ----

    private HttpReply register(boolean privateAllowed, String url) {
        WebhookService service =
                new WebhookService(
                        store,
                        new WebhookDestinations(privateAllowed, resolver),
                        Clock.systemUTC());
        return service.createEndpoint(
                merchant,
                ("{\"url\": \"" + url + "\", \"events\": [\"*\"]}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static String created(HttpReply reply) throws IOException {
        String body = new String(reply.body(), StandardCharsets.UTF_8);
        assertThat(reply.status()).as(body).isEqualTo(201);
        return Json.MAPPER.readTree(body).get("id").asText();
    }

    private static String detail(HttpReply reply) throws IOException {
        return Json.MAPPER.readTree(reply.body()).get("detail").asText();
    }

    private void startSending(boolean privateAllowed, int attempts) {
        sender =
                new WebhookSender(
                        store,
                        new WebhookSettings(
                                Duration.ofMillis(50),
                                Duration.ofMillis(100),
                                attempts,
                                Duration.ofSeconds(2),
                                privateAllowed),
                        new WebhookDestinations(privateAllowed, resolver),
                        deadLetters,
                        deadLetterTopic,
                        Clock.systemUTC());
        sender.start(Duration.ofMillis(50));
    }

    private String enqueue(String endpointId) {
        Instant now = Instant.now();
        String eventId = "evt_" + merchant + "_" + System.nanoTime();
        String id = eventId + ":" + endpointId;
        store.enqueue(
                List.of(
                        new WebhookStore.Delivery(
                                id,
                                endpointId,
                                merchant,
                                eventId,
                                "payment.captured",
                                "{\"type\":\"payment.captured\"}",
                                "pending",
                                0,
                                now,
                                null,
                                null,
                                now,
                                now,
                                null)));
        return id;
    }

    private WebhookStore.Delivery delivery(String id) {
        return store.deliveries(merchant, null, 100).stream()
                .filter(d -> d.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private String status(String id) {
        return delivery(id).status();
    }

    /** Accepts every connection, counting them, on a daemon thread. */
    private static AtomicInteger acceptAndCount(ServerSocket server) {
        AtomicInteger connections = new AtomicInteger();
        Thread t =
                new Thread(
                        () -> {
                            while (!server.isClosed()) {
                                try (Socket s = server.accept()) {
                                    connections.incrementAndGet();
                                } catch (IOException e) {
                                    return; // closed
                                }
                            }
                        },
                        "internal-service");
        t.setDaemon(true);
        t.start();
        return connections;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
