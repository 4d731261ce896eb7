package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.api.people.Role;
import org.fraudplatform.platform.cli.FraudCommand;
import org.fraudplatform.platform.testing.ReleaseKeysOf;
import org.fraudplatform.risk.RulesetReleases;
import org.fraudplatform.risk.signing.ReleaseKeys;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.ReleaseKind;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An analyst's round trip against the running platform: edit a threshold and its cases, deploy, see
 * new decisions carry the new version and follow the new threshold without a restart; a broken
 * ruleset is refused (by the command, and by every instance if it gets published anyway) while the
 * platform keeps deciding; a ruleset that is unsigned or signed by a key the platform does not
 * trust is refused by every instance, and the command without its signing key publishes nothing;
 * roll back, as far as the packaged ruleset that decided before the first deploy.
 */
class RulesDeployIT {

    static final String JCB_A = "3530111333300000";
    static final String JCB_B = "3566002020360505";

    @TempDir static Path dataDir;
    @TempDir static Path work;
    static Platform platform;
    static String apiKey;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();
    static final String PACKAGED = RuleEngine.compile(RulesetSource.packaged()).version();

    @BeforeAll
    static void start() throws Exception {
        platform =
                Platform.start(
                        PlatformIT.settings(dataDir),
                        new PrintStream(OutputStream.nullOutputStream()));
        apiKey = Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void shouldDeployTestedRulesWithoutARestartRefuseBrokenOnesAndRollBack() throws Exception {
        assertThat(platform.liveRulesetVersion()).isEqualTo(PACKAGED);
        assertThat(pay("4000056655665556", 1).at("/risk/ruleset_version").asText())
                .isEqualTo(PACKAGED);

        // an analyst lowers the velocity threshold from 5 to 3 payments in ten minutes
        Path edited = copyOfTheRuleset("edited");
        lowerTheVelocityThreshold(edited);
        String lowered = RulesetSource.fromDirectory(edited).version();

        CliRun deploy =
                cli(
                        "rules",
                        "deploy",
                        "--dir",
                        edited.toString(),
                        "-m",
                        "velocity 10m > 3",
                        "--as",
                        "analyst-a");

        assertThat(deploy.exit()).as(deploy.out()).isZero();
        assertThat(deploy.out()).contains("Deployed ruleset " + lowered);
        long swapped = awaitLive(lowered);
        // then the fourth payment of a card in ten minutes is declined, and says which version
        List<JsonNode> four =
                Stream.generate(() -> 0).limit(4).map(i -> pay("5105105105105100", 10_00)).toList();
        assertThat(four.get(2).at("/status").asText()).isEqualTo("captured");
        assertThat(four.get(3).at("/risk/action").asText()).isEqualTo("decline");
        assertThat(four.get(3).at("/risk/reasons/0/code").asText()).isEqualTo("VELOCITY_CARD_10M");
        assertThat(four.get(3).at("/risk/ruleset_version").asText()).isEqualTo(lowered);

        // a broken rule file is refused by the command, with file and line, and nothing is
        // published
        Path broken = copyOfTheRuleset("broken");
        replace(
                broken.resolve("geo.drl"),
                "cardCountry != customerCountry )",
                "cardCountry !=! customerCountry )");
        CliRun refused =
                cli(
                        "rules",
                        "deploy",
                        "--dir",
                        broken.toString(),
                        "-m",
                        "oops",
                        "--as",
                        "analyst-b");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).contains("geo.drl:").contains("Refused: nothing was deployed.");

        // and if a broken release reaches the topic anyway, signed by someone who skipped the
        // tests, every instance keeps the running one
        double invalidBefore = platform.releaseRefusals("ruleset", ReleaseRefusal.Reason.INVALID);
        publishRaw(broken, ReleaseKeysOf.signer(dataDir));
        awaitRefusals(ReleaseRefusal.Reason.INVALID, invalidBefore + 1);
        assertThat(platform.liveRulesetVersion()).isEqualTo(lowered);
        assertThat(pay("4000056655665556", 2).at("/risk/ruleset_version").asText())
                .isEqualTo(lowered);

        // a second deploy, then a rollback to the first
        Path reworded = copyOfTheRuleset("reworded");
        lowerTheVelocityThreshold(reworded);
        replace(
                reworded.resolve("amount.drl"),
                "Single payment worth 10 000.00 EUR or more",
                "One payment worth 10 000.00 EUR or more");
        String second = RulesetSource.fromDirectory(reworded).version();
        assertThat(
                        cli(
                                        "rules",
                                        "deploy",
                                        "--dir",
                                        reworded.toString(),
                                        "-m",
                                        "wording",
                                        "--as",
                                        "analyst-a")
                                .exit())
                .isZero();
        awaitLive(second);

        CliRun rollback = cli("rules", "rollback", lowered, "--as", "analyst-c");

        assertThat(rollback.exit()).as(rollback.out()).isZero();
        awaitLive(lowered);
        CliRun history = cli("rules", "history");
        assertThat(history.exit()).as(history.out()).isZero();
        assertThat(
                        history.out()
                                .lines()
                                .filter(l -> l.contains(lowered) || l.contains(second))
                                .toList())
                .hasSize(3);
        assertThat(history.out().lines().reduce((a, b) -> b).orElseThrow())
                .contains("ROLLBACK", lowered, "analyst-c", "(live)");
        try (RulesetReleases releases = releases()) {
            assertThat(releases.history())
                    .extracting(RulesetRelease::getKind)
                    .containsSubsequence(
                            ReleaseKind.DEPLOY, ReleaseKind.DEPLOY, ReleaseKind.ROLLBACK);
        }
        assertThat(auditTrail("ruleset.", 4))
                .containsExactly(
                        "platform ruleset.packaged ruleset:" + PACKAGED,
                        "person:analyst-a ruleset.deploy ruleset:" + lowered,
                        "person:analyst-a ruleset.deploy ruleset:" + second,
                        "person:analyst-c ruleset.rollback ruleset:" + lowered);

        // the packaged ruleset, which decided before the first deploy, is a release too
        assertThat(history.out().lines().findFirst().orElseThrow())
                .contains("PACKAGED", PACKAGED, "platform");
        CliRun backToPackaged = cli("rules", "rollback", PACKAGED, "--as", "analyst-c");
        assertThat(backToPackaged.exit()).as(backToPackaged.out()).isZero();
        awaitLive(PACKAGED);
        assertThat(pay("4000056655665556", 3).at("/risk/ruleset_version").asText())
                .isEqualTo(PACKAGED);
        System.out.printf("hot swap: live %d ms after the deploy command returned%n", swapped);
    }

