package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fraudplatform.platform.testing.ApiCalls;
import org.fraudplatform.platform.testing.SharedPlatform;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The walking skeleton end to end: a real in-process KRaft broker, a real PostgreSQL, the risk
 * topology with the packaged Drools rules, the simulated provider and the HTTP API, all started the
 * way {@code fraud run} starts them.
 */
@Execution(value = ExecutionMode.SAME_THREAD, reason = SharedPlatform.LANE)
class PlatformIT {

    static final String GOOD_CARD = ApiCalls.freshVisa();
    static final String INSUFFICIENT_FUNDS_CARD = "4000000000009995";
    static final String VELOCITY_CARD = ApiCalls.freshMastercard();
    static final String OTHER_CARD = "378282246310005";
    static final List<String> CARDS_SENT =
            List.of(GOOD_CARD, INSUFFICIENT_FUNDS_CARD, VELOCITY_CARD, OTHER_CARD);

    @RegisterExtension static final SharedPlatform shared = new SharedPlatform();
    @TempDir static Path work;
    static Platform platform;
    static String apiKey;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void startPlatform() throws Exception {
        Logger root =
                org.fraudplatform.platform.testing.Logs.context()
                        .getLogger(Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        platform = shared.platform();
        apiKey = shared.demoKey();
        base = shared.base();
    }

    static PlatformSettings settings(Path dir) {
        return TestSettings.embedded(dir);
    }

    static String cardPayment(String number, long amount) {
        return """
                {"amount": %d, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "%s"}},
                 "customer": {"id": "cus_%s", "email": "holder-%s@example.com", "ip": "203.0.113.%d", "country": "DE"},
                 "capture_method": "automatic", "reference": "order-1"}
                """
                .formatted(
                        amount,
                        number,
                        number.startsWith("3") ? "1234" : "123",
                        // one cardholder per card: the card-testing rules watch one customer,
                        // e-mail or IP address paying with many cards
                        last4(number),
                        last4(number),
                        Math.floorMod(number.hashCode(), 250) + 1);
    }

    private static String last4(String number) {
        return number.substring(number.length() - 4);
    }

    static HttpResponse<String> post(
            String key, String idempotencyKey, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve("/v1/payments"))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> pay(String card, long amount)
            throws IOException, InterruptedException {
        return post(
                apiKey,
                UUID.randomUUID().toString(),
                "application/json",
                cardPayment(card, amount));
    }

    static HttpResponse<String> get(String key, String path)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + key)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldCaptureAPaymentWithAGoodCardAndExplainTheRiskDecision() throws Exception {
        HttpResponse<String> response = pay(GOOD_CARD, 25_00);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode payment = json.readTree(response.body());
        assertThat(payment.get("id").asText()).startsWith("pay_");
        assertThat(payment.get("status").asText()).isEqualTo("captured");
        assertThat(payment.get("amount").asLong()).isEqualTo(25_00);
        assertThat(payment.at("/payment_method/card/last4").asText())
                .isEqualTo(GOOD_CARD.substring(12));
        assertThat(payment.at("/payment_method/card/brand").asText()).isEqualTo("visa");
        assertThat(payment.at("/risk/action").asText()).isEqualTo("approve");
        assertThat(payment.at("/risk/ruleset_version").asText()).isNotBlank();
        assertThat(payment.at("/risk/reasons").isArray()).isTrue();
        assertThat(response.body()).doesNotContain(GOOD_CARD);
    }

    @Test
    void shouldDeclineACardUsedTwentyTimesInQuickSuccessionWithTheVelocityReason()
            throws Exception {
        List<JsonNode> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(json.readTree(pay(VELOCITY_CARD, 10_00 + i).body()));
        }

