package org.fraudplatform.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.api.console.CaseDetailsIT.decision;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.history.DecisionWriter;
import org.fraudplatform.history.LabelWriter;
import org.fraudplatform.schemas.Label;
import org.fraudplatform.schemas.LabelSource;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules page's hits per rule over the last day and the frauds among them, from decisions and
 * labels applied by their projections to a real PostgreSQL, and how fast with 100 000 decisions.
 */
class RuleHitsIT {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:30Z");
    static final String LARGE = "Very large amounts go to review";
    static final String BLOCKED_IP = "Blocked IPs are declined";
    static final String SHADOW = "shadow: new devices";

    static Database db;
    static long offsets;

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void shouldCountEachRulesHitsOfTheDayAndTheFraudsAmongThemByTheNewestLabel() throws Exception {
        // given
        decide("pay_1", NOW.minusSeconds(3_600), List.of(rule(LARGE), rule(BLOCKED_IP)), List.of());
        decide("pay_2", NOW.minusSeconds(7_200), List.of(rule(LARGE)), List.of());
        decide("pay_3", NOW.minusSeconds(60), List.of(rule(LARGE)), List.of());
        decide(
                "pay_4",
                NOW.minusSeconds(80_000),
                List.of(rule(LARGE), new ReasonCode("AMOUNT_OVER_LIMIT", "", "rule:" + LARGE)),
                List.of());
        decide(
                "pay_5",
                NOW.minusSeconds(600),
                List.of(new ReasonCode("ML_CARD_COUNT_1H", "", "model:gbt-7")),
                List.of(rule(SHADOW)));
        decide("pay_yesterday", NOW.minusSeconds(90_000), List.of(rule(LARGE)), List.of());
        label("lbl_1", "pay_1", true, NOW.minusSeconds(1_800));
        label("lbl_2a", "pay_2", true, NOW.minusSeconds(3_600));
        label("lbl_2b", "pay_2", false, NOW.minusSeconds(1_200));
        label("lbl_4", "pay_4", true, NOW.minusSeconds(100));
        label("lbl_5", "pay_5", true, NOW.minusSeconds(100));
        label("lbl_yesterday", "pay_yesterday", true, NOW.minusSeconds(100));

        // when
        List<RuleHits.Row> rows;
        try (Connection c = db.dataSource().getConnection()) {
            rows = RuleHits.read(c, NOW);
        }

        // then: pay_4's two reasons of one rule are one hit; pay_2's newest label says no
        // fraud; pay_yesterday is older than the day; the model is no rule
        assertThat(rows)
                .containsExactly(
                        new RuleHits.Row(LARGE, "live", 4, 3, 2),
                        new RuleHits.Row(BLOCKED_IP, "live", 1, 1, 1),
                        new RuleHits.Row(SHADOW, "shadow", 1, 1, 1));
        assertThat(RuleHits.render(rows))
                .contains(
                        "<tr><td>Very large amounts go to review</td><td>live</td>"
                                + "<td class=\"num\">4</td><td class=\"num\">3</td>"
                                + "<td class=\"num\">2</td><td class=\"num\">50.0 %</td>"
                                + "<td class=\"num\">66.7 %</td></tr>")
                .contains("<th scope=\"col\">Frauds among hits</th>");
    }

    @Test
    void shouldSayWhenNoRuleHitInTheDay() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(RuleHits.read(c, NOW.plusSeconds(3 * 86_400))).isEmpty();
        }
        assertThat(RuleHits.render(List.of())).contains("No rule hit in the last 24 hours.");
    }

    @Test
    void shouldReadTheDaysHitsWithinAHundredMillisecondsAmong100000Decisions() throws Exception {
        // given: 100 000 decisions in the day, each hitting one of 20 rules, 2 % labelled
        Database big = TestDatabase.fresh();
        try {
            DecisionWriter decisions = new DecisionWriter(big.dataSource());
            LabelWriter labels = new LabelWriter(big.dataSource());
            Instant start = NOW.minusSeconds(86_000);
            long offset = 0;
            for (int batch = 0; batch < 100; batch++) {
                List<RiskDecision> decided = new ArrayList<>();
                List<Label> known = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    int n = batch * 1_000 + i;
                    Instant at = start.plusMillis(n * 860L);
                    decided.add(
                            decision("pay_perf_" + n, RiskAction.REVIEW, Map.of())
                                    .setReasons(List.of(rule("rule " + n % 20)))
                                    .setDecidedAt(at)
                                    .build());
                    if (n % 50 == 0) {
                        known.add(aLabel("lbl_perf_" + n, "pay_perf_" + n, n % 100 == 0, NOW));
                    }
                }
                offset = DecisionSearchIT.apply(decisions, "payments.decisions", decided, offset);
                offset = DecisionSearchIT.apply(labels, "labels", known, offset);
            }
            try (Connection c = big.dataSource().getConnection();
                    var s = c.createStatement()) {
                s.execute("ANALYZE");
            }

            // when: the best of 10 reads
            long best = Long.MAX_VALUE;
            List<RuleHits.Row> rows = List.of();
            for (int i = 0; i < 11; i++) {
                long started = System.nanoTime();
                try (Connection c = big.dataSource().getConnection()) {
                    rows = RuleHits.read(c, NOW);
                    RuleHits.render(rows);
                }
                if (i > 0) {
                    best = Math.min(best, System.nanoTime() - started);
                }
            }

            // then
            System.out.printf("rule hits of a day with 100 000 decisions: %.1f ms%n", best / 1e6);
            assertThat(rows).hasSize(20);
            assertThat(rows).allSatisfy(r -> assertThat(r.hits()).isEqualTo(5_000));
            assertThat(rows.stream().mapToLong(RuleHits.Row::labelled).sum()).isEqualTo(2_000);
            assertThat(rows.stream().mapToLong(RuleHits.Row::frauds).sum()).isEqualTo(1_000);
            assertThat(best / 1_000_000).isLessThan(100);
        } finally {
            big.close();
        }
    }

    static ReasonCode rule(String name) {
        return new ReasonCode("CODE_OF_" + name.length(), "because", "rule:" + name);
    }

    static void decide(
            String id, Instant at, List<ReasonCode> reasons, List<ReasonCode> shadowReasons) {
        offsets =
                DecisionSearchIT.apply(
                        new DecisionWriter(db.dataSource()),
                        "payments.decisions",
                        List.of(
                                decision(id, RiskAction.REVIEW, Map.of())
                                        .setReasons(reasons)
                                        .setShadowReasons(shadowReasons)
                                        .setDecidedAt(at)
                                        .build()),
                        offsets);
    }

    static void label(String id, String paymentId, boolean fraud, Instant knownAt) {
        offsets =
                DecisionSearchIT.apply(
                        new LabelWriter(db.dataSource()),
                        "labels",
                        List.of(aLabel(id, paymentId, fraud, knownAt)),
                        offsets);
    }

    static Label aLabel(String id, String paymentId, boolean fraud, Instant knownAt) {
        return Label.newBuilder()
                .setLabelId(id)
                .setPaymentId(paymentId)
                .setMerchantId("m1")
                .setInstrumentKey("tok_a")
                .setFraud(fraud)
                .setSource(fraud ? LabelSource.CHARGEBACK : LabelSource.REVIEW)
                .setPaymentTime(knownAt.minusSeconds(60))
                .setKnownAt(knownAt)
                .build();
    }
}
