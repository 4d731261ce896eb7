package org.fraudplatform.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fraudplatform.api.console.CaseDetailsIT.decision;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.history.DecisionWriter;
import org.fraudplatform.history.LinkWriter;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decision search over the decision and link projections and the API's payments in a real
 * PostgreSQL: each filter alone and combined finds exactly the matching decisions, newest first,
 * page by page; and how fast each filter is among 100 000 decisions.
 */
class DecisionSearchIT {

    static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");

    static Database db;

    /**
     * Six payments decided a minute apart (pay_a first): card A at merchants m1 and m2, card B
     * twice at m1; customer cus_1 at m1 and another merchant's cus_1 at m2; pay_f older than the
     * links projection (no links).
     */
    @BeforeAll
    static void sixDecisions() throws Exception {
        db = TestDatabase.fresh();
        payment("pay_a", "m1", "tok_a", "fp_a_m1", "cus_1", "203.0.113.1", "dev_1");
        payment("pay_b", "m2", "tok_a", "fp_a_m2", "cus_2", "203.0.113.2", "dev_2");
        payment("pay_c", "m1", "tok_b", "fp_b_m1", "cus_1", "203.0.113.1", "dev_2");
        payment("pay_d", "m2", "tok_c", "fp_c_m2", "cus_1", "198.51.100.9", "dev_3");
        payment("pay_e", "m1", "tok_b", "fp_b_m1", null, "203.0.113.1", "dev_1");
        insertPayment(db, "pay_f", "m3", "tok_f", "fp_f_m3", T0.plusSeconds(300));
        decide("pay_a", "m1", RiskAction.APPROVE, 0);
        decide("pay_b", "m2", RiskAction.DECLINE, 1, "BLOCKED_IP");
        decide("pay_c", "m1", RiskAction.REVIEW, 2, "AMOUNT_VERY_LARGE", "NEW_DEVICE");
        decide("pay_d", "m2", RiskAction.REVIEW, 3, "NEW_DEVICE");
        decide("pay_e", "m1", RiskAction.DECLINE, 4, "AMOUNT_VERY_LARGE");
        decide("pay_f", "m3", RiskAction.APPROVE, 5);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void shouldFindEveryDecisionNewestFirstWithoutFilters() throws Exception {
        assertThat(ids(Map.of()))
                .containsExactly("pay_f", "pay_e", "pay_d", "pay_c", "pay_b", "pay_a");
    }

    @Test
    void shouldFindTheCardBehindAFingerprintAtEveryMerchant() throws Exception {
        assertThat(ids(Map.of("card", "fp_a_m1"))).containsExactly("pay_b", "pay_a");
        assertThat(ids(Map.of("card", "fp_b_m1"))).containsExactly("pay_e", "pay_c");
        assertThat(ids(Map.of("card", "fp_a_m1", "merchant", "m1"))).containsExactly("pay_a");
        assertThat(ids(Map.of("card", "fp_unknown"))).isEmpty();
    }

    @Test
    void shouldFindByIpAddress() throws Exception {
        assertThat(ids(Map.of("ip", "203.0.113.1"))).containsExactly("pay_e", "pay_c", "pay_a");
        assertThat(ids(Map.of("ip", "203.0.113.2"))).containsExactly("pay_b");
    }

    @Test
    void shouldFindByDevice() throws Exception {
        assertThat(ids(Map.of("device", "dev_2"))).containsExactly("pay_c", "pay_b");
    }

    @Test
    void shouldFindByCustomerOfAnyMerchantOrOfOne() throws Exception {
        assertThat(ids(Map.of("customer", "cus_1"))).containsExactly("pay_d", "pay_c", "pay_a");
        assertThat(ids(Map.of("customer", "cus_1", "merchant", "m1")))
                .containsExactly("pay_c", "pay_a");
    }

    @Test
    void shouldFindByMerchantAndByPayment() throws Exception {
        assertThat(ids(Map.of("merchant", "m2"))).containsExactly("pay_d", "pay_b");
        assertThat(ids(Map.of("payment", "pay_c"))).containsExactly("pay_c");
    }

    @Test
    void shouldFindByReasonCodeAmongSeveralReasons() throws Exception {
        assertThat(ids(Map.of("reason", "AMOUNT_VERY_LARGE"))).containsExactly("pay_e", "pay_c");
        assertThat(ids(Map.of("reason", "NEW_DEVICE"))).containsExactly("pay_d", "pay_c");
        assertThat(ids(Map.of("reason", "NEW"))).as("a whole code, not a prefix").isEmpty();
    }

    @Test
    void shouldFindByAction() throws Exception {
        assertThat(ids(Map.of("action", "review"))).containsExactly("pay_d", "pay_c");
        assertThat(ids(Map.of("action", "decline"))).containsExactly("pay_e", "pay_b");
    }

    @Test
    void shouldFindWithinATimeRangeFromInclusiveToExclusive() throws Exception {
        assertThat(
                        ids(
                                Map.of(
                                        "from", T0.plusSeconds(60).toString(),
                                        "to", T0.plusSeconds(180).toString())))
                .containsExactly("pay_c", "pay_b");
        assertThat(ids(Map.of("from", "2026-11-02T08:04"))).containsExactly("pay_f", "pay_e");
        assertThat(ids(Map.of("to", "2026-11-01"))).as("the day before T0, to its end").isEmpty();
        assertThat(ids(Map.of("from", "2026-11-02", "to", "2026-11-02"))).hasSize(6);
    }

    @Test
    void shouldCombineEveryFilterGiven() throws Exception {
        assertThat(
                        ids(
                                Map.of(
                                        "ip", "203.0.113.1",
                                        "reason", "AMOUNT_VERY_LARGE",
                                        "action", "decline")))
                .containsExactly("pay_e");
        assertThat(
                        ids(
                                Map.of(
                                        "device", "dev_1",
                                        "card", "fp_a_m1",
                                        "to", T0.plusSeconds(1).toString())))
                .containsExactly("pay_a");
        assertThat(ids(Map.of("ip", "203.0.113.1", "merchant", "m2"))).isEmpty();
    }

    @Test
    void shouldPageNewestFirstWithoutLosingOrRepeatingADecision() throws Exception {
        // given
        List<String> seen = new ArrayList<>();
        Optional<DecisionSearch.Cursor> before = Optional.empty();
        int pages = 0;

        // when
        do {
            DecisionSearch.Page page;
            try (Connection c = db.dataSource().getConnection()) {
                page = DecisionSearch.find(c, DecisionSearch.Filters.ANY, before, 4);
            }
            page.hits().forEach(h -> seen.add(h.paymentId()));
            before = page.next();
            pages++;
        } while (before.isPresent());

        // then
        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactly("pay_f", "pay_e", "pay_d", "pay_c", "pay_b", "pay_a");
    }

    @Test
    void shouldPageThroughDecisionsOfTheSameInstantByPaymentId() throws Exception {
        // given: five decisions at one instant
        Database same = TestDatabase.fresh();
        try {
            List<RiskDecision> decided = new ArrayList<>();
            for (String id : List.of("pay_3", "pay_1", "pay_5", "pay_2", "pay_4")) {
                decided.add(decision(id, RiskAction.APPROVE, Map.of()).setDecidedAt(T0).build());
            }
            apply(new DecisionWriter(same.dataSource()), "payments.decisions", decided, 0);

            // when: two a page
            List<String> seen = new ArrayList<>();
            Optional<DecisionSearch.Cursor> before = Optional.empty();
            do {
                DecisionSearch.Page page;
                try (Connection c = same.dataSource().getConnection()) {
                    page = DecisionSearch.find(c, DecisionSearch.Filters.ANY, before, 2);
                }
                page.hits().forEach(h -> seen.add(h.paymentId()));
                before = page.next();
            } while (before.isPresent());

            // then
            assertThat(seen).containsExactly("pay_5", "pay_4", "pay_3", "pay_2", "pay_1");
        } finally {
            same.close();
        }
    }

    @Test
    void shouldOpenEachResultsCasePageAndLinkTheNextPageWithTheSameFilters() throws Exception {
        // given
        DecisionSearch.Filters filters = DecisionSearch.Filters.of(Map.of("ip", "203.0.113.1"));
        DecisionSearch.Page page;
        try (Connection c = db.dataSource().getConnection()) {
            page = DecisionSearch.find(c, filters, Optional.empty(), 2);
        }

        // when
        String html = DecisionSearch.render(filters, page, false, null);

        // then
        assertThat(html)
                .contains("<a href=\"/console/payments/pay_e\">pay_e</a>")
                .contains("<a href=\"/console/payments/pay_c\">pay_c</a>")
                .doesNotContain("pay_a")
                .contains("AMOUNT_VERY_LARGE, NEW_DEVICE")
                .contains("<td class=\"decline\">decline</td>")
                .contains("<input name=\"ip\" value=\"203.0.113.1\"")
                .contains(
                        "href=\"/console/search?ip=203.0.113.1&amp;before="
                                + Html.url(T0.plusSeconds(120).toString())
                                + "&amp;before_id=pay_c\">Older decisions</a>");
    }

    @Test
    void shouldRefuseATimeOrAnActionThatIsNotOne() {
        assertThatThrownBy(() -> DecisionSearch.Filters.of(Map.of("from", "yesterday")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("From");
        assertThatThrownBy(() -> DecisionSearch.Filters.of(Map.of("action", "maybe")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Decision");
        assertThat(
                        DecisionSearch.Filters.lenient(
                                Map.of(
                                        "ip",
                                        "203.0.113.1",
                                        "from",
                                        "yesterday",
                                        "action",
                                        "review")))
                .as("the form shown again keeps what was valid")
                .isEqualTo(
                        new DecisionSearch.Filters(
                                null,
                                null,
                                null,
                                null,
                                "203.0.113.1",
                                null,
                                "review",
                                null,
                                null,
                                null));
    }

    @Test
    void shouldSearchEachFilterWithinAHundredMillisecondsAmong100000Decisions() throws Exception {
        // given: 100 000 decisions over 28 hours at 7 merchants; 100 a card, 1 000 an IP,
        // 50 a device, 20 a customer; 3 % declined, 7 % in review, 2 % with a rare reason
        Database big = TestDatabase.fresh();
        try {
            LinkWriter links = new LinkWriter(big.dataSource());
            DecisionWriter decisions = new DecisionWriter(big.dataSource());
            long offset = 0;
            for (int batch = 0; batch < 100; batch++) {
                List<PaymentRequest> requests = new ArrayList<>();
                List<RiskDecision> decided = new ArrayList<>();
                try (Connection c = big.dataSource().getConnection();
                        PreparedStatement s = c.prepareStatement(INSERT_PAYMENT)) {
                    for (int i = 0; i < 1_000; i++) {
                        int n = batch * 1_000 + i;
                        String id = "pay_perf_" + n;
                        String merchant = "m" + n % 7;
                        Instant at = T0.plusSeconds(n);
                        requests.add(
                                aCardPayment()
                                        .paymentId(id)
                                        .merchant(merchant)
                                        .cardToken("tok_perf_" + n % 1_000)
                                        .customer("cus_perf_" + n % 5_000)
                                        .customerIp("10.0." + n % 100 + ".1")
                                        .deviceId("dev_perf_" + n % 2_000)
                                        .at(at)
                                        .build());
                        RiskAction action =
                                n % 100 < 3
                                        ? RiskAction.DECLINE
                                        : n % 100 < 10 ? RiskAction.REVIEW : RiskAction.APPROVE;
                        List<ReasonCode> reasons = new ArrayList<>();
                        if (action != RiskAction.APPROVE) {
                            reasons.add(new ReasonCode("VELOCITY_CARD_1H", "", "rule:velocity"));
                        }
                        if (n % 50 == 7) {
                            reasons.add(new ReasonCode("RARE_REASON", "", "rule:rare"));
                        }
                        decided.add(
                                decision(id, action, Map.of())
                                        .setMerchantId(merchant)
                                        .setReasons(reasons)
                                        .setDecidedAt(at)
                                        .build());
                        bindPayment(
                                s,
                                id,
                                merchant,
                                "tok_perf_" + n % 1_000,
                                "fp_perf_" + n % 1_000 + "_" + merchant,
                                at);
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                offset = apply(links, "payments.requests", requests, offset);
                offset = apply(decisions, "payments.decisions", decided, offset);
            }
            try (Connection c = big.dataSource().getConnection();
                    var s = c.createStatement()) {
                s.execute("ANALYZE payment_links");
                s.execute("ANALYZE payment_decisions");
                s.execute("ANALYZE payments");
            }
            Map<String, Map<String, String>> searches = new LinkedHashMap<>();
            searches.put("no filter", Map.of());
            searches.put("merchant", Map.of("merchant", "m3"));
            searches.put("customer", Map.of("customer", "cus_perf_42"));
            searches.put("card fingerprint", Map.of("card", "fp_perf_42_m0"));
            searches.put("IP", Map.of("ip", "10.0.42.1"));
            searches.put("device", Map.of("device", "dev_perf_42"));
            searches.put("action (declined, 3 %)", Map.of("action", "decline"));
            searches.put("reason (2 %)", Map.of("reason", "RARE_REASON"));
            searches.put(
                    "an hour",
                    Map.of(
                            "from", T0.plusSeconds(36_000).toString(),
                            "to", T0.plusSeconds(39_600).toString()));
            searches.put(
                    "merchant, review, an hour",
                    Map.of(
                            "merchant",
                            "m2",
                            "action",
                            "review",
                            "from",
                            T0.plusSeconds(36_000).toString(),
                            "to",
                            T0.plusSeconds(39_600).toString()));
            searches.put(
                    "IP, reason, review, an hour",
                    Map.of(
                            "ip", "10.0.7.1",
                            "reason", "RARE_REASON",
                            "action", "review",
                            "from", T0.plusSeconds(36_000).toString(),
                            "to", T0.plusSeconds(39_600).toString()));
            searches.put(
                    "page 1 000 deep",
                    Map.of(
                            "before",
                            T0.plusSeconds(50_000).toString(),
                            "before_id",
                            "pay_perf_50000"));

            // when: after one round to warm up, the best of 10 searches of each
            for (Map<String, String> query : searches.values()) {
                try (Connection c = big.dataSource().getConnection()) {
                    DecisionSearch.find(
                            c,
                            DecisionSearch.Filters.of(query),
                            DecisionSearch.Cursor.of(query),
                            DecisionSearch.PAGE);
                }
            }
            Map<String, Long> best = new LinkedHashMap<>();
            Map<String, Integer> found = new HashMap<>();
            for (Map.Entry<String, Map<String, String>> search : searches.entrySet()) {
                DecisionSearch.Filters filters = DecisionSearch.Filters.of(search.getValue());
                Optional<DecisionSearch.Cursor> before =
                        DecisionSearch.Cursor.of(search.getValue());
                long fastest = Long.MAX_VALUE;
                for (int i = 0; i < 10; i++) {
                    long started = System.nanoTime();
                    String html;
                    try (Connection c = big.dataSource().getConnection()) {
                        DecisionSearch.Page page =
                                DecisionSearch.find(c, filters, before, DecisionSearch.PAGE);
                        html = DecisionSearch.render(filters, page, before.isPresent(), null);
                        found.put(search.getKey(), page.hits().size());
                    }
                    fastest = Math.min(fastest, System.nanoTime() - started);
                    assertThat(html).isNotEmpty();
                }
                best.put(search.getKey(), fastest);
                System.out.printf(
                        "search by %s among 100 000 decisions: %.1f ms, %d found%n%s%n",
                        search.getKey(),
                        fastest / 1e6,
                        found.get(search.getKey()),
                        plan(big, filters, before));
            }

            // then
            assertThat(found.get("card fingerprint")).isEqualTo(50);
            assertThat(found.get("customer")).isEqualTo(20);
            assertThat(found.get("IP, reason, review, an hour")).isEqualTo(36);
            assertThat(best).allSatisfy((name, nanos) -> assertThat(nanos).isLessThan(100_000_000));
        } finally {
            big.close();
        }
    }

    // ---- helpers

    static final String INSERT_PAYMENT =
            "INSERT INTO payments (id, merchant_id, status, amount, currency, instrument_key,"
                    + " response, created_at, updated_at, card_fingerprint) VALUES (?, ?,"
                    + " 'authorized', 1999, 'EUR', ?, '{}', ?, ?, ?)";

    static List<String> ids(Map<String, String> query) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            return DecisionSearch.find(c, DecisionSearch.Filters.of(query), Optional.empty(), 100)
                    .hits()
                    .stream()
                    .map(DecisionSearch.Hit::paymentId)
                    .toList();
        }
    }

    static String plan(
            Database on, DecisionSearch.Filters filters, Optional<DecisionSearch.Cursor> before)
            throws Exception {
        DecisionSearch.Query q = DecisionSearch.query(filters, before, DecisionSearch.PAGE + 1);
        StringBuilder out = new StringBuilder();
        try (Connection c = on.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("EXPLAIN " + q.sql())) {
            q.bind(s);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.append("  ").append(r.getString(1)).append('\n');
                }
            }
        }
        return out.toString();
    }

    static long offsets = 0;

    static void payment(
            String id,
            String merchant,
            String card,
            String fingerprint,
            String customer,
            String ip,
            String device)
            throws Exception {
        int minute = id.charAt(id.length() - 1) - 'a';
        Instant at = T0.plusSeconds(60L * minute);
        insertPayment(db, id, merchant, card, fingerprint, at);
        var request =
                aCardPayment()
                        .paymentId(id)
                        .merchant(merchant)
                        .cardToken(card)
                        .customerIp(ip)
                        .deviceId(device)
                        .customer(customer)
                        .at(at);
        offsets =
                apply(
                        new LinkWriter(db.dataSource()),
                        "payments.requests",
                        List.of(request.build()),
                        offsets);
    }

    static void decide(
            String id, String merchant, RiskAction action, int minute, String... reasonCodes) {
        List<ReasonCode> reasons = new ArrayList<>();
        for (String code : reasonCodes) {
            reasons.add(new ReasonCode(code, "because " + code, "rule:" + code));
        }
        offsets =
                apply(
                        new DecisionWriter(db.dataSource()),
                        "payments.decisions",
                        List.of(
                                decision(id, action, Map.of())
                                        .setMerchantId(merchant)
                                        .setReasons(reasons)
                                        .setDecidedAt(T0.plusSeconds(60L * minute))
                                        .build()),
                        offsets);
    }

    static void insertPayment(
            Database on, String id, String merchant, String card, String fingerprint, Instant at)
            throws Exception {
        try (Connection c = on.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(INSERT_PAYMENT)) {
            bindPayment(s, id, merchant, card, fingerprint, at);
            s.executeUpdate();
        }
    }

    static void bindPayment(
            PreparedStatement s,
            String id,
            String merchant,
            String card,
            String fingerprint,
            Instant at)
            throws Exception {
        s.setString(1, id);
        s.setString(2, merchant);
        s.setString(3, card);
        s.setTimestamp(4, Timestamp.from(at));
        s.setTimestamp(5, Timestamp.from(at));
        s.setString(6, fingerprint);
    }

    static <V> long apply(
            org.fraudplatform.database.projection.ProjectionWriter<V> writer,
            String topic,
            List<V> values,
            long from) {
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, V>> records =
                new ArrayList<>();
        long offset = from;
        for (V v : values) {
            records.add(
                    new org.apache.kafka.clients.consumer.ConsumerRecord<>(
                            topic, 0, offset++, "k", v));
        }
        writer.apply(records);
        return offset;
    }
}
