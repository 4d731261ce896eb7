package org.fraudplatform.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.history.DecisionWriter;
import org.fraudplatform.history.LabelWriter;
import org.fraudplatform.history.LinkWriter;
import org.fraudplatform.schemas.Label;
import org.fraudplatform.schemas.LabelSource;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The case page's decision and linked history, from records applied by the decision, link and label
 * projections to a real PostgreSQL, and how fast they are read among many payments.
 */
class CaseDetailsIT {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final Map<String, String> CATALOGUE = new LinkedHashMap<>();

    static {
        CATALOGUE.put("card_count_10m", "number of payments per the card, over (t − 10m, t]");
        CATALOGUE.put(
                "ip_distinct_cards_1d", "number of distinct cards per the IP, over (t − 1d, t]");
        CATALOGUE.put("email_fraud_rate_30d", "share of <fraud> per the e-mail");
    }

    static Database db;
    static final AtomicLong offsets = new AtomicLong();

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void shouldShowTheFeaturesWithTheirDescriptionsTheModelsTopContributionsAndTheShadowResults()
            throws Exception {
        // given
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("ip_distinct_cards_1d", 4.0);
        features.put("card_count_10m", 3.0);
        features.put("email_fraud_rate_30d", Double.NaN);
        RiskDecision decision =
                decision("pay_case_1", RiskAction.REVIEW, features)
                        .setModelVersion("gbt-7")
                        .setModelScore(0.91)
                        .setShadowModelVersion("gbt-8")
                        .setShadowModelScore(0.42)
                        .setReasons(
                                List.of(
                                        new ReasonCode(
                                                "AMOUNT_VERY_LARGE",
                                                "10 000 EUR or more",
                                                "rule:Very large amounts go to review"),
                                        new ReasonCode(
                                                "ML_IP_DISTINCT_CARDS_1D",
                                                "Model gbt scored 0.91; ip_distinct_cards_1d = 4"
                                                        + " raised it by 1.234",
                                                "model:gbt-7")))
                        .setShadowAction(RiskAction.DECLINE)
                        .setShadowReasons(
                                List.of(
                                        new ReasonCode(
                                                "NEW_DEVICE_<B>",
                                                "a device never seen & big",
                                                "rule:shadow: new devices")))
                        .build();
        apply(new DecisionWriter(db.dataSource()), "payments.decisions", List.of(decision));

        // when
        String html;
        try (Connection c = db.dataSource().getConnection()) {
            html = CaseDetails.decision(c, "pay_case_1", CATALOGUE);
        }

        // then
        assertThat(html)
                .contains("gbt-7, score 0.910")
                .contains("gbt-8, score 0.420 (recorded, decides nothing)")
                .contains(
                        "<tr><td><code>ip_distinct_cards_1d</code></td><td class=\"num\">4</td>"
                                + "<td class=\"num\">+1.234</td><td>number of distinct cards per"
                                + " the IP, over (t − 1d, t]</td></tr>")
                .contains("Would have decided: <span class=\"decline\">decline</span>")
                .contains("NEW_DEVICE_&lt;B&gt;: a device never seen &amp; big")
                .contains(
                        "<tr><td><code>email_fraud_rate_30d</code></td><td class=\"num\">missing</td>"
                                + "<td>share of &lt;fraud&gt; per the e-mail</td></tr>")
                .doesNotContain("<B>")
                .doesNotContain("<fraud>");
        assertThat(html.indexOf("<code>card_count_10m</code></td><td class=\"num\">3<"))
                .as("features in catalogue order")
                .isPositive()
                .isLessThan(html.lastIndexOf("<code>ip_distinct_cards_1d</code>"));
    }

