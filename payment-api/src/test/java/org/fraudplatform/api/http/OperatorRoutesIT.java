package org.fraudplatform.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudplatform.api.audit.AuditTrail;
import org.fraudplatform.api.audit.AuditWriter;
import org.fraudplatform.api.keys.ApiKeys;
import org.fraudplatform.api.keys.Scope;
import org.fraudplatform.api.merchants.MerchantAdmin;
import org.fraudplatform.api.merchants.MerchantStore;
import org.fraudplatform.api.people.People;
import org.fraudplatform.api.people.Person;
import org.fraudplatform.api.people.Role;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.schemas.AuditEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator routes (lists, provider notices, reconciliation, the audit trail) on a real HTTP
 * server and a real PostgreSQL: people authenticate with their tokens, their roles decide, merchant
 * keys are refused, and every failed authentication reaches the audit trail with where it came
 * from. The lists, lifecycle and reconciliation behind the routes are stubs that answer with who
 * called them; the people and the audit trail are the real ones.
 */
class OperatorRoutesIT {

    static Database db;
    static People people;
    static String analyst;
    static String scientist;
    static String admin;
    static String merchantKey;

    static final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final List<String> listAuthors = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<String> audited = new CopyOnWriteArrayList<>();
    ApiServer server;
    URI base;

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
        people = new People(db.dataSource(), Clock.systemUTC());
        for (var p : List.of("ana:analyst", "dora:data-scientist", "root:admin")) {
            String[] nr = p.split(":");
            people.create(nr[0], Role.of(nr[1]).orElseThrow(), "test");
        }
        analyst = people.issueToken("ana", Duration.ofDays(1), "test").token();
        scientist = people.issueToken("dora", Duration.ofDays(1), "test").token();
        admin = people.issueToken("root", Duration.ofDays(1), "test").token();
        new MerchantStore(db.dataSource()).createMerchant("shop", "Shop");
        merchantKey =
                new ApiKeys(db.dataSource())
                        .issue(
                                "shop",
                                new ApiKeys.NewKey(EnumSet.allOf(Scope.class), null, null, null),
                                "test")
                        .secret();
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @BeforeEach
    void start() throws Exception {
        AuditTrail trail = new AuditTrail(db.dataSource());
        ApiKeys keys = new ApiKeys(db.dataSource());
        MerchantAdmin merchants =
                new MerchantAdmin(
                        db.dataSource(),
                        keys,
                        (actor, action, subject, details) ->
                                audited.add(actor + " " + action + " " + subject),
                        "test");
        ApiServer.Staff staff =
                new ApiServer.Staff() {
                    @Override
                    public Optional<Person> personFor(String token) {
                        return people.personForToken(token);
                    }

                    @Override
                    public AuditTrail.Page audit(AuditTrail.Query query) {
                        return trail.read(query);
                    }

                    @Override
                    public void authenticationFailed(
                            String from, String reason, String credential) {
                        failures.add(from + " " + reason + " " + credential);
                    }

                    @Override
                    public MerchantAdmin merchants() {
                        return merchants;
                    }

                    @Override
                    public People people() {
                        return people;
                    }

                    @Override
                    public void record(
                            String actor,
                            String action,
                            String subject,
                            Map<String, String> details) {
                        audited.add(actor + " " + action + " " + subject);
                    }
                };
        server =
                ApiServer.start(
                        new InetSocketAddress("127.0.0.1", 0),
                        null,
                        2,
                        new ApiServerSecurityIT.StubPayments(),
                        keys::check,
                        Map::of,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        new RecordingLists(listAuthors),
                        staff,
                        64,
                        Duration.ZERO);
        server.lifecycle(new ApiServerSecurityIT.StubLifecycle());
        server.reconciliation(new ApiServerSecurityIT.StubReconciliation());
        base = URI.create("http://127.0.0.1:" + server.address().getPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldLetAnAnalystChangeTheListsUnderTheirOwnName() throws Exception {
        HttpResponse<String> added =
                send("POST", "/v1/lists/block_card", analyst, "{\"value\":\"c1\",\"note\":\"x\"}");
        HttpResponse<String> read = send("GET", "/v1/lists", analyst, null);

        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(listAuthors).containsExactly("person:ana");
        assertThat(failures).isEmpty();
    }

    @Test
    void shouldRefuseACardNumberInAListEntrysValueOrNoteNamingTheField() throws Exception {
        HttpResponse<String> inNote =
                send(
                        "POST",
                        "/v1/lists/blocked_ips",
                        analyst,
                        "{\"value\":\"198.51.100.7\",\"note\":\"used 4111 1111 1111 1111\"}");
        HttpResponse<String> inValue =
                send(
                        "POST",
                        "/v1/lists/blocked_cards",
                        analyst,
                        "{\"value\":\"4111.1111.1111.1111\",\"note\":\"stolen\"}");

        assertThat(inNote.statusCode()).isEqualTo(400);
        assertThat(json(inNote).at("/errors/0/field").asText()).isEqualTo("note");
        assertThat(inNote.body()).doesNotContain("4111");
        assertThat(inValue.statusCode()).isEqualTo(400);
        assertThat(json(inValue).at("/errors/0/field").asText()).isEqualTo("value");
        assertThat(listAuthors).as("nothing reached the lists").isEmpty();
    }

    @Test
    void shouldRefuseTheListsToADataScientistWith403NamingWhatTheRoleMayNotDo() throws Exception {
        HttpResponse<String> r =
                send(
                        "POST",
                        "/v1/lists/block_card",
                        scientist,
                        "{\"value\":\"c1\",\"note\":\"x\"}");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("detail").asText())
                .isEqualTo("dora (data-scientist) may not change the lists");
        assertThat(listAuthors).isEmpty();
        assertThat(failures).containsExactly("127.0.0.1 role person:dora");
    }

    @Test
    void shouldRefuseAMerchantKeyAndNoCredentialOnEveryOperatorRouteWith401() throws Exception {
        for (String[] route :
                List.of(
                        new String[] {"GET", "/v1/lists"},
                        new String[] {"POST", "/v1/provider-notifications"},
                        new String[] {"POST", "/v1/reconciliation/resolutions"},
                        new String[] {"GET", "/v1/audit"})) {
            for (String credential : new String[] {merchantKey, null}) {
                HttpResponse<String> r = send(route[0], route[1], credential, "{}");
                assertThat(r.statusCode()).as(route[1]).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
                assertThat(json(r).path("detail").asText()).as(route[1]).contains("person's token");
            }
        }
        assertThat(listAuthors).isEmpty();
    }

    @Test
    void shouldLetOnlyAnAdministratorRelayAProviderNotice() throws Exception {
        HttpResponse<String> byAnalyst = send("POST", "/v1/provider-notifications", analyst, "{}");
        HttpResponse<String> byAdmin = send("POST", "/v1/provider-notifications", admin, "{}");

        assertThat(byAnalyst.statusCode()).isEqualTo(403);
        assertThat(byAdmin.statusCode()).isEqualTo(200);
        assertThat(json(byAdmin).path("merchant").asText())
                .as("the lifecycle is told who relayed it")
                .isEqualTo("person:root");
    }

    @Test
    void shouldShowEveryMerchantsReconciliationToAnAnalystAndAMerchantOnlyItsOwn()
            throws Exception {
        HttpResponse<String> byAnalyst = send("GET", "/v1/reconciliation", analyst, null);
        HttpResponse<String> byScientist = send("GET", "/v1/reconciliation", scientist, null);
        HttpResponse<String> byMerchant = send("GET", "/v1/reconciliation", merchantKey, null);
        HttpResponse<String> resolved =
                send("POST", "/v1/reconciliation/resolutions", analyst, "{}");

        assertThat(byAnalyst.statusCode()).isEqualTo(200);
        assertThat(json(byAnalyst).path("merchant").asText())
                .as("every merchant's items: the stub is asked for none in particular")
                .isEqualTo("null");
        assertThat(byScientist.statusCode()).isEqualTo(403);
        assertThat(json(byMerchant).path("merchant").asText()).isEqualTo("shop");
        assertThat(json(resolved).path("merchant").asText()).isEqualTo("person:ana");
    }

    @Test
    void shouldRefuseARevokedTokenOnItsNextRequest() throws Exception {
        People.IssuedToken token = people.issueToken("ana", Duration.ofDays(1), "test");
        assertThat(send("GET", "/v1/lists", token.token(), null).statusCode()).isEqualTo(200);

        people.revokeToken(token.tokenId(), "test");

        assertThat(send("GET", "/v1/lists", token.token(), null).statusCode()).isEqualTo(401);
        assertThat(failures).containsExactly("127.0.0.1 unknown ");
    }

    @Test
    void shouldServeALivePersonsTokenFromAnAddressSlowedDownForFailedAuthentications()
            throws Exception {
        for (int i = 0; i <= FailedAuthentications.DEFAULT_PER_MINUTE; i++) {
            send("GET", "/v1/lists", "fpt_guess" + i, null);
        }

        assertThat(send("GET", "/v1/lists", "fpt_one-more", null).statusCode()).isEqualTo(429);
        assertThat(send("GET", "/v1/lists", analyst, null).statusCode())
                .as("a live token is not locked out by others behind the same address")
                .isEqualTo(200);
        assertThat(failures)
                .as("refusals while slowed down are not audited again")
                .hasSize(FailedAuthentications.DEFAULT_PER_MINUTE + 1);
    }

    @Test
    void shouldAnswerEveryRequestWithARequestIdKeepingAClientsPlainOne() throws Exception {
        HttpResponse<String> refused = send("GET", "/v1/lists", null, null);
        HttpResponse<String> missing = send("GET", "/v1/nowhere", analyst, null);
        HttpRequest.Builder own =
                HttpRequest.newBuilder(base.resolve("/v1/lists"))
                        .header("Authorization", "Bearer " + analyst)
                        .header("Request-Id", "checkout-42");
        HttpResponse<String> kept = http.send(own.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.headers().firstValue("Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).matches("req_[0-9a-f]{16}"));
        assertThat(missing.headers().firstValue("Request-Id")).isPresent();
        assertThat(kept.headers().firstValue("Request-Id")).contains("checkout-42");
    }

    @Test
    void shouldRecordEveryFailedAuthenticationWithItsSourceAndTheCredentialsId() throws Exception {
        ApiKeys.Issued expiring =
                new ApiKeys(db.dataSource())
                        .issue(
                                "shop",
                                new ApiKeys.NewKey(
                                        EnumSet.of(Scope.PAYMENTS_READ),
                                        null,
                                        Duration.ofMillis(1),
                                        null),
                                "test");
        Thread.sleep(20);

        send("GET", "/v1/payments/pay_1", "sk_test_not_a_key", null);
        send("GET", "/v1/payments/pay_1", null, null);
        send("GET", "/v1/payments/pay_1", expiring.secret(), null);
        send("POST", "/v1/payments", expiring.secret(), "{}");

        assertThat(failures)
                .containsExactly(
                        "127.0.0.1 unknown ",
                        "127.0.0.1 missing ",
                        "127.0.0.1 expired " + expiring.key().keyId(),
                        "127.0.0.1 expired " + expiring.key().keyId());
    }

    @Test
    void shouldServeTheAuditTrailToAnAdministratorNewestFirstFilteredAndInPages() throws Exception {
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        List<ConsumerRecord<String, AuditEvent>> batch =
                List.of(
                        record(0, "e1", t0, "person:root", "key.create", "key:k1"),
                        record(1, "e2", t0.plusSeconds(1), "person:ana", "list.add", "c1"),
                        record(2, "e3", t0.plusSeconds(2), "person:root", "key.revoke", "key:k1"),
                        record(3, "e4", t0.plusSeconds(3), "person:root", "key.rotate", "key:k2"));
        AuditWriter writer = new AuditWriter(db.dataSource());
        writer.apply(batch);
        writer.apply(batch); // read again after a restart: applied once

        JsonNode first = json(send("GET", "/v1/audit?action=key.&limit=2", admin, null));
        String last = first.path("data").get(1).path("id").asText();
        JsonNode second =
                json(
                        send(
                                "GET",
                                "/v1/audit?action=key.&limit=2&starting_after=" + last,
                                admin,
                                null));
        JsonNode byAna = json(send("GET", "/v1/audit?actor=person:ana", admin, null));
        JsonNode window =
                json(
                        send(
                                "GET",
                                "/v1/audit?since=2026-11-30T10:00:01Z&until=2026-11-30T10:00:03Z",
                                admin,
                                null));
        HttpResponse<String> byAnalyst = send("GET", "/v1/audit", analyst, null);
        HttpResponse<String> badLimit = send("GET", "/v1/audit?limit=0", admin, null);

        assertThat(ids(first)).containsExactly("e4", "e3");
        assertThat(first.path("has_more").asBoolean()).isTrue();
        assertThat(ids(second)).containsExactly("e1");
        assertThat(second.path("has_more").asBoolean()).isFalse();
        assertThat(ids(byAna)).containsExactly("e2");
        assertThat(byAna.path("data").get(0).path("details").path("from").asText())
                .isEqualTo("10.0.0.9");
        assertThat(ids(window)).containsExactly("e3", "e2");
        assertThat(byAnalyst.statusCode()).isEqualTo(403);
        assertThat(badLimit.statusCode()).isEqualTo(400);
    }

    @Test
    void shouldLetAnAdministratorManageMerchantsAndKeysOverHttpAuditedUnderTheirName()
            throws Exception {
        JsonNode merchant =
                json(send("POST", "/v1/admin/merchants", admin, "{\"name\": \"Corner Shop\"}"));
        String firstSecret = merchant.at("/key/secret").asText();
        JsonNode narrow =
                json(
                        send(
                                "POST",
                                "/v1/admin/merchants/corner-shop/keys",
                                admin,
                                "{\"scopes\": [\"payments:read\"], \"rate_limit\": 5,"
                                        + " \"expires_in_days\": 30, \"name\": \"reports\"}"));
        HttpResponse<String> listed =
                send("GET", "/v1/admin/merchants/corner-shop/keys", admin, null);
        HttpResponse<String> revoked =
                send("POST", "/v1/admin/keys/" + narrow.path("id").asText() + "/revoke", admin, "");
        HttpResponse<String> byAnalyst =
                send("POST", "/v1/admin/merchants", analyst, "{\"name\": \"Not Theirs\"}");

        assertThat(merchant.path("merchant").asText()).isEqualTo("corner-shop");
        assertThat(send("GET", "/v1/payments/pay_1", firstSecret, null).statusCode())
                .as("the new merchant's key works at once")
                .isEqualTo(200);
        assertThat(narrow.path("scopes").toString()).isEqualTo("[\"payments:read\"]");
        assertThat(narrow.path("rate_limit").asInt()).isEqualTo(5);
        assertThat(listed.body())
                .contains(narrow.path("id").asText())
                .doesNotContain(firstSecret, narrow.path("secret").asText());
        assertThat(json(revoked).path("active").asBoolean()).isFalse();
        assertThat(
                        send("GET", "/v1/payments/pay_1", narrow.path("secret").asText(), null)
                                .statusCode())
                .isEqualTo(401);
        assertThat(byAnalyst.statusCode()).isEqualTo(403);
        assertThat(audited)
                .containsExactly(
                        "person:root merchant.create merchant:corner-shop",
                        "person:root key.create key:" + merchant.at("/key/id").asText(),
                        "person:root key.create key:" + narrow.path("id").asText(),
                        "person:root key.revoke key:" + narrow.path("id").asText());
    }

    @Test
    void shouldLetAnAdministratorAddPeopleIssueAndRevokeTheirTokensOverHttp() throws Exception {
        JsonNode pia =
                json(
                        send(
                                "POST",
                                "/v1/admin/people",
                                admin,
                                "{\"name\": \"pia\", \"role\": \"analyst\"}"));
        String piaToken = pia.at("/token/token").asText();
        JsonNode second =
                json(
                        send(
                                "POST",
                                "/v1/admin/people/pia/tokens",
                                admin,
                                "{\"expires_in_days\": 7}"));
        int beforeRevoke = send("GET", "/v1/lists", piaToken, null).statusCode();
        HttpResponse<String> revoked =
                send(
                        "POST",
                        "/v1/admin/tokens/" + pia.at("/token/token_id").asText() + "/revoke",
                        admin,
                        "");
        int afterRevoke = send("GET", "/v1/lists", piaToken, null).statusCode();
        int secondBeforeDisable =
                send("GET", "/v1/lists", second.path("token").asText(), null).statusCode();
        HttpResponse<String> disabled = send("POST", "/v1/admin/people/pia/disable", admin, "");
        int secondAfterDisable =
                send("GET", "/v1/lists", second.path("token").asText(), null).statusCode();
        HttpResponse<String> byPia =
                send(
                        "POST",
                        "/v1/admin/people",
                        second.path("token").asText(),
                        "{\"name\": \"x\"}");
        HttpResponse<String> selfDisable = send("POST", "/v1/admin/people/root/disable", admin, "");

        assertThat(pia.path("role").asText()).isEqualTo("analyst");
        assertThat(pia.path("password").asText()).hasSize(20);
        assertThat(beforeRevoke).isEqualTo(200);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(afterRevoke).isEqualTo(401);
        assertThat(secondBeforeDisable).isEqualTo(200);
        assertThat(disabled.statusCode()).isEqualTo(200);
        assertThat(secondAfterDisable).isEqualTo(401);
        assertThat(byPia.statusCode()).isEqualTo(401);
        assertThat(selfDisable.statusCode())
                .as("an administrator cannot lock themself out")
                .isEqualTo(400);
        assertThat(audited)
                .containsExactly(
                        "person:root person.created pia",
                        "person:root person.token.issued pia",
                        "person:root person.token.issued pia",
                        "person:root person.token.revoked pia",
                        "person:root person.disabled pia");
    }

    private static ConsumerRecord<String, AuditEvent> record(
            long offset, String id, Instant at, String actor, String action, String subject) {
        return new ConsumerRecord<>(
                "audit.events",
                0,
                offset,
                subject,
                AuditEvent.newBuilder()
                        .setEventId(id)
                        .setAt(at)
                        .setActor(actor)
                        .setAction(action)
                        .setSubject(subject)
                        .setDetails(Map.of("from", "10.0.0.9"))
                        .build());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("data").forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    HttpResponse<String> send(String method, String path, String credential, String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json");
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        b.method(
                method,
                body != null && !method.equals("GET")
                        ? HttpRequest.BodyPublishers.ofString(body)
                        : HttpRequest.BodyPublishers.noBody());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    /** Lists that remember who changed them. */
    static final class RecordingLists implements ApiServer.Operations {
        private final List<String> authors;

        RecordingLists(List<String> authors) {
            this.authors = authors;
        }

        @Override
        public List<Map<String, Object>> lists() {
            return List.of();
        }

        @Override
        public Map<String, Object> addToList(
                String list, String value, String note, Duration expiresIn, String operator) {
            authors.add(operator);
            return Map.of("list", list, "value", value);
        }

        @Override
        public void removeFromList(String list, String value, String operator) {
            authors.add(operator);
        }
    }
}
