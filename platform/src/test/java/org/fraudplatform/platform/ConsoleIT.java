package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.fraudplatform.api.PaymentApi;
import org.fraudplatform.platform.cli.FraudCommand;
import org.fraudplatform.platform.models.TinyModels;
import org.fraudplatform.platform.testing.ApiCalls;
import org.fraudplatform.platform.testing.ReleaseKeysOf;
import org.fraudplatform.platform.testing.SettlementExceptions;
import org.fraudplatform.platform.testing.TopicReader;
import org.fraudplatform.risk.RulesetReleases;
import org.fraudplatform.risk.models.ModelRegistry;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ReleaseKind;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysts' console through the running platform, as a browser uses it: a cookie, forms with
 * their CSRF token, redirects. People are created with {@code fraud users create}.
 */
class ConsoleIT {

    static final String CARD = "5555555555554444";

    @TempDir static Path dataDir;
    static Platform platform;
    static String merchantKey;
    static URI base;
    static final ByteArrayOutputStream output = new ByteArrayOutputStream();
    static final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startPlatform() throws Exception {
        platform =
                Platform.start(
                        TestSettings.embedded(dataDir),
                        new PrintStream(output, true, StandardCharsets.UTF_8));
        merchantKey = Files.readString(dataDir.resolve(Platform.DEMO_KEY_FILE)).trim();
        base = URI.create("http://127.0.0.1:" + platform.apiPort());
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void shouldCreateTheAdministratorOnFirstStartWithAPasswordOnlyTheOwnerCanRead()
            throws Exception {
        Path file = dataDir.resolve(PaymentApi.ADMIN_PASSWORD_FILE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("/console (user admin, password in " + file + ")");
        Browser admin = new Browser();
        assertThat(admin.signIn("admin", Files.readString(file).trim()).statusCode())
                .isEqualTo(303);
        HttpResponse<String> queue = admin.get("/console");
        assertThat(queue.statusCode()).isEqualTo(200);
        assertThat(queue.body()).contains("Reviews").contains("admin");
    }

    @Test
    void shouldSendAVisitorWithoutASessionToSignInAndRefuseAWrongPassword() throws Exception {
        Browser stranger = new Browser();

        HttpResponse<String> queue = stranger.get("/console");
        HttpResponse<String> wrong = stranger.signIn("admin", "not-the-password");

        assertThat(queue.statusCode()).isEqualTo(303);
        assertThat(queue.headers().firstValue("Location")).hasValue("/console/login");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong name or password");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> fromElsewhere =
                http.send(
                        HttpRequest.newBuilder(base.resolve("/console/login"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("Origin", "https://attacker.example")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "name=admin&password="
                                                        + URLEncoder.encode(
                                                                Files.readString(
                                                                                dataDir.resolve(
                                                                                        PaymentApi
                                                                                                .ADMIN_PASSWORD_FILE))
                                                                        .trim(),
                                                                StandardCharsets.UTF_8)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(fromElsewhere.statusCode())
                .as("a sign-in posted from another site's page, even with the right password")
                .isEqualTo(403);
        assertThat(fromElsewhere.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(stranger.get("/console/login").headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'"));
    }

    @Test
    void shouldLetAnAnalystApproveAReviewFromTheQueueAuditedUnderTheirName() throws Exception {
        String password = createPerson("ana", "analyst");
        Browser ana = new Browser();
        assertThat(ana.signIn("ana", password).statusCode()).isEqualTo(303);
        // 10 000.00 EUR in one payment: the packaged rules send it to review
        String id = pay(10_000_00, "cus_console_1");

        String queue = awaitInQueue(ana, id);
        HttpResponse<String> casePage = ana.get("/console/payments/" + id);
        HttpResponse<String> forged =
                ana.post("/console/payments/" + id + "/approve", Map.of("note", "no token"));
        HttpResponse<String> approved =
                ana.post(
                        "/console/payments/" + id + "/approve",
                        Map.of("csrf", ana.csrf(casePage.body()), "note", "customer confirmed"));

        assertThat(queue).contains("AMOUNT_VERY_LARGE");
        assertThat(casePage.body())
                .contains("Decision: <span class=\"review\">review</span>")
                .contains("AMOUNT_VERY_LARGE")
                .contains("•••• 4444")
                .doesNotContain(CARD);
        assertThat(forged.statusCode()).as("a form without the session's token").isEqualTo(403);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(303);
        assertThat(approved.headers().firstValue("Location"))
                .hasValue("/console/payments/" + id + "?done=approve");
        assertThat(platform.api().awaitHistory(Duration.ofSeconds(20))).isTrue();
        JsonNode payment = json.readTree(merchantGet("/v1/payments/" + id).body());
        assertThat(payment.get("status").asText()).isEqualTo("authorized");
        List<AuditEvent> audit =
                TopicReader.read(
                        platform.bootstrapServers(),
                        Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3)
                                .audit(),
                        a -> a.getSubject().equals(id),
                        1,
                        Duration.ofSeconds(20));
        assertThat(audit)
                .extracting(AuditEvent::getActor, AuditEvent::getAction)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("person:ana", "review.approve"));
    }

    @Test
    void shouldKeepAClaimedCaseToItsHolderUntilReleased() throws Exception {
        Browser ben = new Browser();
        ben.signIn("ben", createPerson("ben", "analyst"));
        Browser cleo = new Browser();
        cleo.signIn("cleo", createPerson("cleo", "analyst"));
        String id = pay(10_000_00, "cus_console_claims");
        awaitInQueue(ben, id);

        HttpResponse<String> claimed =
                ben.post(
                        "/console/payments/" + id + "/claim",
                        Map.of("csrf", ben.csrf(ben.get("/console/payments/" + id).body())));
        String unclaimedQueue = cleo.get("/console?claimed=unclaimed").body();
        String cleoCase = cleo.get("/console/payments/" + id).body();
        HttpResponse<String> taken =
                cleo.post(
                        "/console/payments/" + id + "/approve",
                        Map.of("csrf", cleo.csrf(cleoCase), "note", "mine now?"));
        HttpResponse<String> released =
                ben.post(
                        "/console/payments/" + id + "/release",
                        Map.of("csrf", ben.csrf(ben.get("/console/payments/" + id).body())));
        HttpResponse<String> approved =
                cleo.post(
                        "/console/payments/" + id + "/approve",
                        Map.of("csrf", cleo.csrf(cleoCase), "note", "after ben released it"));

        assertThat(claimed.statusCode()).isEqualTo(303);
        assertThat(unclaimedQueue).doesNotContain(id);
        assertThat(cleoCase).contains("Claimed by ben").doesNotContain(">Release</button>");
        assertThat(taken.body()).contains("ben works this case");
        assertThat(released.statusCode()).isEqualTo(303);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(303);
        assertThat(approved.headers().firstValue("Location"))
                .hasValue("/console/payments/" + id + "?done=approve");
        assertThat(
                        awaitPage(
                                cleo,
                                "/console/payments/" + id,
                                p ->
                                        p.contains("REVIEW_APPROVED")
                                                && !p.contains("(under review)")))
                .contains("REVIEW_APPROVED")
                .doesNotContain("(under review)");
    }

    @Test
    void shouldLetTheHolderHandACaseToAnotherAnalystAuditedUnderTheirName() throws Exception {
        Browser finn = new Browser();
        finn.signIn("finn", createPerson("finn", "analyst"));
        Browser gwen = new Browser();
        gwen.signIn("gwen", createPerson("gwen", "analyst"));
        createPerson("hal", "data-scientist");
        // a card and an address of its own: the velocity of the shared ones depends on test order
        String id =
                pay(
                        10_000_00,
                        "5105105105105100",
                        "cus_console_assign",
                        "cus_console_assign",
                        "198.51.100.31",
                        null);
        awaitInQueue(finn, id);
        String path = "/console/payments/" + id;

        HttpResponse<String> claimed =
                finn.post(path + "/claim", Map.of("csrf", finn.csrf(finn.get(path).body())));
        String finnsCase = finn.get(path).body();
        HttpResponse<String> toADataScientist =
                finn.post(path + "/assign", Map.of("csrf", finn.csrf(finnsCase), "to", "hal"));
        HttpResponse<String> assigned =
                finn.post(path + "/assign", Map.of("csrf", finn.csrf(finnsCase), "to", "gwen"));
        String gwensQueue = gwen.get("/console?claimed=mine").body();
        String finnsCaseAfter = finn.get(path).body();
        HttpResponse<String> takenBack =
                finn.post(path + "/assign", Map.of("csrf", finn.csrf(finnsCase), "to", "finn"));

        assertThat(claimed.statusCode()).isEqualTo(303);
        assertThat(finnsCase)
                .contains("<label for=\"assign-to\">Assign to</label>")
                .contains("<option>gwen</option>")
                .doesNotContain("<option>hal</option>")
                .doesNotContain("<option>finn</option>");
        assertThat(toADataScientist.body())
                .contains("&#39;hal&#39; cannot be given a case")
                .contains("Claimed by finn");
        assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(303);
        assertThat(gwensQueue).contains(id);
        assertThat(finnsCaseAfter).contains("Claimed by gwen").doesNotContain("/assign\"");
        assertThat(takenBack.body())
                .contains("Only who holds a case can hand it on: gwen works this case.");
        List<AuditEvent> audit =
                TopicReader.read(
                        platform.bootstrapServers(),
                        Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3)
                                .audit(),
                        a -> a.getSubject().equals(id),
                        2,
                        Duration.ofSeconds(20));
        assertThat(audit)
                .extracting(AuditEvent::getActor, AuditEvent::getAction)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("person:finn", "case.claim"),
                        org.assertj.core.groups.Tuple.tuple("person:finn", "case.assign"));
        assertThat(audit.get(1).getDetails())
                .containsEntry("to", "gwen")
                .containsEntry("holder", "finn");
    }

    @Test
    void shouldLetADataScientistReadACaseButNotDecideIt() throws Exception {
        String password = createPerson("dora", "data-scientist");
        Browser dora = new Browser();
        dora.signIn("dora", password);
        String id = pay(10_000_00, "cus_console_2");
        awaitInQueue(dora, id);

        HttpResponse<String> casePage = dora.get("/console/payments/" + id);
        HttpResponse<String> tried =
                dora.post(
                        "/console/payments/" + id + "/reject",
                        Map.of("csrf", dora.csrf(casePage.body()), "note", "looks odd"));

        assertThat(casePage.body()).contains("AMOUNT_VERY_LARGE").doesNotContain("Reject</button>");
        assertThat(tried.body()).contains("A data-scientist cannot decide a review.");
        assertThat(json.readTree(merchantGet("/v1/payments/" + id).body()).get("status").asText())
                .isEqualTo("review");
    }

    @Test
    void shouldRefuseACardNumberInADecisionsNoteWithTheFormsErrorAndDecideNothing()
            throws Exception {
        Browser nora = new Browser();
        nora.signIn("nora", createPerson("nora", "analyst"));
        String id = pay(10_000_00, "cus_console_note");
        awaitInQueue(nora, id);

        HttpResponse<String> refused =
                nora.post(
                        "/console/payments/" + id + "/approve",
                        Map.of(
                                "csrf",
                                nora.csrf(nora.get("/console/payments/" + id).body()),
                                "note",
                                "holder read out 4111 1111 1111 1111"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("The note must not contain a card number")
                .contains("nothing was decided")
                .doesNotContain("4111 1111 1111 1111");
        assertThat(json.readTree(merchantGet("/v1/payments/" + id).body()).get("status").asText())
                .isEqualTo("review");
    }

    @Test
    void shouldRefuseACardNumberInAListNoteWithTheFormsError() throws Exception {
        Browser lars = new Browser();
        lars.signIn("lars", createPerson("lars", "analyst"));

        HttpResponse<String> refused =
                lars.post(
                        "/console/lists",
                        Map.of(
                                "csrf", lars.csrf(lars.get("/console/lists").body()),
                                "op", "add",
                                "list", "blocked_ips",
                                "value", "203.0.113.99",
                                "note", "paid with 5555-5555-5555-4444"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("The note must not contain a card number")
                .doesNotContain("5555-5555-5555-4444");
        assertThat(lars.get("/console/lists").body()).doesNotContain("203.0.113.99");
    }

    @Test
    void shouldShowListNotesEscapedAndRecordTheAuthor() throws Exception {
        String password = createPerson("lena", "analyst");
        Browser lena = new Browser();
        lena.signIn("lena", password);
        String csrf = lena.csrf(lena.get("/console/lists").body());

        HttpResponse<String> added =
                lena.post(
                        "/console/lists",
                        Map.of(
                                "csrf", csrf,
                                "op", "add",
                                "list", "blocked_ips",
                                "value", "203.0.113.66",
                                "note", "<script>alert(1)</script> chargebacks"));
        HttpResponse<String> page = lena.get("/console/lists");

        assertThat(added.statusCode()).as(added.body()).isEqualTo(303);
        assertThat(page.body())
                .contains("203.0.113.66")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; chargebacks")
                .doesNotContain("<script>")
                .contains("lena");
    }

    @Test
    void shouldShowTheListsHistoryOfChangesNewestFirst() throws Exception {
        String password = createPerson("liv", "analyst");
        Browser liv = new Browser();
        liv.signIn("liv", password);
        String csrf = liv.csrf(liv.get("/console/lists").body());

        liv.post(
                "/console/lists",
                Map.of(
                        "csrf", csrf,
                        "op", "add",
                        "list", "blocked_emails",
                        "value", "em_history_check",
                        "note", "mule account",
                        "expires_in_days", "30"));
        liv.post(
                "/console/lists",
                Map.of(
                        "csrf",
                        csrf,
                        "op",
                        "remove",
                        "list",
                        "blocked_emails",
                        "value",
                        "em_history_check"));
        String page =
                awaitPage(
                        liv,
                        "/console/lists",
                        p -> p.contains("<td>removed</td><td>blocked_emails:em_history_check"));

        String changes = page.substring(page.indexOf("<h2>Changes</h2>"));
        assertThat(changes)
                .as("the entry is gone from the lists, its history stays")
                .contains("person:liv")
                .contains("<td>added</td><td>blocked_emails:em_history_check</td>")
                .contains("mule account");
        assertThat(changes.indexOf("<td>removed</td><td>blocked_emails:em_history_check"))
                .as("newest first")
                .isLessThan(changes.indexOf("<td>added</td><td>blocked_emails:em_history_check"));
        assertThat(page.substring(0, page.indexOf("<h2>Changes</h2>")))
                .doesNotContain("em_history_check");
    }

    @Test
    void shouldEndTheSessionOnSignOut() throws Exception {
        String password = createPerson("sam", "admin");
        Browser sam = new Browser();
        sam.signIn("sam", password);
        String csrf = sam.csrf(sam.get("/console").body());
        Browser stolen = new Browser();
        stolen.cookies.putAll(sam.cookies);

        HttpResponse<String> out = sam.post("/console/logout", Map.of("csrf", csrf));
        HttpResponse<String> replayed = stolen.get("/console");

        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie"))
                .hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
        assertThat(replayed.statusCode())
                .as("the old cookie is worth nothing once signed out")
                .isEqualTo(303);
        assertThat(replayed.headers().firstValue("Location")).hasValue("/console/login");
    }

    @Test
    void shouldShowTheReleasesWithTheirDiffAndPutAnEarlierOneLiveAgain() throws Exception {
        RulesetSource packaged = RulesetSource.packaged();
        Map<String, byte[]> edited = new LinkedHashMap<>();
        packaged.files().forEach(f -> edited.put(f.name(), f.content()));
        String first = packaged.files().get(0).name();
        edited.put(
                first,
                (new String(edited.get(first), StandardCharsets.UTF_8)
                                + "\n// reviewed <for> the console test\n")
                        .getBytes(StandardCharsets.UTF_8));
        RulesetSource second = RulesetSource.of(edited);
        edited.put(first, "rule nobody signed\n".getBytes(StandardCharsets.UTF_8));
        RulesetSource unsigned = RulesetSource.of(edited);
        Topics topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3);
        try (RulesetReleases releases =
                new RulesetReleases(
                        platform.kafkaConnection(),
                        topics,
                        ReleaseKeysOf.signer(dataDir),
                        ReleaseKeysOf.trusted(dataDir))) {
            releases.deploy(second, 0, "ana", "a comment for the console test");
        }
        // and a release that reached the topic around the command line, unsigned
        Map<String, java.nio.ByteBuffer> unsignedFiles = new LinkedHashMap<>();
        unsigned.files()
                .forEach(f -> unsignedFiles.put(f.name(), java.nio.ByteBuffer.wrap(f.content())));
        try (var producer = TopicIo.producer(platform.kafkaConnection(), topics.rulesets())) {
            producer.send(
                            new org.apache.kafka.clients.producer.ProducerRecord<>(
                                    topics.rulesets().name(),
                                    unsigned.version(),
                                    RulesetRelease.newBuilder()
                                            .setVersion(unsigned.version())
                                            .setFiles(unsignedFiles)
                                            .setKind(ReleaseKind.DEPLOY)
                                            .setAuthor("someone")
                                            .setMessage("around the command line")
                                            .setReleasedAt(java.time.Instant.now())
                                            .build()))
                    .get();
        }
        String password = createPerson("rosa", "analyst");
        Browser rosa = new Browser();
        rosa.signIn("rosa", password);

        String list = rosa.get("/console/rules").body();
        String diff =
                rosa.get("/console/rules/" + second.version() + "?against=" + packaged.version())
                        .body();
        HttpResponse<String> rolledBack =
                rosa.post(
                        "/console/rules/" + packaged.version() + "/rollback",
                        Map.of("csrf", rosa.csrf(list)));
        String after = rosa.get("/console/rules").body();

        assertThat(list)
                .contains(second.version() + "</a> <strong>live</strong>")
                .contains(unsigned.version() + "</a> <strong>refused</strong>: it is not signed")
                .contains(packaged.version())
                .contains("a comment for the console test");
        assertThat(diff)
                .contains("<span class=\"add\">+ // reviewed &lt;for&gt; the console test</span>");
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(303);
        assertThat(after)
                .contains(packaged.version() + "</a> <strong>live</strong>")
                .contains("rollback to " + packaged.version())
                .contains("rosa");
    }

    @Test
    void shouldLetASecondPersonApproveInTheConsoleWhatAnotherProposedWithFourEyes()
            throws Exception {
        // given: a ruleset an analyst proposed (rules deploy --require-approval does this)
        RulesetSource packaged = RulesetSource.packaged();
        Map<String, byte[]> edited = new LinkedHashMap<>();
        packaged.files().forEach(f -> edited.put(f.name(), f.content()));
        String first = packaged.files().get(0).name();
        edited.put(
                first,
                (new String(edited.get(first), StandardCharsets.UTF_8) + "\n// two people\n")
                        .getBytes(StandardCharsets.UTF_8));
        RulesetSource proposed = RulesetSource.of(edited);
        var address = platform.databaseAddress();
        try (org.fraudplatform.database.Database db =
                org.fraudplatform.database.Database.connect(
                        address.jdbcUrl(), address.user(), address.password(), 2)) {
            new org.fraudplatform.risk.releases.RulesetProposals(
                            db.dataSource(), java.time.Clock.systemUTC())
                    .propose(
                            RulesetReleases.proposal(
                                    proposed, 0, "person:tess", "a comment, two people"),
                            "person:tess");
        }
        // and a model in the registry
        Topics topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3);
        ModelRelease model;
        try (ModelRegistry registry =
                new ModelRegistry(
                        platform.kafkaConnection(),
                        topics,
                        org.fraudplatform.features.FeatureCatalogue.standard(),
                        ReleaseKeysOf.signer(dataDir),
                        ReleaseKeysOf.trusted(dataDir))) {
            model =
                    registry.register(
                            TinyModels.amountModel(
                                    "console-four-eyes",
                                    0.0002,
                                    org.fraudplatform.features.FeatureCatalogue.standard().hash()),
                            "person:model-setup",
                            "for two people");
        }
        Browser tess = new Browser();
        tess.signIn("tess", createPerson("tess", "analyst"));
        Browser uma = new Browser();
        uma.signIn("uma", createPerson("uma", "analyst"));
        Browser vic = new Browser();
        vic.signIn("vic", createPerson("vic", "data-scientist"));
        Browser wes = new Browser();
        wes.signIn("wes", createPerson("wes", "data-scientist"));

        // when: the proposer tries, then another analyst approves the ruleset
        String tessRules = tess.get("/console/rules").body();
        HttpResponse<String> byTheProposer =
                tess.post(
                        "/console/rules/" + proposed.version() + "/approve",
                        Map.of("csrf", tess.csrf(tessRules)));
        String umaRules = uma.get("/console/rules").body();
        String umaReads = uma.get("/console/rules/" + proposed.version()).body();
        String tessReads = tess.get("/console/rules/" + proposed.version()).body();
        HttpResponse<String> approvedRules =
                uma.post(
                        "/console/rules/" + proposed.version() + "/approve",
                        Map.of("csrf", uma.csrf(umaRules)));
        String liveAfter = platform.liveRulesetVersion();
        for (int i = 0; i < 300 && !proposed.version().equals(liveAfter); i++) {
            Thread.sleep(100);
            liveAfter = platform.liveRulesetVersion();
        }
        // and a data scientist proposes a promotion another approves
        String vicModels = vic.get("/console/models").body();
        HttpResponse<String> proposedPromotion =
                vic.post(
                        "/console/models/" + model.getVersion() + "/propose",
                        Map.of("csrf", vic.csrf(vicModels)));
        String vicAfter = vic.get("/console/models").body();
        HttpResponse<String> byTheModelProposer =
                vic.post(
                        "/console/models/" + model.getVersion() + "/approve",
                        Map.of("csrf", vic.csrf(vicAfter)));
        String wesModels = wes.get("/console/models").body();
        HttpResponse<String> approvedPromotion =
                wes.post(
                        "/console/models/" + model.getVersion() + "/approve",
                        Map.of("csrf", wes.csrf(wesModels)));
        String championAfter = platform.liveModelVersion();
        for (int i = 0; i < 300 && !model.getVersion().equals(championAfter); i++) {
            Thread.sleep(100);
            championAfter = platform.liveModelVersion();
        }
        // (what the other tests find: the packaged ruleset live, no champion)
        uma.post(
                "/console/rules/" + packaged.version() + "/rollback",
                Map.of("csrf", uma.csrf(uma.get("/console/rules").body())));
        wes.post(
                "/console/models/rollback",
                Map.of("csrf", wes.csrf(wes.get("/console/models").body())));

        // then
        assertThat(tessRules)
                .contains("Waiting for a second person")
                .contains(proposed.version())
                .contains("yours: another person approves it");
        assertThat(byTheProposer.body()).contains("four eyes: person:tess proposed ruleset");
        assertThat(umaRules)
                .contains("action=\"/console/rules/" + proposed.version() + "/approve\"");
        assertThat(umaReads)
                .as("the reviewer reads the proposal's diff against the live release")
                .contains("Proposed with four eyes: not live")
                .contains("<span class=\"add\">+ // two people</span>")
                .contains(">Approve and put live</button>");
        assertThat(tessReads).contains("Yours: another person approves it.");
        assertThat(approvedRules.statusCode()).as(approvedRules.body()).isEqualTo(303);
        assertThat(liveAfter).isEqualTo(proposed.version());
        assertThat(proposedPromotion.statusCode()).as(proposedPromotion.body()).isEqualTo(303);
        assertThat(vicAfter)
                .contains("Promotions waiting for a second person")
                .contains("yours: another person approves it");
        assertThat(byTheModelProposer.statusCode()).isEqualTo(400);
        assertThat(byTheModelProposer.body())
                .contains("four eyes: person:vic proposed the promotion of model");
        assertThat(wesModels)
                .contains("action=\"/console/models/" + model.getVersion() + "/approve\"");
        assertThat(approvedPromotion.statusCode()).as(approvedPromotion.body()).isEqualTo(303);
        assertThat(championAfter).isEqualTo(model.getVersion());
        List<AuditEvent> audit =
                TopicReader.read(
                        platform.bootstrapServers(),
                        topics.audit(),
                        a ->
                                a.getSubject().endsWith(proposed.version())
                                        || a.getSubject().equals(model.getVersion()),
                        4,
                        Duration.ofSeconds(20));
        assertThat(audit)
                .extracting(AuditEvent::getActor, AuditEvent::getAction)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("person:uma", "ruleset.deploy"),
                        org.assertj.core.groups.Tuple.tuple("person:vic", "model.propose"),
                        org.assertj.core.groups.Tuple.tuple("person:wes", "model.promote"));
    }

    @Test
    void shouldShowACasesFeaturesAndThePaymentsLinkedByEmailIpAndDeviceWithTheirLabels()
            throws Exception {
        Browser lea = new Browser();
        lea.signIn("lea", createPerson("lea", "analyst"));
        // another card, the same e-mail, IP and device: rejected by an analyst, a fraud label
        String earlier =
                pay(
                        10_000_00,
                        "4242424242424242",
                        "cus_link_1",
                        "linked",
                        "198.51.100.77",
                        "dev-9");
        awaitInQueue(lea, earlier);
        HttpResponse<String> rejected =
                lea.post(
                        "/console/payments/" + earlier + "/reject",
                        Map.of(
                                "csrf",
                                lea.csrf(lea.get("/console/payments/" + earlier).body()),
                                "note",
                                "stolen card"));
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(303);
        // the next payment sharing them: whatever the rules make of the fraud next to it
        String id =
                payAnyOutcome(10_000_00, CARD, "cus_link_2", "linked", "198.51.100.77", "dev-9")
                        .get("id")
                        .asText();

        String casePage = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline
                && !(casePage.contains("fraud (review)")
                        && casePage.contains("Features at decision time"))) {
            casePage = lea.get("/console/payments/" + id).body();
            Thread.sleep(100);
        }

        assertThat(casePage)
                .contains("Features at decision time")
                .contains("<code>card_count_10m</code>")
                .contains("number of payments per the instrument token")
                .contains("Champion")
                .contains("Shadow rules")
                .contains(earlier + "</a></td><td>e-mail, IP, device</td>")
                .contains("fraud (review)");
    }

    @Test
    void shouldShowTheLastHoursDecisionsReasonsQueueAndDeadLettersOnTheOverview() throws Exception {
        Browser olga = new Browser();
        olga.signIn("olga", createPerson("olga", "data-scientist"));
        String id = pay(10_000_00, "cus_overview");
        awaitInQueue(olga, id);

        String overview = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && !overview.contains("AMOUNT_VERY_LARGE")) {
            overview = olga.get("/console/overview").body();
            Thread.sleep(100);
        }

        assertThat(overview)
                .contains("<h1>Overview, last hour</h1>")
                .contains("<svg class=\"chart\" role=\"img\"")
                .containsPattern("[0-9]+ review, [0-9]+ min ago</title>")
                .contains("<a href=\"/console?reason=AMOUNT_VERY_LARGE\">AMOUNT_VERY_LARGE</a>")
                .contains("Review queue")
                .contains("<code>payments.dlq</code>")
                .doesNotContain("<script");
    }

    @Test
    void shouldLetADataScientistPromoteShadowAndRollBackModelsButNotAnAnalyst() throws Exception {
        // given: two candidates in the registry (constant scores, deciding nothing here)
        Topics topics = Topics.create(SchemaRegistries.connect(platform.schemaRegistryUrl()), 3);
        String catalogue = org.fraudplatform.features.FeatureCatalogue.standard().hash();
        ModelRelease first;
        ModelRelease second;
        try (ModelRegistry registry =
                new ModelRegistry(
                        platform.kafkaConnection(),
                        topics,
                        org.fraudplatform.features.FeatureCatalogue.standard(),
                        ReleaseKeysOf.signer(dataDir),
                        ReleaseKeysOf.trusted(dataDir))) {
            first =
                    registry.register(
                            TinyModels.amountModel("console-flat-a", 0.0, catalogue),
                            "person:model-setup",
                            "first");
            second =
                    registry.register(
                            TinyModels.amountModel("console-flat-b", 0.0001, catalogue),
                            "person:model-setup",
                            "second");
        }
        Browser dina = new Browser();
        dina.signIn("dina", createPerson("dina", "data-scientist"));
        Browser ari = new Browser();
        ari.signIn("ari", createPerson("ari", "analyst"));

        // when
        String listed = dina.get("/console/models").body();
        String ariPage = ari.get("/console/models").body();
        HttpResponse<String> refused =
                ari.post(
                        "/console/models/" + first.getVersion() + "/promote",
                        Map.of("csrf", ari.csrf(ariPage)));
        HttpResponse<String> alone;
        var address = platform.databaseAddress();
        try (org.fraudplatform.database.Database db =
                org.fraudplatform.database.Database.connect(
                        address.jdbcUrl(), address.user(), address.password(), 2)) {
            var fourEyes =
                    new org.fraudplatform.api.people.FourEyes(
                            db.dataSource(), java.time.Clock.systemUTC());
            fourEyes.require(
                    org.fraudplatform.api.people.Permission.MODELS, true, "person:policy-test");
            try {
                alone =
                        dina.post(
                                "/console/models/" + first.getVersion() + "/promote",
                                Map.of("csrf", dina.csrf(listed)));
            } finally {
                fourEyes.require(
                        org.fraudplatform.api.people.Permission.MODELS,
                        false,
                        "person:policy-test");
            }
        }
        HttpResponse<String> promoted =
                dina.post(
                        "/console/models/" + first.getVersion() + "/promote",
                        Map.of("csrf", dina.csrf(listed)));
        HttpResponse<String> shadowed =
                dina.post(
                        "/console/models/" + second.getVersion() + "/shadow",
                        Map.of("csrf", dina.csrf(listed)));
        String after = dina.get("/console/models").body();
        HttpResponse<String> rolledBack =
                dina.post("/console/models/rollback", Map.of("csrf", dina.csrf(listed)));
        String end = dina.get("/console/models").body();

        // then
        assertThat(listed)
                .contains("<code>" + first.getVersion() + "</code>")
                .contains("console-flat-b")
                .contains("<td class=\"num\">0.500</td>")
                .contains(">Promote to champion</button>");
        assertThat(ariPage).doesNotContain("</button></form> </td>").contains("reads the registry");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("An analyst cannot change the model registry");
        assertThat(alone.statusCode()).as("four eyes required: refused").isEqualTo(409);
        assertThat(alone.body()).contains("four eyes are required for model promotions");
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(303);
        assertThat(shadowed.statusCode()).as(shadowed.body()).isEqualTo(303);
        assertThat(after)
                .contains(
                        "<code>"
                                + first.getVersion()
                                + "</code></td><td>console-flat-a <span class=\"role\">logistic_regression")
                .containsPattern(
                        first.getVersion()
                                + "</code>.*?<td class=\"stage-champion\"><strong>champion")
                .containsPattern(second.getVersion() + "</code>.*?<td class=\"stage-shadow\">")
                .contains("<h2>Champion against shadow, on the labels so far</h2>")
                .contains("person:dina");
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(303);
        assertThat(end).doesNotContain("<strong>champion</strong>");
        List<AuditEvent> audit =
                TopicReader.read(
                        platform.bootstrapServers(),
                        topics.audit(),
                        a ->
                                a.getAction().startsWith("model.")
                                        && a.getActor().equals("person:dina"),
                        3,
                        Duration.ofSeconds(20));
        assertThat(audit)
                .extracting(AuditEvent::getAction)
                .contains("model.promote", "model.shadow");
    }

    @Test
    void shouldListADaysExceptionsFirstAndLetAnAnalystResolveOneWithANote() throws Exception {
        // given: a captured payment the provider's report settles for one cent more
        String item = SettlementExceptions.amountMismatch(platform, merchantKey, dataDir);
        java.time.LocalDate day = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        Browser rita = new Browser();
        rita.signIn("rita", createPerson("rita", "analyst"));
        Browser dan = new Browser();
        dan.signIn("dan", createPerson("dan", "data-scientist"));
        String url = "/console/reconciliation?date=" + day;

        // when
        String page =
                awaitPage(
                        rita,
                        url,
                        p -> p.contains(item + "</code>") && p.contains("amount mismatch"));
        HttpResponse<String> refused = dan.get(url);
        HttpResponse<String> withCard =
                rita.post(
                        "/console/reconciliation/resolve",
                        Map.of(
                                "csrf",
                                rita.csrf(page),
                                "item_id",
                                item,
                                "date",
                                day.toString(),
                                "note",
                                "card 4111 1111 1111 1111"));
        HttpResponse<String> resolved =
                rita.post(
                        "/console/reconciliation/resolve",
                        Map.of(
                                "csrf",
                                rita.csrf(page),
                                "item_id",
                                item,
                                "date",
                                day.toString(),
                                "note",
                                "the <provider> rounded: confirmed by phone"));
        String after = awaitPage(rita, url, p -> p.contains("confirmed by phone"));

        // then
        assertThat(page)
                .contains("<td class=\"reject\">exception</td><td>amount mismatch</td>")
                .contains("<label for=\"note-1\">Note</label>")
                .contains("19.99 EUR")
                .contains("20.00 EUR");
        int firstSettled = page.indexOf("\">matched</td>");
        assertThat(page.indexOf(item + "</code>"))
                .as("exceptions first")
                .isLessThan(firstSettled < 0 ? Integer.MAX_VALUE : firstSettled);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("does not reconcile");
        assertThat(withCard.statusCode()).isEqualTo(400);
        assertThat(withCard.body())
                .contains("must not contain a card number")
                .doesNotContain("4111 1111 1111 1111");
        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(303);
        assertThat(after)
                .contains("the &lt;provider&gt; rounded: confirmed by phone")
                .contains("person:rita")
                .contains(">resolved</td><td>amount mismatch</td>");
    }

    /** Reads a page until it shows what the test waits for (projections trail the topics). */
    static String awaitPage(Browser who, String path, java.util.function.Predicate<String> ready)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String page = "";
        while (System.nanoTime() < deadline) {
            page = who.get(path).body();
            if (ready.test(page)) {
                return page;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the page never got ready: " + page);
    }

    /** The first administrator's token, as the platform wrote it on first start. */
    static String adminToken() {
        try {
            return Files.readString(dataDir.resolve(PaymentApi.ADMIN_TOKEN_FILE)).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs {@code fraud users create NAME --role ROLE}; returns the one-time password. */
    static String createPerson(String name, String role) {
        var out = new java.io.StringWriter();
        picocli.CommandLine cli = FraudCommand.commandLine(Map.of());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(out, true));
        var db = platform.databaseAddress();
        int exit =
                cli.execute(
                        "users",
                        "create",
                        name,
                        "--role",
                        role,
                        "--database-url",
                        db.jdbcUrl(),
                        "--database-user",
                        db.user(),
                        "--database-password",
                        db.password(),
                        "--bootstrap-servers",
                        platform.bootstrapServers(),
                        "--schema-registry-url",
                        platform.schemaRegistryUrl(),
                        "--token",
                        adminToken());
        assertThat(exit).as(out.toString()).isZero();
        Matcher m = Pattern.compile("One-time password: (\\S+)").matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        return m.group(1);
    }

    static String pay(long amount, String customer) throws Exception {
        return pay(amount, CARD, customer, customer, "198.51.100.7", null);
    }

    /** A payment the packaged rules send to review; returns its id. */
    static String pay(
            long amount, String card, String customer, String email, String ip, String device)
            throws Exception {
        JsonNode payment = payAnyOutcome(amount, card, customer, email, ip, device);
        assertThat(payment.get("status").asText()).isEqualTo("review");
        return payment.get("id").asText();
    }

    /** A payment, whatever its outcome. */
    static JsonNode payAnyOutcome(
            long amount, String card, String customer, String email, String ip, String device)
            throws Exception {
        String body =
                """
                {"amount": %d, "currency": "EUR",
                 "payment_method": {"type": "card",
                   "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                 "customer": {"id": "%s", "email": "%s@example.com", "ip": "%s",%s "country": "DE"},
                 "capture_method": "manual", "reference": "order-%s"}
                """
                        .formatted(
                                amount,
                                card,
                                customer,
                                email,
                                ip,
                                device == null ? "" : " \"device_id\": \"" + device + "\",",
                                ApiCalls.reference());
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(base.resolve("/v1/payments"))
                                .header("Authorization", "Bearer " + merchantKey)
                                .header("Idempotency-Key", UUID.randomUUID().toString())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json.readTree(r.body());
    }

    static HttpResponse<String> merchantGet(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + merchantKey)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the payment is in the console's review queue (the history is a projection). */
    static String awaitInQueue(Browser who, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String page = who.get("/console").body();
            if (page.contains(id)) {
                return page;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("payment " + id + " never reached the review queue");
    }

    /** One browser: keeps the session cookie, sends forms. */
    static final class Browser {
        private final Map<String, String> cookies = new LinkedHashMap<>();

        HttpResponse<String> signIn(String name, String password) throws Exception {
            return post("/console/login", Map.of("name", name, "password", password));
        }

        HttpResponse<String> get(String path) throws Exception {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET());
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
            String body =
                    form.entrySet().stream()
                            .map(
                                    e ->
                                            URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                                                    + "="
                                                    + URLEncoder.encode(
                                                            e.getValue(), StandardCharsets.UTF_8))
                            .collect(Collectors.joining("&"));
            return send(
                    HttpRequest.newBuilder(base.resolve(path))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        /** The CSRF token of a page's forms. */
        String csrf(String page) {
            Matcher m = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"").matcher(page);
            assertThat(m.find()).as("a form with a CSRF token").isTrue();
            return m.group(1);
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            if (!cookies.isEmpty()) {
                List<String> pairs = new ArrayList<>();
                cookies.forEach((k, v) -> pairs.add(k + "=" + v));
                request.header("Cookie", String.join("; ", pairs));
            }
            HttpResponse<String> r =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : r.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String value = pair.substring(eq + 1);
                if (value.isEmpty()) {
                    cookies.remove(pair.substring(0, eq));
                } else {
                    cookies.put(pair.substring(0, eq), value);
                }
            }
            return r;
        }
    }
}