    @Test
    void shouldRefuseAChangeWithoutAPersonsTokenOrByARoleThatMayNotMakeIt() throws Exception {
        CliRun anonymous = cli("lists", "add", "blocked_ips", "198.51.100.99", "--note", "x");
        List<String> asDataScientist =
                new java.util.ArrayList<>(
                        List.of(
                                "rules",
                                "deploy",
                                "--dir",
                                copyOfTheRuleset("not-theirs").toString(),
                                "-m",
                                "not theirs",
                                "--token",
                                TestPeople.tokenFor(platform, "dora", Role.DATA_SCIENTIST)));
        asDataScientist.addAll(TestPeople.databaseOptions(platform));
        CliRun scientist = cli(asDataScientist.toArray(String[]::new));

        assertThat(anonymous.exit()).isEqualTo(2);
        assertThat(anonymous.out()).contains("needs your person token");
        assertThat(scientist.exit()).isEqualTo(2);
        assertThat(scientist.out()).contains("dora (data-scientist) may not deploy rules");
        assertThat(cli("lists", "show", "blocked_ips").out()).doesNotContain("198.51.100.99");
        assertThat(cli("rules", "history").out()).doesNotContain("dora", "not theirs");
    }

    @Test
    void shouldRefuseARulesetThatIsUnsignedOrSignedByAnUnknownKeyAndKeepDecidingWithTheLiveOne()
            throws Exception {
        String live = platform.liveRulesetVersion();
        Path tested = copyOfTheRuleset("tested-but-unsigned");
        lowerTheVelocityThreshold(tested);
        replace(tested.resolve("amount.drl"), "10 000.00 EUR or more", "10 000 EUR or more");
        String version = RulesetSource.fromDirectory(tested).version();
        double unsignedBefore = platform.releaseRefusals("ruleset", ReleaseRefusal.Reason.UNSIGNED);
        double unknownBefore =
                platform.releaseRefusals("ruleset", ReleaseRefusal.Reason.UNKNOWN_KEY);

        publishRaw(tested, null);
        publishRaw(tested, ReleaseSigner.of(ReleaseKeys.generate()));

        awaitRefusals(ReleaseRefusal.Reason.UNSIGNED, unsignedBefore + 1);
        awaitRefusals(ReleaseRefusal.Reason.UNKNOWN_KEY, unknownBefore + 1);
        assertThat(platform.liveRulesetVersion()).isEqualTo(live);
        assertThat(pay("4000056655665556", 4).at("/risk/ruleset_version").asText()).isEqualTo(live);
        CliRun history = cli("rules", "history");
        assertThat(history.out().lines().filter(l -> l.contains(version)))
                .anySatisfy(l -> assertThat(l).contains("(refused: it is not signed)"))
                .anySatisfy(l -> assertThat(l).contains("(refused: it is signed by key"))
                .noneSatisfy(l -> assertThat(l).contains("(live)"));
        CliRun rollback = cli("rules", "rollback", version, "--as", "analyst-d");
        assertThat(rollback.exit()).isEqualTo(2);
        assertThat(rollback.out()).contains("was refused by the scoring instances");
        assertThat(platform.liveRulesetVersion()).isEqualTo(live);
    }