        assertThat(replies.subList(0, 5))
                .allSatisfy(p -> assertThat(p.get("status").asText()).isEqualTo("captured"));
        assertThat(replies.subList(5, 20))
                .allSatisfy(
                        p -> {
                            assertThat(p.get("status").asText()).isEqualTo("declined");
                            assertThat(p.at("/risk/action").asText()).isEqualTo("decline");
                            assertThat(p.at("/risk/reasons/0/code").asText())
                                    .isEqualTo("VELOCITY_CARD_10M");
                            assertThat(p.at("/risk/reasons/0/message").asText()).isNotBlank();
                        });
    }

    @Test
    void shouldReplayTheFirstReplyByteForByteForTheSameIdempotencyKey() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = cardPayment(OTHER_CARD, 42_00);

        HttpResponse<String> first = post(apiKey, key, "application/json", body);
        HttpResponse<String> again = post(apiKey, key, "application/json", body);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void shouldRefuseTheSameIdempotencyKeyWithAnotherBody() throws Exception {
        String key = UUID.randomUUID().toString();
        post(apiKey, key, "application/json", cardPayment(OTHER_CARD, 42_00));

        HttpResponse<String> other =
                post(apiKey, key, "application/json", cardPayment(OTHER_CARD, 43_00));

        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(other.body()).get("type").asText())
                .isEqualTo("/problems/idempotency-key-reused");
    }

    @Test
    void shouldDeclineWithTheProvidersReasonWhenTheProviderDeclines() throws Exception {
        JsonNode payment = json.readTree(pay(INSUFFICIENT_FUNDS_CARD, 30_00).body());

        assertThat(payment.get("status").asText()).isEqualTo("declined");
        assertThat(payment.get("decline_code").asText()).isEqualTo("insufficient_funds");
        assertThat(payment.at("/risk/action").asText()).isEqualTo("approve");
    }

    @Test
    void shouldMaskACardNumberTheProviderEchoesInTheMerchantsReplyAndTheLedger() throws Exception {
        String echoed = org.fraudplatform.providers.SimulatedProvider.DECLINE_ECHOING_THE_NUMBER;

        HttpResponse<String> reply = pay(echoed, 31_00);

        JsonNode payment = json.readTree(reply.body());
        assertThat(payment.get("status").asText()).isEqualTo("declined");
        assertThat(payment.get("decline_code").asText()).isEqualTo("do_not_honor");
        assertThat(payment.get("failure_message").asText())
                .isEqualTo("Do not honor: the issuer refused card 400000******0101");
        assertThat(reply.body()).doesNotContain(echoed);
        String id = payment.get("id").asText();
        List<org.fraudplatform.schemas.PaymentEvent> declined =
                org.fraudplatform.platform.testing.TopicReader.read(
                        platform.bootstrapServers(),
                        Topics.create(
                                        org.fraudplatform.schemas.serde.SchemaRegistries.connect(
                                                platform.schemaRegistryUrl()),
                                        3)
                                .paymentEvents(),
                        e -> e.getPaymentId().equals(id) && e.getReasonMessage() != null,
                        1,
                        Duration.ofSeconds(20));
        assertThat(declined)
                .extracting(org.fraudplatform.schemas.PaymentEvent::getReasonMessage)
                .containsExactly("Do not honor: the issuer refused card 400000******0101");
    }

    @Test
    void shouldRefuseACardNumberInTheReferenceNamingTheField() throws Exception {
        HttpResponse<String> response =
                post(
                        apiKey,
                        UUID.randomUUID().toString(),
                        "application/json",
                        cardPayment(GOOD_CARD, 10_00)
                                .replace(
                                        "\"reference\": \"order-1\"",
                                        "\"reference\": \"card 4111.1111.1111.1111\""));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.at("/type").asText()).isEqualTo("/problems/invalid-request");
        assertThat(problem.at("/errors/0/field").asText()).isEqualTo("reference");
        assertThat(problem.at("/errors/0/message").asText())
                .isEqualTo(
                        "must not contain a card number (13 to 19 digits that pass the Luhn check)");
        assertThat(problem.get("errors")).hasSize(1);
        assertThat(response.body()).doesNotContain("4111");
    }

    @Test
    void shouldRejectACardNumberThatFailsTheLuhnCheckNamingTheField() throws Exception {
        HttpResponse<String> response =
                post(
                        apiKey,
                        UUID.randomUUID().toString(),
                        "application/json",
                        cardPayment("4242424242424241", 10_00));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.at("/errors/0/field").asText()).isEqualTo("payment_method.card.number");
        assertThat(response.body()).doesNotContain("4242424242424241");
    }

    @Test
    void shouldRequireAnApiKey() throws Exception {
        HttpResponse<String> response =
                post(
                        null,
                        UUID.randomUUID().toString(),
                        "application/json",
                        cardPayment(GOOD_CARD, 10_00));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("application/problem+json");
        assertThat(
                        post(
                                        "sk_live_wrong",
                                        "k-1",
                                        "application/json",
                                        cardPayment(GOOD_CARD, 10_00))
                                .statusCode())
                .isEqualTo(401);
    }

    @Test
    void shouldRejectBrokenJson() throws Exception {
        HttpResponse<String> response =
                post(apiKey, UUID.randomUUID().toString(), "application/json", "{\"amount\": 10,");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("type").asText())
                .isEqualTo("/problems/malformed-json");
    }

    @Test
    void shouldRejectABodyThatIsNotJson() throws Exception {
        HttpResponse<String> response =
                post(apiKey, UUID.randomUUID().toString(), "text/plain", "amount=10");

        assertThat(response.statusCode()).isEqualTo(415);
    }

    @Test
    void shouldRequireAnIdempotencyKey() throws Exception {
        HttpResponse<String> response =
                post(apiKey, null, "application/json", cardPayment(GOOD_CARD, 10_00));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).at("/errors/0/field").asText())
                .isEqualTo("Idempotency-Key");
    }

    @Test
    void shouldShowAPaymentOnlyToTheMerchantThatOwnsIt() throws Exception {
        String id = json.readTree(pay(GOOD_CARD, 11_00).body()).get("id").asText();
        String otherKey =
                platform.api()
                        .createMerchantWithKey("other-" + UUID.randomUUID(), "Other merchant");

        HttpResponse<String> own = get(apiKey, "/v1/payments/" + id);
        HttpResponse<String> foreign = get(otherKey, "/v1/payments/" + id);

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(json.readTree(own.body()).get("id").asText()).isEqualTo(id);
        assertThat(foreign.statusCode()).isEqualTo(404);
    }

    /** Runs {@code fraud ARGS…} against this platform; returns the exit code and the output. */
    static String[] fraud(String... args) {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        picocli.CommandLine cli =
                org.fraudplatform.platform.cli.FraudCommand.commandLine(java.util.Map.of());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        var db = platform.databaseAddress();
        all.addAll(
                List.of(
                        "--database-url", db.jdbcUrl(),
                        "--database-user", db.user(),
                        "--database-password", db.password()));
        if (!args[1].equals("list") && !args[1].equals("tokens")) {
            all.addAll(
                    List.of(
                            "--bootstrap-servers", platform.bootstrapServers(),
                            "--schema-registry-url", platform.schemaRegistryUrl(),
                            "--token",
                                    TestPeople.tokenFor(
                                            platform,
                                            "ada",
                                            org.fraudplatform.api.people.Role.ADMIN)));
        }
        int exit = cli.execute(all.toArray(String[]::new));
        return new String[] {Integer.toString(exit), out.toString() + err};
    }

    private static String secretIn(String output) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("sk_live_[0-9A-Za-z]{32}").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group();
    }

    private static String keyIdIn(String output) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("API key (key_[0-9A-Za-z]+)").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }

    @Test
    void shouldGiveTheDemoMerchantOneKeyWithEveryScopeAndRoomForTheBenchmarkRates() {
        var keys = platform.api().apiKeys().list(Platform.DEMO_MERCHANT);

        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).scopes())
                .containsExactlyInAnyOrderElementsOf(org.fraudplatform.api.keys.Scope.all());
        assertThat(keys.get(0).rateLimit()).isGreaterThanOrEqualTo(5_000);
        assertThat(keys.get(0).expiresAt()).isNull();
        assertThat(platform.api().apiKeys().check(apiKey).valid()).isTrue();
    }

    @Test
    void shouldIssueListAndRevokeAPersonsTokensAndLetOnlyAdministratorsManagePeople()
            throws Exception {
        String[] created = fraud("users", "create", "tina", "--role", "analyst");
        assertThat(created[0]).as(created[1]).isEqualTo("0");
        String tina = tokenIn(created[1]);

        // tina's token is hers: she may change the lists, not manage people
        String[] asTina =
                fraudWithEnvironment(
                        Map.of("FRAUD_TOKEN", tina),
                        "users",
                        "token",
                        "tina",
                        "--expires-in",
                        "1d");
        assertThat(asTina[0]).isEqualTo("2");
        assertThat(asTina[1]).contains("tina (analyst) may not manage people");
        String[] nobody = fraudWithEnvironment(Map.of(), "users", "disable", "tina");
        assertThat(nobody[0]).isEqualTo("2");
        assertThat(nobody[1]).contains("needs your person token: --token or FRAUD_TOKEN");

        // an administrator issues her another, lists both, and revokes the first
        String[] issued = fraud("users", "token", "tina", "--expires-in", "1d");
        assertThat(issued[0]).as(issued[1]).isEqualTo("0");
        String second = tokenIn(issued[1]);
        String[] listed = fraud("users", "tokens", "tina");
        assertThat(listed[1].lines().filter(l -> l.contains(" tina ") && l.endsWith("live")))
                .hasSize(2);
        String firstId =
                listed[1]
                        .lines()
                        .filter(l -> l.contains(" tina "))
                        .reduce((a, b) -> b)
                        .orElseThrow()
                        .split("\\s+")[0];
        String[] revoked = fraud("users", "revoke-token", firstId);
        assertThat(revoked[0]).as(revoked[1]).isEqualTo("0");

        assertThat(operatorGet(tina, "/v1/lists")).as("the revoked token").isEqualTo(401);
        assertThat(operatorGet(second, "/v1/lists")).as("the live one").isEqualTo(200);
        assertThat(operatorGet(second, "/v1/audit")).as("not an administrator").isEqualTo(403);
        assertThat(operatorGet(apiKey, "/v1/lists")).as("a merchant's key").isEqualTo(401);
    }

    private static String tokenIn(String output) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(fpt_[0-9a-f]{64})").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }

    private static int operatorGet(String token, String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(base.resolve(path))
                                .header("Authorization", "Bearer " + token)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    /** Runs {@code fraud ARGS…} against this platform with the given environment and no token. */
    static String[] fraudWithEnvironment(Map<String, String> environment, String... args) {
        var out = new java.io.StringWriter();
        picocli.CommandLine cli =
                org.fraudplatform.platform.cli.FraudCommand.commandLine(environment);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(out, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(TestPeople.databaseOptions(platform));
        all.addAll(
                List.of(
                        "--bootstrap-servers", platform.bootstrapServers(),
                        "--schema-registry-url", platform.schemaRegistryUrl()));
        int exit = cli.execute(all.toArray(String[]::new));
        return new String[] {Integer.toString(exit), out.toString()};
    }

    @Test
    void shouldManageMerchantsAndKeysFromTheCommandLineAuditedAndEnforcedByTheApi()
            throws Exception {
        // given: a merchant whose first key may only read
        String[] created =
                fraud(
                        "merchants",
                        "create",
                        "Key Shop",
                        "--scopes",
                        "payments:read",
                        "--rate-limit",
                        "50/s");
        assertThat(created[0]).as(created[1]).isEqualTo("0");
        assertThat(created[1]).contains("Merchant key-shop (Key Shop)");
        String reader = secretIn(created[1]);
        String readerId = keyIdIn(created[1]);

        // when it pays, it is refused for the scope; reading works
        HttpResponse<String> paid =
                post(
                        reader,
                        UUID.randomUUID().toString(),
                        "application/json",
                        cardPayment(GOOD_CARD, 12_00));
        assertThat(paid.statusCode()).isEqualTo(403);
        assertThat(json.readTree(paid.body()).get("detail").asText()).contains("payments:write");
        assertThat(get(reader, "/v1/balances").statusCode()).isEqualTo(200);

        // a checkout key, listed without secrets
        String[] checkout =
                fraud(
                        "keys",
                        "create",
                        "--merchant",
                        "key-shop",
                        "--scopes",
                        "payments:write",
                        "--name",
                        "checkout",
                        "--expires-in",
                        "90d");
        assertThat(checkout[0]).as(checkout[1]).isEqualTo("0");
        String writer = secretIn(checkout[1]);
        String[] listed = fraud("keys", "list", "--merchant", "key-shop");
        assertThat(listed[0]).as(listed[1]).isEqualTo("0");
        assertThat(listed[1])
                .contains(readerId, keyIdIn(checkout[1]), "checkout", "50/s", "active")
                .doesNotContain(reader.substring(12), writer.substring(12));

        // rotation: new secrets, the old ones work through the overlap
        String[] rotated =
                fraud("keys", "rotate", "--merchant", "key-shop", "--old-expires-in", "1h");
        assertThat(rotated[0]).as(rotated[1]).isEqualTo("0");
        assertThat(rotated[1]).contains(readerId + " expires");
        assertThat(get(reader, "/v1/balances").statusCode()).isEqualTo(200);

        // revocation reaches the API within its key cache's TTL
        String[] revoked = fraud("keys", "revoke", readerId);
        assertThat(revoked[0]).as(revoked[1]).isEqualTo("0");
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        int status = 200;
        while (status == 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = get(reader, "/v1/balances").statusCode();
        }
        assertThat(status).isEqualTo(401);

        // and every change is audited with who made it, never with a secret
        var topics =
                Topics.create(
                        org.fraudplatform.schemas.serde.SchemaRegistries.connect(
                                platform.schemaRegistryUrl()),
                        3);
        List<org.fraudplatform.schemas.AuditEvent> audited =
                org.fraudplatform.platform.testing.TopicReader.read(
                        platform.bootstrapServers(),
                        topics.audit(),
                        e ->
                                e.getActor().equals("person:ada")
                                        && (e.getAction().startsWith("key.")
                                                || e.getAction().startsWith("merchant.")),
                        6,
                        Duration.ofSeconds(20));
        assertThat(audited)
                .extracting(org.fraudplatform.schemas.AuditEvent::getAction)
                .contains("merchant.create", "key.create", "key.rotate", "key.revoke");
        assertThat(audited.toString()).doesNotContain(reader, writer);
    }

    @Test
    void shouldSendAnUnreadableRequestRecordToTheDeadLetterTopicWithTheReason() throws Exception {
        String marker = "not-avro-" + UUID.randomUUID();
        sendUnreadableRequest(marker);

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-test-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        boolean found = false;
        try (var consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!found && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String value = new String(r.value(), StandardCharsets.ISO_8859_1);
                    found |= value.contains(marker) && value.contains("cannot decode value");
                }
            }
        }
        assertThat(found).as("a dead letter with the original bytes and the reason").isTrue();

        // and an operator reads it, with where it came from and why
        var out = new java.io.StringWriter();
        picocli.CommandLine cli =
                org.fraudplatform.platform.cli.FraudCommand.commandLine(java.util.Map.of());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(out, true));
        int exit =
                cli.execute(
                        "dead-letters",
                        "--from",
                        "payments",
                        "--values",
                        "--bootstrap-servers",
                        platform.bootstrapServers(),
                        "--schema-registry-url",
                        platform.schemaRegistryUrl());
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("payments.dlq  from " + Topics.PAYMENT_REQUESTS + "[")
                .contains("cannot decode value")
                .contains("value: " + marker)
                .containsPattern("\\d+ dead letters?");
    }

    @Test
    void shouldBackfillFromItsOwnTopicsTheFeaturesItDecidedWith() throws Exception {
        // given payments on two fresh cards, decided with their features
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (String card : List.of("4111111111111111", "4012888888881881")) {
                ids.add(json.readTree(pay(card, 12_00 + i).body()).get("id").asText());
            }
        }
        java.util.Map<String, java.util.Map<String, Double>> decided = decisionFeatures(ids);

        // when the backfill reads the platform's topics
        var result =
                org.fraudplatform.offline.backfill.FeatureBackfill.run(
                        new org.fraudplatform.offline.backfill.FeatureBackfill.Settings(
                                null,
                                null,
                                new org.fraudplatform.offline.backfill.FeatureBackfill.TopicsInput(
                                        platform.bootstrapServers(), platform.schemaRegistryUrl()),
                                work.resolve("backfill"),
                                org.fraudplatform.features.FeatureCatalogue.standard(),
                                org.fraudplatform.schemas.money.CurrencyRates.packaged(),
                                org.fraudplatform.offline.FlinkTarget.local(),
                                2),
                        new PrintStream(java.io.OutputStream.nullOutputStream()));

        // then every one of those payments has the vector it was decided with
        java.util.Map<String, java.util.Map<String, Double>> backfilled =
                org.fraudplatform.offline.backfill.FeatureTable.read(
                        result.parquet(),
                        org.fraudplatform.features.FeatureCatalogue.standard(),
                        ids::contains);
        assertThat(result.rows()).isGreaterThanOrEqualTo(ids.size());
        for (String id : ids) {
            assertThat(backfilled.get(id)).as("features of %s", id).isEqualTo(decided.get(id));
        }
    }

    private static java.util.Map<String, java.util.Map<String, Double>> decisionFeatures(
            List<String> ids) {
        var topics =
                Topics.create(
                        org.fraudplatform.schemas.serde.SchemaRegistries.connect(
                                platform.schemaRegistryUrl()),
                        3);
        var decisions = topics.paymentDecisions();
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "features-test-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        java.util.Map<String, java.util.Map<String, Double>> found = new java.util.HashMap<>();
        try (var consumer =
                new KafkaConsumer<>(
                        c,
                        decisions.keySerde().deserializer(),
                        decisions.valueSerde().deserializer())) {
            consumer.subscribe(List.of(decisions.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < ids.size() && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (ids.contains(r.key())) {
                        found.put(r.key(), new java.util.HashMap<>(r.value().getFeatures()));
                    }
                }
            }
        }
        assertThat(found.keySet())
                .as("decisions read back")
                .containsExactlyInAnyOrderElementsOf(ids);
        return found;
    }

    @Test
    void shouldReportHealthAndDecisionLatencyMetrics() throws Exception {
        pay(GOOD_CARD, 12_00);

        HttpResponse<String> health =
                http.send(
                        HttpRequest.newBuilder(base.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics =
                http.send(
                        HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json.readTree(health.body()).at("/checks/kafka").asText()).isEqualTo("up");
        assertThat(json.readTree(health.body()).at("/checks/risk-topology").asText())
                .isEqualTo("up");
        assertThat(metrics.body()).contains("payment_decision_latency_seconds_bucket");
    }

    @Test
    void shouldExportEveryMetricThatTheDashboardsAndAlertsQuery() throws Exception {
        // what the dashboards watch happens: payments decided, one declined by a rule, a record
        // dead-lettered (model scores need a model: ModelRegistryIT checks them)
        String card = ApiCalls.freshVisa();
        for (int i = 0; i < 6; i++) {
            pay(card, 13_00 + i);
        }
        sendUnreadableRequest("not-avro-" + UUID.randomUUID());
        String modelScore = "model_score_percent_bucket";
        String exposition = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!exposition.contains("dead_letters_total{") && System.nanoTime() < deadline) {
            exposition =
                    http.send(
                                    HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
        }
        java.util.Set<String> exported = new java.util.HashSet<>();
        exposition
                .lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> exported.add(l.split("[{ ]", 2)[0]));
        exported.add("up"); // Prometheus's own, per scraped target
        exported.add(modelScore);
        // exported only with connectors that settle: AdyenSettlementPlatformIT checks them
        exported.add(org.fraudplatform.runtime.metrics.DomainMetrics.SETTLEMENT_DAYS_MISSING);

        java.util.Map<String, java.util.Set<String>> queried = new java.util.TreeMap<>();
        Path deploy = Path.of("..", "deploy");
        for (JsonNode panel :
                json.readTree(deploy.resolve("grafana/dashboards/fraud-platform.json").toFile())
                        .get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                queried.put(
                        "dashboard: " + panel.get("title").asText() + ": " + target.get("expr"),
                        PromQl.metricNames(target.get("expr").asText()));
            }
        }
        for (String line : Files.readAllLines(deploy.resolve("prometheus/alerts.yml"))) {
            String trimmed = line.trim();
            if (trimmed.startsWith("expr:")) {
                String expr = trimmed.substring("expr:".length()).trim();
                queried.put("alert: " + expr, PromQl.metricNames(expr));
            }
        }

        assertThat(queried).hasSizeGreaterThan(10);
        queried.forEach(
                (where, names) -> assertThat(names).as(where).isNotEmpty().isSubsetOf(exported));
    }

    private static void sendUnreadableRequest(String marker) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        try (var producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    Topics.PAYMENT_REQUESTS, "k".getBytes(), marker.getBytes()))
                    .get();
        }
    }

    /** Fails when any file under {@code dir}, or any log line, holds one of the card numbers. */
    static void assertNoCardNumberIn(Path dir, List<String> logLines, List<String> cards)
            throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String card : cards) {
                assertThat(text).as("%s must not hold a card number", file).doesNotContain(card);
            }
        }
        for (String line : logLines) {
            for (String card : cards) {
                assertThat(line).doesNotContain(card);
            }
        }
    }

    static List<String> logLines() {
        List<String> lines = new ArrayList<>();
        List<ILoggingEvent> events;
        synchronized (logs) { // the appender adds under this lock, from every thread that logs
            events = new ArrayList<>(logs.list);
        }
        for (ILoggingEvent e : events) {
            lines.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                lines.add(e.getThrowableProxy().getMessage());
            }
        }
        lines.add(shared.consoleOutput());
        return lines;
    }
}
