package org.fraudplatform.platform.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.TestSettings;
import org.fraudplatform.platform.cli.FraudCommand;
import org.fraudplatform.platform.testing.ReleaseKeysOf;
import org.fraudplatform.risk.models.ModelArtifact;
import org.fraudplatform.risk.models.ModelRegistry;
import org.fraudplatform.risk.signing.ReleaseKeys;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The model registry against the running platform: a promoted model scores the next payments
 * without a restart, a shadow model is recorded beside it, a model that does not fit the feature
 * catalogue is refused (by the registry, and by the risk topology if it is published anyway), so is
 * one that no trusted key signed, and rollback restores the champion before (after the first
 * promotion: no model, the rules alone); {@code fraud models monitor} reads the decisions the
 * platform made and reports on them.
 */
class ModelRegistryIT {

    @TempDir static Path dataDir;
    static Platform platform;
    static String merchantKey;
    static Topics topics;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        platform =
                Platform.start(
                        TestSettings.embedded(dataDir),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        merchantKey = Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
        topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static ModelRegistry registry() {
        return new ModelRegistry(
                platform.kafkaConnection(),
                topics,
                FeatureCatalogue.standard(),
                ReleaseKeysOf.signer(dataDir),
                ReleaseKeysOf.trusted(dataDir));
    }

    @Test
    void promotedAndShadowModelsScoreWithoutARestartAndABadModelNeverReplacesAGoodOne()
            throws Exception {
        String catalogue = FeatureCatalogue.standard().hash();
        ModelArtifact first = TinyModels.amountModel("amount-steep", 2.0, catalogue);
        ModelArtifact second = TinyModels.amountModel("amount-flat", 0.1, catalogue);
        try (ModelRegistry registry = registry()) {
            ModelRelease a = registry.register(first, "ds@example", "first model");
            ModelRelease b = registry.register(second, "ds@example", "second model");
            assertThat(a.getStage()).isEqualTo(ModelStage.CANDIDATE);
            assertThat(registry.register(first, "ds@example", "again").getVersion())
                    .as("the same content is the same version")
                    .isEqualTo(a.getVersion());

            // a candidate scores nothing
            RiskDecision before = decisionOf(pay(2_500));
            assertThat(before.getModelVersion()).isNull();
            assertThat(before.getModelScore()).isNull();

            registry.promote(a.getVersion(), "ds@example");
            eventually(() -> a.getVersion().equals(platform.liveModelVersion()));

            // the first champion rolls back to what decided before it: no model, the rules alone
            assertThat(registry.rollback("ds@example")).isEmpty();
            eventually(() -> platform.liveModelVersion() == null);
            assertThat(registry.view().version(a.getVersion()).orElseThrow().getStage())
                    .isEqualTo(ModelStage.CANDIDATE);
            assertThat(decisionOf(pay(2_500)).getModelVersion()).isNull();
            assertThatThrownBy(() -> registry.rollback("ds@example"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no model is champion");

            registry.promote(a.getVersion(), "ds@example");
            eventually(() -> a.getVersion().equals(platform.liveModelVersion()));
            registry.shadow(b.getVersion(), "ds@example");
            eventually(() -> b.getVersion().equals(platform.shadowModelVersion()));

            // a small payment: the champion scores it low and the rules approve it
            RiskDecision small = decisionOf(pay(2_500));
            assertThat(small.getModelVersion()).isEqualTo(a.getVersion());
            assertThat(small.getModelScore()).isCloseTo(sigmoid(-2 + 2.0 * -1.25), within(1e-9));
            assertThat(small.getShadowModelVersion()).isEqualTo(b.getVersion());
            assertThat(small.getShadowModelScore())
                    .isCloseTo(sigmoid(-2 + 0.1 * -1.25), within(1e-9));
            assertThat(small.getAction()).isEqualTo(RiskAction.APPROVE);
            assertThat(small.getFeatures()).doesNotContainKey("model_score");
            // both scores are in the process's metrics, per version and role
            String metrics =
                    http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + platform.apiPort()
                                                                    + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            assertThat(metrics)
                    .containsPattern(
                            "model_score_percent_count\\{[^}]*model_version=\""
                                    + a.getVersion()
                                    + "\",role=\"champion\"")
                    .containsPattern(
                            "model_score_percent_count\\{[^}]*model_version=\""
                                    + b.getVersion()
                                    + "\",role=\"shadow\"");

            // a large one: the champion's score falls in the rules' decline band, and its top
            // feature comes with the decision as a reason; the shadow decides nothing
            RiskDecision large = decisionOf(pay(20_000));
            assertThat(large.getModelScore()).isGreaterThan(0.97);
            assertThat(large.getShadowModelScore()).isLessThan(0.5);
            assertThat(large.getAction()).isEqualTo(RiskAction.DECLINE);
            assertThat(large.getReasons())
                    .extracting(ReasonCode::getCode)
                    .contains("MODEL_SCORE_DECLINE", "ML_AMOUNT_MINOR");

            // promote the shadow: it scores the next payment; then roll back to the first
            registry.promote(b.getVersion(), "ds@example");
            eventually(() -> b.getVersion().equals(platform.liveModelVersion()));
            assertThat(decisionOf(pay(20_000)).getAction()).isEqualTo(RiskAction.APPROVE);
            assertThat(registry.view().version(a.getVersion()).orElseThrow().getStage())
                    .isEqualTo(ModelStage.RETIRED);
            assertThat(registry.rollback("ds@example"))
                    .get()
                    .extracting(ModelRelease::getVersion)
                    .isEqualTo(a.getVersion());
            eventually(() -> a.getVersion().equals(platform.liveModelVersion()));
            assertThat(registry.view().version(b.getVersion()).orElseThrow().getStage())
                    .isEqualTo(ModelStage.CANDIDATE);

            // a model trained on another catalogue is refused by the registry ...
            ModelArtifact foreign =
                    TinyModels.amountModel("amount-foreign", 2.0, "0123456789abcdef");
            assertThatThrownBy(() -> registry.register(foreign, "ds@example", "wrong catalogue"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("refused")
                    .hasMessageContaining("catalogue 0123456789ab");
            // ... and by the risk topology when it reaches the topic anyway, signed by someone
            // who bypassed the registry: the champion stays
            ModelRelease bypass =
                    publishDirectly(foreign, ModelStage.CHAMPION, ReleaseKeysOf.signer(dataDir));
            eventually(
                    () ->
                            registry.view()
                                    .champion()
                                    .orElseThrow()
                                    .getVersion()
                                    .equals(bypass.getVersion()));
            RiskDecision after = decisionOf(pay(2_500));
            assertThat(after.getModelVersion()).isEqualTo(a.getVersion());
            assertThat(platform.liveModelVersion()).isEqualTo(a.getVersion());

            // a model that fits, published as champion unsigned or signed by a key the platform
            // does not trust, is refused by every instance and is no part of the registry
            double unsigned = platform.releaseRefusals("model", ReleaseRefusal.Reason.UNSIGNED);
            double unknown = platform.releaseRefusals("model", ReleaseRefusal.Reason.UNKNOWN_KEY);
            ModelArtifact third = TinyModels.amountModel("amount-unsigned", 0.2, catalogue);
            ModelRelease notSigned = publishDirectly(third, ModelStage.CHAMPION, null);
            publishDirectly(third, ModelStage.CHAMPION, ReleaseSigner.of(ReleaseKeys.generate()));
            eventually(
                    () ->
                            platform.releaseRefusals("model", ReleaseRefusal.Reason.UNSIGNED)
                                            > unsigned
                                    && platform.releaseRefusals(
                                                    "model", ReleaseRefusal.Reason.UNKNOWN_KEY)
                                            > unknown);
            assertThat(platform.liveModelVersion()).isEqualTo(a.getVersion());
            assertThat(decisionOf(pay(2_500)).getModelVersion()).isEqualTo(a.getVersion());
            assertThat(registry.view().version(notSigned.getVersion()))
                    .as("the registry holds only what a trusted key signed")
                    .isEmpty();
            assertThatThrownBy(() -> registry.promote(notSigned.getVersion(), "ds@example"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no model with version");
        }
        List<String> trail = new ArrayList<>();
        TopicIo.readAll(platform.kafkaConnection(), topics.audit()).stream()
                .map(r -> r.value())
                .filter(e -> e.getAction().startsWith("model."))
                .forEach(e -> trail.add(e.getAction() + " " + e.getSubject()));
        assertThat(trail)
                .as("every change to the registry is audited, by whom and on what")
                .contains(
                        "model.register " + first.version(),
                        "model.register " + second.version(),
                        "model.promote " + first.version(),
                        "model.shadow " + second.version(),
                        "model.promote " + second.version(),
                        "model.retire " + first.version(),
                        "model.rollback " + first.version(),
                        "model.demote " + second.version());
        assertThat(
                        TopicIo.readAll(platform.kafkaConnection(), topics.audit()).stream()
                                .map(r -> r.value())
                                .filter(e -> e.getAction().startsWith("model."))
                                .filter(
                                        e ->
                                                e.getSubject().equals(first.version())
                                                        || e.getSubject().equals(second.version()))
                                .map(e -> e.getActor())
                                .distinct())
                .containsExactly("ds@example");
    }

    @Test
    void aPromotionProposedWithRequireApprovalHappensOnlyWhenASecondPersonApprovesIt()
            throws Exception {
        ModelArtifact artifact =
                TinyModels.amountModel("amount-four-eyes", 0.7, FeatureCatalogue.standard().hash());
        String version;
        try (ModelRegistry registry = registry()) {
            version =
                    registry.register(artifact, "ds@example", "a model two people promote")
                            .getVersion();
        }
        String championBefore = platform.liveModelVersion();

        CliRun alone;
        var address = platform.databaseAddress();
        try (org.fraudplatform.database.Database db =
                org.fraudplatform.database.Database.connect(
                        address.jdbcUrl(), address.user(), address.password(), 2)) {
            var policy =
                    new org.fraudplatform.api.people.FourEyes(
                            db.dataSource(), java.time.Clock.systemUTC());
            policy.require(org.fraudplatform.api.people.Permission.MODELS, true, "person:root");
            try {
                alone = cli("models", "promote", version, "--as", "dana");
            } finally {
                policy.require(
                        org.fraudplatform.api.people.Permission.MODELS, false, "person:root");
            }
        }
        CliRun propose = cli("models", "promote", version, "--require-approval", "--as", "dana");
        CliRun listed = cli("models", "proposals", "--db");
        CliRun byTheProposer = cli("models", "approve", version, "--as", "dana");
        String championBeforeApproval = platform.liveModelVersion();
        CliRun bySomebodyElse = cli("models", "approve", version, "--as", "eli");
        eventually(() -> version.equals(platform.liveModelVersion()));
        CliRun again = cli("models", "approve", version, "--as", "fay");
        try (ModelRegistry registry = registry()) {
            registry.rollback("ds@example"); // the champion before, for the other tests
        }

        assertThat(alone.exit()).as("one person alone, four eyes required").isNotZero();
        assertThat(alone.out()).contains("four eyes are required for model promotions");
        assertThat(propose.exit()).as(propose.out()).isZero();
        assertThat(propose.out())
                .contains("Proposed the promotion of model " + version, "nothing changed yet");
        assertThat(listed.out()).contains(version, "person:dana");
        assertThat(byTheProposer.exit()).isNotZero();
        assertThat(byTheProposer.out())
                .contains("four eyes: person:dana proposed the promotion of model " + version);
        assertThat(championBeforeApproval).isEqualTo(championBefore);
        assertThat(bySomebodyElse.exit()).as(bySomebodyElse.out()).isZero();
        assertThat(bySomebodyElse.out()).contains("is champion, approved by person:eli");
        assertThat(again.exit()).as("approved once").isNotZero();
        assertThat(again.out()).contains("no promotion of model " + version + " waits");
        List<AuditEvent> audit = new ArrayList<>();
        for (var r : TopicIo.readAll(platform.kafkaConnection(), topics.audit())) {
            if (r.value().getSubject().equals(version)
                    && (r.value().getAction().equals("model.propose")
                            || r.value().getAction().equals("model.promote"))) {
                audit.add(r.value());
            }
        }
        assertThat(audit)
                .extracting(AuditEvent::getActor, AuditEvent::getAction)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("person:dana", "model.propose"),
                        org.assertj.core.groups.Tuple.tuple("person:eli", "model.promote"));
        assertThat(audit.get(1).getDetails()).containsEntry("proposedBy", "person:dana");
    }

    record CliRun(int exit, String out) {}

    /**
     * {@code fraud ARGS…} against this platform; {@code --as NAME} runs it as the data scientist
     * NAME (created on first use) with their token; {@code --db} adds the database only.
     */
    private static CliRun cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = FraudCommand.commandLine(Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        List<String> all = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--as")) {
                all.add("--token");
                all.add(
                        org.fraudplatform.platform.TestPeople.tokenFor(
                                platform,
                                args[++i],
                                org.fraudplatform.api.people.Role.DATA_SCIENTIST));
                all.addAll(org.fraudplatform.platform.TestPeople.databaseOptions(platform));
            } else if (args[i].equals("--db")) {
                all.addAll(org.fraudplatform.platform.TestPeople.databaseOptions(platform));
            } else {
                all.add(args[i]);
            }
        }
        if (!args[1].equals("proposals")) {
            all.addAll(
                    List.of(
                            "--bootstrap-servers",
                            platform.bootstrapServers(),
                            "--schema-registry-url",
                            platform.schemaRegistryUrl(),
                            // the release keys the platform created in its data folder
                            "--data-dir",
                            dataDir.toString()));
        }
        return new CliRun(cli.execute(all.toArray(String[]::new)), out.toString());
    }

    @Test
    void monitorReadsTheDecisionsAndLabelsAndReportsTheFeaturesTheyCarried(@TempDir Path out)
            throws Exception {
        // given: payments decided by the running platform
        String first = pay(2_500);
        decisionOf(first);
        decisionOf(pay(90_000));
        StringWriter printed = new StringWriter();
        CommandLine cli = FraudCommand.commandLine(Map.of());
        cli.setOut(new PrintWriter(printed));

        // when
        int code =
                cli.execute(
                        "models",
                        "monitor",
                        "--bootstrap-servers",
                        platform.bootstrapServers(),
                        "--schema-registry-url",
                        platform.schemaRegistryUrl(),
                        "--out",
                        out.toString());

        // then
        assertThat(code).as(printed.toString()).isZero();
        assertThat(printed.toString())
                .contains("Reading " + topics.paymentDecisions().name())
                .contains("Reading " + topics.labels().name())
                .contains("features drifted")
                .contains("Report: ");
        assertThat(Files.readString(out.resolve("report.md"))).contains("| card_count_");
        assertThat(Files.readString(out.resolve("report.html"))).contains("card_count_");
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Publishes a model around the registry: unchecked, and signed by {@code signer}. */
    private static ModelRelease publishDirectly(
            ModelArtifact artifact, ModelStage stage, ReleaseSigner signer) throws Exception {
        ModelRelease unsigned =
                artifact.release(stage, "someone", "bypassing the registry", Instant.now());
        ModelRelease r = signer == null ? unsigned : signer.sign(unsigned);
        try (KafkaProducer<String, ModelRelease> p =
                TopicIo.producer(platform.kafkaConnection(), topics.models())) {
            p.send(new ProducerRecord<>(topics.models().name(), r.getVersion(), r)).get();
        }
        return r;
    }

    private static String pay(long amount) throws Exception {
        String body =
                """
                {"amount": %d, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": {"id": "cus_model"}, "capture_method": "manual"}
                """
                        .formatted(amount);
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + platform.apiPort()
                                                        + "/v1/payments"))
                                .header("Authorization", "Bearer " + merchantKey)
                                .header("Idempotency-Key", UUID.randomUUID().toString())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode payment = json.readTree(r.body());
        return payment.get("id").asText();
    }

    private static RiskDecision decisionOf(String paymentId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (var r : TopicIo.readAll(platform.kafkaConnection(), topics.paymentDecisions())) {
                if (r.value() != null && r.value().getPaymentId().equals(paymentId)) {
                    return r.value();
                }
            }
        }
        throw new AssertionError("no decision for " + paymentId);
    }

    private static void eventually(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the platform did not pick the change up in 20 s");
            }
            Thread.sleep(50);
        }
    }
}