    @Test
    void shouldPublishNothingWithoutASigningKey() {
        Path missing = work.resolve("no-such-key");

        CliRun deploy =
                cli(
                        "rules",
                        "deploy",
                        "--dir",
                        Path.of("..", "rules", "ruleset").toString(),
                        "-m",
                        "unsigned",
                        "--signing-key",
                        missing.toString(),
                        "--as",
                        "analyst-a");

        assertThat(deploy.exit()).isEqualTo(2);
        assertThat(deploy.out())
                .contains("no release-signing key at " + missing)
                .doesNotContain("Deployed");
    }

    @Test
    void shouldBlockAnIpFromTheCommandLineAndUnblockIt() throws Exception {
        CliRun add =
                cli(
                        "lists",
                        "add",
                        "blocked_ips",
                        "198.51.100.77",
                        "--note",
                        "mule network",
                        "--expires-in",
                        "30d",
                        "--as",
                        "analyst-l");
        assertThat(add.exit()).as(add.out()).isZero();

        JsonNode blocked = awaitDecision("198.51.100.77", "BLOCKED_IP", true);
        assertThat(blocked.at("/risk/action").asText()).isEqualTo("decline");
        assertThat(cli("lists", "show", "blocked_ips").out())
                .contains("198.51.100.77", "mule network", "analyst-l");

        assertThat(
                        cli("lists", "remove", "blocked_ips", "198.51.100.77", "--as", "analyst-l")
                                .exit())
                .isZero();
        JsonNode free = awaitDecision("198.51.100.77", "BLOCKED_IP", false);
        // other rules may still judge it (the tests share one platform); the list no longer does
        assertThat(free.at("/risk/reasons").findValuesAsText("code")).doesNotContain("BLOCKED_IP");
        assertThat(auditTrail("list.", 2))
                .containsExactly(
                        "person:analyst-l list.add list:blocked_ips:198.51.100.77",
                        "person:analyst-l list.remove list:blocked_ips:198.51.100.77");
        assertThat(
                        cli(
                                        "lists",
                                        "add",
                                        "blocked_cards",
                                        "4111 1111 1111 1111",
                                        "--note",
                                        "x",
                                        "--as",
                                        "analyst-l")
                                .out())
                .contains("card lists hold instrument tokens");

        // a back-test of the platform's own history judges each payment with the lists of its time
        CliRun backtest =
                cli(
                        "rules",
                        "backtest",
                        "--dir",
                        Path.of("..", "rules", "ruleset").toString(),
                        "--from-topics",
                        "--lists-from-topics",
                        "--out",
                        work.resolve("backtest").toString());
        assertThat(backtest.exit()).as(backtest.out()).isZero();
        String report = Files.readString(work.resolve("backtest").resolve("report.md"));
        assertThat(report.lines().filter(l -> l.startsWith("| Blocked IP address |")).findFirst())
                .as("the blocked payment was judged with the list as it was then")
                .hasValueSatisfying(
                        l -> assertThat(l).doesNotStartWith("| Blocked IP address | 0 |"));
    }