    @Test
    void shouldSayWhenTheDecisionIsNotInTheHistory() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(CaseDetails.decision(c, "pay_never_decided", CATALOGUE))
                    .contains("not in the history (yet)");
        }
    }

    @Test
    void shouldLinkThePaymentsOfTheSameCardCustomerEmailIpAndDeviceWithTheirLabels()
            throws Exception {
        // given
        List<PaymentRequest> requests =
                List.of(
                        aCardPayment()
                                .paymentId("pay_link_me")
                                .merchant("m1")
                                .cardToken("tok_a")
                                .customer("cus_a")
                                .emailHash("eh_a")
                                .customerIp("203.0.113.5")
                                .deviceId("dev_a")
                                .at(T0)
                                .build(),
                        aCardPayment()
                                .paymentId("pay_link_same_card")
                                .merchant("m2")
                                .cardToken("tok_a")
                                .customer("cus_other")
                                .at(T0.minusSeconds(60))
                                .build(),
                        aCardPayment()
                                .paymentId("pay_link_email_device")
                                .merchant("m1")
                                .cardToken("tok_b")
                                .emailHash("eh_a")
                                .deviceId("dev_a")
                                .customerIp("198.51.100.1")
                                .at(T0.minusSeconds(120))
                                .build(),
                        aCardPayment()
                                .paymentId("pay_link_other_merchants_customer")
                                .merchant("m2")
                                .cardToken("tok_c")
                                .customer("cus_a")
                                .customerIp("198.51.100.2")
                                .at(T0.minusSeconds(180))
                                .build(),
                        aCardPayment()
                                .paymentId("pay_link_ip")
                                .merchant("m3")
                                .cardToken("tok_d")
                                .customerIp("203.0.113.5")
                                .at(T0.minusSeconds(240))
                                .build());
        apply(new LinkWriter(db.dataSource()), "payments.requests", requests);
        apply(
                new DecisionWriter(db.dataSource()),
                "payments.decisions",
                List.of(decision("pay_link_email_device", RiskAction.DECLINE, Map.of()).build()));
        apply(
                new LabelWriter(db.dataSource()),
                "labels",
                List.of(
                        Label.newBuilder()
                                .setLabelId("lbl_1")
                                .setPaymentId("pay_link_email_device")
                                .setMerchantId("m1")
                                .setInstrumentKey("tok_b")
                                .setFraud(true)
                                .setSource(LabelSource.REVIEW)
                                .setPaymentTime(T0.minusSeconds(120))
                                .setKnownAt(T0)
                                .build()));

        // when
        String html;
        try (Connection c = db.dataSource().getConnection()) {
            html = CaseDetails.linked(c, "pay_link_me");
        }

        // then
        assertThat(html)
                .contains("pay_link_same_card</a></td><td>card</td><td>m2</td>")
                .contains("pay_link_email_device</a></td><td>e-mail, device</td><td>m1</td>")
                .contains("<td class=\"decline\">decline</td>")
                .contains("<td>fraud (review)</td>")
                .contains("pay_link_ip</a></td><td>IP</td><td>m3</td>")
                .as("a customer id is the merchant's own: another merchant's cus_a is not linked")
                .doesNotContain("pay_link_other_merchants_customer")
                .doesNotContain(">pay_link_me<");
        assertThat(html.indexOf("pay_link_same_card"))
                .as("newest first")
                .isLessThan(html.indexOf("pay_link_email_device"));
    }

    @Test
    void shouldReadACasesDetailsWithinFiftyMillisecondsAmong100000Payments() throws Exception {
        // given: 100 000 payments, a thousand on one IP and a hundred on one card
        LinkWriter links = new LinkWriter(db.dataSource(), "perf_links");
        DecisionWriter decisions = new DecisionWriter(db.dataSource(), "perf_decisions");
        Map<String, Double> features = new LinkedHashMap<>();
        for (String name : CATALOGUE.keySet()) {
            features.put(name, 1.0);
        }
        for (int batch = 0; batch < 100; batch++) {
            List<PaymentRequest> requests = new ArrayList<>();
            List<RiskDecision> decided = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                int n = batch * 1_000 + i;
                requests.add(
                        aCardPayment()
                                .paymentId("pay_perf_" + n)
                                .merchant("m" + n % 7)
                                .cardToken("tok_perf_" + n % 1_000)
                                .customer("cus_perf_" + n % 5_000)
                                .emailHash("eh_perf_" + n % 3_000)
                                .customerIp("10.0." + n % 100 + ".1")
                                .deviceId("dev_perf_" + n % 2_000)
                                .at(T0.plusSeconds(n))
                                .build());
                decided.add(decision("pay_perf_" + n, RiskAction.APPROVE, features).build());
            }
            apply(links, "payments.requests", requests);
            apply(decisions, "payments.decisions", decided);
        }
        try (Connection c = db.dataSource().getConnection();
                var s = c.createStatement()) {
            s.execute("ANALYZE payment_links");
            s.execute("ANALYZE payment_decisions");
        }

        // when: the best of 20 reads, each of another payment
        long best = Long.MAX_VALUE;
        String html = "";
        for (int i = 0; i < 20; i++) {
            long started = System.nanoTime();
            try (Connection c = db.dataSource().getConnection()) {
                html =
                        CaseDetails.decision(c, "pay_perf_" + (50_000 + i), CATALOGUE)
                                + CaseDetails.linked(c, "pay_perf_" + (50_000 + i));
            }
            best = Math.min(best, System.nanoTime() - started);
        }

        // then
        System.out.printf("case details among 100 000 payments: %.1f ms%n", best / 1e6);
        assertThat(html).contains("Linked payments").contains("card_count_10m");
        assertThat(best / 1_000_000).isLessThan(50);
    }

    static RiskDecision.Builder decision(
            String paymentId, RiskAction action, Map<String, Double> features) {
        return RiskDecision.newBuilder()
                .setPaymentId(paymentId)
                .setMerchantId("m1")
                .setCorrelationId("corr-" + paymentId)
                .setAction(action)
                .setScore(action == RiskAction.APPROVE ? 0.0 : 1.0)
                .setReasons(List.of())
                .setRulesetVersion("rs-1")
                .setFeatures(features)
                .setDecisionLatencyMicros(1_500)
                .setDecidedAt(T0);
    }

    static <V> void apply(
            org.fraudplatform.database.projection.ProjectionWriter<V> writer,
            String topic,
            List<V> values) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        for (V v : values) {
            records.add(new ConsumerRecord<>(topic, 0, offsets.getAndIncrement(), "k", v));
        }
        writer.apply(records);
    }
}