    @Test
    void shouldLetAnAnalystButNoMerchantChangeTheListsOverHttp() throws Exception {
        String analystToken = TestPeople.tokenFor(platform, "analyst-h", Role.ANALYST);
        String body =
                "{\"value\": \"198.51.100.88\", \"note\": \"chargeback wave\", \"expires_in_days\": 7}";

        HttpResponse<String> asMerchant = http(apiKey, "POST", "/v1/lists/blocked_ips", body);
        HttpResponse<String> asAnalyst = http(analystToken, "POST", "/v1/lists/blocked_ips", body);

        assertThat(asMerchant.statusCode()).isEqualTo(401);
        assertThat(asAnalyst.statusCode()).as(asAnalyst.body()).isEqualTo(201);
        assertThat(json.readTree(asAnalyst.body()).get("author").asText())
                .isEqualTo("person:analyst-h");
        assertThat(
                        awaitDecision("198.51.100.88", "BLOCKED_IP", true, JCB_A, JCB_B)
                                .at("/risk/action")
                                .asText())
                .isEqualTo("decline");
        assertThat(http(analystToken, "GET", "/v1/lists", null).body())
                .contains("198.51.100.88", "chargeback wave");
        assertThat(http(analystToken, "POST", "/v1/lists/Blocked-IPs", body).statusCode())
                .as("a list name that is not snake_case")
                .isEqualTo(400);

        assertThat(
                        http(analystToken, "DELETE", "/v1/lists/blocked_ips/198.51.100.88", null)
                                .statusCode())
                .isEqualTo(200);
        assertThat(
                        awaitDecision("198.51.100.88", "BLOCKED_IP", false, JCB_A, JCB_B)
                                .at("/risk/reasons")
                                .findValuesAsText("code"))
                .doesNotContain("BLOCKED_IP");
    }

    private static HttpResponse<String> http(String key, String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.apiPort() + path))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Pays from an IP until the decision does (or does not) carry the code: lists apply within
     * moments.
     */
    private static JsonNode awaitDecision(String ip, String code, boolean present)
            throws InterruptedException {
        return awaitDecision(ip, code, present, "6011111111111117", "6011000990139424");
    }

    private static JsonNode awaitDecision(
            String ip, String code, boolean present, String cardA, String cardB)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int n = 0;
        while (true) {
            String card = n++ % 2 == 0 ? cardA : cardB;
            JsonNode payment = pay(card, 5_00, ip);
            boolean has = payment.at("/risk/reasons").findValuesAsText("code").contains(code);
            if (has == present) {
                return payment;
            }
            assertThat(System.nanoTime())
                    .as("%s %s within 20 s", code, present)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private record CliRun(int exit, String out) {}

    /**
     * Runs {@code fraud ARGS…} against the platform; {@code --as NAME} runs it as the analyst NAME
     * (created on first use), with their token.
     */
    private static CliRun cli(String... args) {
        StringWriter out = new StringWriter();
        var cli = FraudCommand.commandLine(Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        List<String> all = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--as")) {
                all.add("--token");
                all.add(TestPeople.tokenFor(platform, args[++i], Role.ANALYST));
                all.addAll(TestPeople.databaseOptions(platform));
            } else {
                all.add(args[i]);
            }
        }
        if (!args[1].equals("test") && !args[1].equals("--help")) {
            all.addAll(
                    List.of(
                            "--bootstrap-servers",
                            platform.bootstrapServers(),
                            "--schema-registry-url",
                            platform.schemaRegistryUrl()));
        }
        if (args[0].equals("rules") && List.of("deploy", "rollback", "history").contains(args[1])) {
            // the release keys the platform created in its data folder
            all.addAll(List.of("--data-dir", dataDir.toString()));
        }
        return new CliRun(cli.execute(all.toArray(String[]::new)), out.toString());
    }

    private static long awaitLive(String version) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(30).toNanos();
        while (!version.equals(platform.liveRulesetVersion())) {
            assertThat(System.nanoTime()).as("%s live within 30 s", version).isLessThan(deadline);
            Thread.sleep(20);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** The first {@code n} audit events whose action starts with {@code prefix}. */
    private static List<String> auditTrail(String prefix, int n) {
        var topic =
                Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 1).audit();
        Properties c = new Properties();
        c.put(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers());
        c.put(
                org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG,
                "audit-" + UUID.randomUUID());
        c.put(
                org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<String> trail = new java.util.ArrayList<>();
        try (var consumer =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                        c, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (trail.size() < n && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(300))) {
                    if (!r.value().getAction().startsWith(prefix)) {
                        continue;
                    }
                    trail.add(
                            r.value().getActor()
                                    + " "
                                    + r.value().getAction()
                                    + " "
                                    + r.value().getSubject());
                }
            }
        }
        return trail;
    }

    private static RulesetReleases releases() {
        return new RulesetReleases(
                platform.kafkaConnection(),
                Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 1),
                ReleaseKeysOf.signer(dataDir),
                ReleaseKeysOf.trusted(dataDir));
    }

    private static void awaitRefusals(ReleaseRefusal.Reason reason, double count)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (platform.releaseRefusals("ruleset", reason) < count) {
            assertThat(System.nanoTime())
                    .as("%s refusals of %s within 30 s", count, reason)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Publishes a folder around the command line: untested, and signed by {@code signer}. */
    private static void publishRaw(Path folder, ReleaseSigner signer) throws Exception {
        Topics topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 1);
        RulesetSource source = RulesetSource.fromDirectory(folder);
        Map<String, ByteBuffer> files = new java.util.HashMap<>();
        source.files().forEach(f -> files.put(f.name(), ByteBuffer.wrap(f.content())));
        RulesetRelease release =
                RulesetRelease.newBuilder()
                        .setVersion(source.version())
                        .setFiles(files)
                        .setKind(ReleaseKind.DEPLOY)
                        .setAuthor("someone")
                        .setMessage("skipped the tests")
                        .setReleasedAt(Instant.now())
                        .build();
        if (signer != null) {
            release = signer.sign(release);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        try (var producer =
                new KafkaProducer<>(
                        p,
                        topics.rulesets().keySerde().serializer(),
                        topics.rulesets().valueSerde().serializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    topics.rulesets().name(), release.getVersion(), release))
                    .get();
        }
    }

    private static Path copyOfTheRuleset(String name) throws IOException {
        Path target = work.resolve(name);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(Path.of("..", "rules", "ruleset"))) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }

    /** The analyst's edit: decline from the fourth payment in ten minutes, the cases to match. */
    private static void lowerTheVelocityThreshold(Path ruleset) throws IOException {
        replace(
                ruleset.resolve("velocity.drl"),
                "get(\"card_count_10m\") > 5",
                "get(\"card_count_10m\") > 3");
        replace(
                ruleset.resolve("velocity.cases.yaml"),
                "features: {card_count_10m: 5}",
                "features: {card_count_10m: 3}");
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("%s holds %s", file, from).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    private static JsonNode pay(String card, long amount) {
        return pay(card, amount, "203.0.113.9");
    }

    private static JsonNode pay(String card, long amount, String ip) {
        Supplier<String> body =
                () ->
                        """
                        {"amount": %d, "currency": "EUR",
                         "payment_method": {"type": "card",
                           "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                         "customer": {"id": "cus_%s", "ip": "%s", "country": "DE"}, "capture_method": "automatic"}
                        """
                                .formatted(amount, card, card.substring(12), ip);
        try {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + platform.apiPort()
                                                            + "/v1/payments"))
                                    .header("Authorization", "Bearer " + apiKey)
                                    .header("Idempotency-Key", UUID.randomUUID().toString())
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body.get()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            return json.readTree(r.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
