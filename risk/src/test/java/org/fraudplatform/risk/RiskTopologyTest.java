package org.fraudplatform.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;
import static org.fraudplatform.schemas.testing.TestInstants.T0;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.features.Entity;
import org.fraudplatform.features.EntityHistory;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.FeatureEntity;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.PendingDecision;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RiskTopologyTest {

    private static RiskScorer rules;

    private final Topics topics = Topics.create(InMemorySchemaRegistry.inMemory(), 3);
    private TopologyTestDriver driver;
    private TestInputTopic<String, PaymentRequest> requests;
    private TestInputTopic<byte[], byte[]> rawRequests;
    private TestOutputTopic<String, RiskDecision> decisions;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;

    @BeforeAll
    static void compileRules() {
        rules = RulesRiskScorer.packagedRuleset();
    }

    private void start(RiskScorer scorer) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver =
                new TopologyTestDriver(
                        RiskTopology.build(RiskSettings.DEFAULTS, topics, scorer), props, T0);
        var req = topics.paymentRequests();
        requests =
                driver.createInputTopic(
                        req.name(), req.keySerde().serializer(), req.valueSerde().serializer());
        rawRequests =
                driver.createInputTopic(
                        req.name(),
                        Serdes.ByteArray().serializer(),
                        Serdes.ByteArray().serializer());
        var dec = topics.paymentDecisions();
        decisions =
                driver.createOutputTopic(
                        dec.name(), dec.keySerde().deserializer(), dec.valueSerde().deserializer());
        var dlq = topics.deadLetters();
        deadLetters =
                driver.createOutputTopic(
                        dlq.name(), dlq.keySerde().deserializer(), dlq.valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void pipe(PaymentRequest request) {
        requests.pipeInput("ignored-key", request, request.getEventTime());
    }

    @Test
    void shouldApproveAnOrdinaryPaymentAndReportTheFeaturesItUsed() {
        start(rules);

        pipe(aCardPayment().paymentId("pay_1").cardToken("card-A").amount(25_00).at(T0).build());

        RiskDecision decision = decisions.readValue();
        assertThat(decision.getPaymentId()).isEqualTo("pay_1");
        assertThat(decision.getAction()).isEqualTo(RiskAction.APPROVE);
        assertThat(decision.getReasons()).isEmpty();
        assertThat(decision.getRulesetVersion()).isEqualTo(rules.rulesetVersion());
        assertThat(decision.getFeatures())
                .containsEntry("card_count_10m", 1.0)
                .containsEntry("card_sum_amount_1d", 25_00.0);
        assertThat(decisions.isEmpty()).as("and nothing else was emitted").isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldDeclineTheSixthPaymentOfACardWithinTenMinutes() {
        // given five payments on card A within ten minutes
        start(rules);
        for (int i = 0; i < 5; i++) {
            pipe(aCardPayment().cardToken("card-A").at(T0.plusSeconds(60L * i)).build());
        }
        assertThat(decisions.readValuesToList())
                .extracting(RiskDecision::getAction)
                .containsOnly(RiskAction.APPROVE);

        // when a sixth arrives
        pipe(aCardPayment().paymentId("pay_6").cardToken("card-A").at(T0.plusSeconds(300)).build());

        // then
        RiskDecision sixth = decisions.readValue();
        assertThat(sixth.getPaymentId()).isEqualTo("pay_6");
        assertThat(sixth.getAction()).isEqualTo(RiskAction.DECLINE);
        assertThat(sixth.getReasons())
                .extracting(ReasonCode::getCode)
                .contains("VELOCITY_CARD_10M");
        assertThat(sixth.getFeatures()).containsEntry("card_count_10m", 6.0);
        assertThat(decisions.isEmpty()).as("and nothing else was emitted").isTrue();
    }

    @Test
    void shouldCountEachCardOnItsOwn() {
        start(rules);
        for (int i = 0; i < 6; i++) {
            pipe(
                    aCardPayment()
                            .cardToken(i % 2 == 0 ? "card-A" : "card-B")
                            .at(T0.plusSeconds(i))
                            .build());
        }

        assertThat(decisions.readValuesToList())
                .extracting(RiskDecision::getAction)
                .containsOnly(RiskAction.APPROVE);
    }

    @Test
    void shouldStopCountingPaymentsOnceTheyAreTenMinutesOld() {
        start(rules);
        for (int i = 0; i < 5; i++) {
            pipe(aCardPayment().cardToken("card-A").at(T0.plusSeconds(i)).build());
        }
        decisions.readValuesToList();

        pipe(
                aCardPayment()
                        .cardToken("card-A")
                        .at(T0.plus(Duration.ofMinutes(10)).plusSeconds(1))
                        .build());

        RiskDecision decision = decisions.readValue();
        assertThat(decision.getFeatures()).containsEntry("card_count_10m", 4.0);
        assertThat(decision.getAction()).isEqualTo(RiskAction.APPROVE);
    }

    @Test
    void shouldHoldALargePaymentOnACardFirstSeenTodayForReview() {
        start(rules);

        pipe(aCardPayment().cardToken("card-new").amount(1_500_00).at(T0).build());

        RiskDecision decision = decisions.readValue();
        assertThat(decision.getAction()).isEqualTo(RiskAction.REVIEW);
        assertThat(decision.getReasons())
                .extracting(ReasonCode::getCode)
                .contains("NEW_CARD_LARGE_AMOUNT");
    }

    @Test
    void shouldNotHoldOneHundredThousandYenOnANewCardAsAThousandEuros() {
        start(rules);
        PaymentRequest yen = aCardPayment().cardToken("card-new").amount(100_000).at(T0).build();
        yen.setCurrency("JPY");

        pipe(yen);

        // 100000 JPY is about 600.00 EUR: under the 1 000.00 EUR of NEW_CARD_LARGE_AMOUNT
        RiskDecision decision = decisions.readValue();
        assertThat(decision.getAction()).isEqualTo(RiskAction.APPROVE);
        assertThat(decision.getFeatures()).containsEntry("card_sum_amount_1d", 600_00.0);
        assertThat(decisions.isEmpty()).as("and nothing else was emitted").isTrue();
    }

    @Test
    void shouldSumAndAverageACardsPaymentsInEurosWhateverTheirCurrency() {
        // given 100.00 EUR on card A
        start(rules);
        pipe(aCardPayment().cardToken("card-A").amount(100_00).at(T0).build());
        // when 10000 JPY (60.00 EUR) and 10.000 KWD (30.00 EUR) follow on the same card
        PaymentRequest yen =
                aCardPayment().cardToken("card-A").amount(10_000).at(T0.plusSeconds(60)).build();
        yen.setCurrency("JPY");
        PaymentRequest dinars =
                aCardPayment().cardToken("card-A").amount(10_000).at(T0.plusSeconds(120)).build();
        dinars.setCurrency("KWD");
        pipe(yen);
        pipe(dinars);

        // then the card's sum and average are of euro cents, not of mixed minor units
        List<RiskDecision> all = decisions.readValuesToList();
        assertThat(all).hasSize(3);
        assertThat(all.get(1).getFeatures())
                .containsEntry("card_sum_amount_1d", 160_00.0)
                .containsEntry("card_avg_amount_1d", 80_00.0);
        assertThat(all.get(2).getFeatures())
                .containsEntry("card_sum_amount_1d", 190_00.0)
                .containsEntry("card_avg_amount_1d", 190_00.0 / 3);
    }

    @Test
    void shouldCountDecisionsByActionTheirReasonsTheRulesThatFiredAndDeadLetters() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        io.micrometer.core.instrument.Metrics.addRegistry(meters);
        try {
            // given six payments of one card within ten minutes: five approved, one declined
            start(rules);
            for (int i = 0; i < 6; i++) {
                pipe(aCardPayment().cardToken("card-A").at(T0.plusSeconds(60L * i)).build());
            }
            List<RiskDecision> decided = decisions.readValuesToList();
            PaymentRequest tugrik = aCardPayment().paymentId("pay_mnt").amount(100_000).build();
            tugrik.setCurrency("MNT");
            pipe(tugrik);

            // then every decision is counted by its action
            assertThat(meters.get("risk_decisions").tag("action", "approve").counter().count())
                    .isEqualTo(5);
            assertThat(meters.get("risk_decisions").tag("action", "decline").counter().count())
                    .isEqualTo(1);
            assertThat(meters.get("risk_decisions").tag("action", "review").counter().count())
                    .isZero();
            // each reason by its code, each rule among the reasons by its name
            RiskDecision declined = decided.get(5);
            assertThat(
                            meters.get("risk_decision_reasons")
                                    .tag("reason", "VELOCITY_CARD_10M")
                                    .counter()
                                    .count())
                    .isEqualTo(1);
            for (ReasonCode reason : declined.getReasons()) {
                assertThat(reason.getSource()).startsWith("rule:");
                assertThat(
                                meters.get("rule_hits")
                                        .tag("rule", reason.getSource().substring(5))
                                        .tag("mode", "live")
                                        .counter()
                                        .count())
                        .isEqualTo(1);
            }
            // and the request refused as invalid by where it came from
            assertThat(
                            meters.get("dead_letters")
                                    .tag("topic", topics.paymentRequests().name())
                                    .counter()
                                    .count())
                    .isEqualTo(1);
        } finally {
            io.micrometer.core.instrument.Metrics.removeRegistry(meters);
        }
    }

    @Test
    void shouldSendARequestInACurrencyWithoutRateToTheDeadLetterTopic() {
        start(rules);
        PaymentRequest tugrik = aCardPayment().paymentId("pay_mnt").amount(100_000).build();
        tugrik.setCurrency("MNT");

        pipe(tugrik);

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getError())
                .isEqualTo(
                        "invalid value: currency MNT has no rate in the currency rate table"
                                + " (reference EUR)");
        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void shouldCarryTheReplyPartitionOfTheRequestOntoTheDecision() {
        start(rules);

        pipe(aCardPayment().replyPartition(2).build());

        assertThat(decisions.readValue().getReplyPartition()).isEqualTo(2);
    }

    @Test
    void shouldSendAnUndecodableRecordToTheDeadLetterTopicAndKeepGoing() {
        // given
        start(rules);
        byte[] garbage = "{not avro}".getBytes(StandardCharsets.UTF_8);

        // when
        rawRequests.pipeInput("card-A".getBytes(StandardCharsets.UTF_8), garbage, T0);
        pipe(aCardPayment().paymentId("pay_after").at(T0.plusSeconds(1)).build());

        // then the bad record is kept with its bytes, position and reason
        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getTopic()).isEqualTo(Topics.PAYMENT_REQUESTS);
        assertThat(letter.getOffset()).isZero();
        assertThat(letter.getValue().array()).isEqualTo(garbage);
        assertThat(letter.getError()).startsWith("cannot decode value");
        assertThat(letter.getProcessor()).isEqualTo(RiskTopology.DECODE);
        assertThat(deadLetters.isEmpty()).isTrue();
        // and the next good record is decided
        assertThat(decisions.readValue().getPaymentId()).isEqualTo("pay_after");
        assertThat(decisions.isEmpty()).as("and nothing else was emitted").isTrue();
    }

    @Test
    void shouldSendARequestWithoutAPositiveAmountToTheDeadLetterTopic() {
        start(rules);

        pipe(aCardPayment().paymentId("pay_zero").amount(0).build());

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getError()).isEqualTo("invalid value: amount must be positive, was 0");
        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void shouldHoldThePaymentForReviewWhenTheScorerFails() {
        start(
                new RiskScorer() {
                    @Override
                    public Verdict score(
                            PaymentRequest request,
                            Map<String, Double> features,
                            org.fraudplatform.rules.facts.Lists lists) {
                        throw new IllegalStateException("rule blew up");
                    }

                    @Override
                    public String rulesetVersion() {
                        return "broken-1";
                    }
                });

        pipe(aCardPayment().paymentId("pay_err").build());

        RiskDecision decision = decisions.readValue();
        assertThat(decision.getAction()).isEqualTo(RiskAction.REVIEW);
        assertThat(decision.getReasons())
                .extracting(ReasonCode::getCode)
                .containsExactly("RISK_ENGINE_ERROR");
        assertThat(decision.getRulesetVersion()).isEqualTo("broken-1");
    }

    @Test
    void shouldForgetAnEntityOnceNothingItHoldsCanAffectAFeature() {
        // given card A seen once
        start(rules);
        pipe(aCardPayment().cardToken("card-A").at(T0).build());
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(RiskTopology.ENTITY_STORE);
        assertThat(store.get("card:card-A")).isNotNull();
        Duration cardRetention = RiskSettings.DEFAULTS.catalogue().retention(Entity.CARD);
        Duration merchantRetention = RiskSettings.DEFAULTS.catalogue().retention(Entity.MERCHANT);

        // when wall-clock time passes the merchant's retention (37 d + grace) and a clean-up runs
        driver.advanceWallClockTime(
                merchantRetention.plus(RiskSettings.DEFAULTS.cleanupInterval()).plusMinutes(1));

        // then its state is gone, while the card's (44 d + grace) is kept
        assertThat(store.get("merchant:merchant-1")).isNull();
        assertThat(store.get("card:card-A")).isNotNull();

        // and once the card's retention has passed too, the card's goes as well
        driver.advanceWallClockTime(cardRetention.minus(merchantRetention));
        assertThat(store.get("card:card-A")).isNull();
    }

    @Test
    void shouldKeepAnEntityThatIsStillWithinItsRetention() {
        start(rules);
        pipe(aCardPayment().cardToken("card-A").at(T0).build());
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(RiskTopology.ENTITY_STORE);

        driver.advanceWallClockTime(Duration.ofDays(29));

        assertThat(EntityHistory.fromBytes(store.get("card:card-A")).storedPayments()).isEqualTo(1);
    }

    @Test
    void shouldGatherTheFeaturesOfEveryEntityThePaymentNames() {
        start(rules);
        pipe(aCardPayment().cardToken("card-A").customerIp("198.51.100.1").at(T0).build());

        pipe(
                aCardPayment()
                        .paymentId("pay_2")
                        .cardToken("card-B")
                        .customerIp("198.51.100.1")
                        .at(T0.plusSeconds(30))
                        .build());

        decisions.readValue();
        RiskDecision second = decisions.readValue();
        assertThat(second.getFeatures())
                .containsEntry("card_count_1h", 1.0)
                .containsEntry("ip_count_1h", 2.0)
                .containsEntry("ip_distinct_cards_1d", 2.0)
                .containsEntry("device_count_1h", 2.0)
                .containsEntry("merchant_count_1d", 2.0)
                .containsEntry("merchant_fraud_rate_30d_lag7d", 0.0);
        assertThat(RiskSettings.DEFAULTS.catalogue().names())
                .as("every feature the decision carries is a catalogue feature")
                .containsAll(second.getFeatures().keySet());
    }

    @Test
    void shouldRecordWhatAShadowRuleWouldHaveDoneWithoutLettingItDecide() {
        // given two cards already used on device-1 today
        start(rules);
        pipe(aCardPayment().cardToken("card-A").deviceId("device-1").at(T0).build());
        pipe(
                aCardPayment()
                        .cardToken("card-B")
                        .deviceId("device-1")
                        .at(T0.plusSeconds(60))
                        .build());

        // when a third card pays from it (the packaged trial rule declines from three)
        pipe(
                aCardPayment()
                        .paymentId("pay_third")
                        .cardToken("card-C")
                        .deviceId("device-1")
                        .at(T0.plusSeconds(120))
                        .build());

        // then
        RiskDecision third = decisions.readValuesToList().get(2);
        assertThat(third.getPaymentId()).isEqualTo("pay_third");
        assertThat(third.getAction()).isEqualTo(RiskAction.APPROVE);
        assertThat(third.getShadowAction()).isEqualTo(RiskAction.DECLINE);
        assertThat(third.getShadowReasons())
                .extracting(ReasonCode::getCode)
                .containsExactly("CARD_TESTING_DEVICE_STRICT");
    }

    @Test
    void shouldDeclineAPaymentFromABlockedIpUntilTheEntryExpiresOrIsRemoved() {
        start(rules);
        listEntry("blocked_ips", "198.51.100.66", T0.plus(Duration.ofHours(1)));

        pipe(aCardPayment().paymentId("pay_blocked").customerIp("198.51.100.66").at(T0).build());
        pipe(
                aCardPayment()
                        .paymentId("pay_after_expiry")
                        .customerIp("198.51.100.66")
                        .at(T0.plus(Duration.ofHours(2)))
                        .build());
        listEntry("blocked_ips", "198.51.100.66", null);
        removeListEntry("blocked_ips", "198.51.100.66");
        pipe(
                aCardPayment()
                        .paymentId("pay_after_removal")
                        .customerIp("198.51.100.66")
                        .at(T0.plus(Duration.ofHours(3)))
                        .build());

        List<RiskDecision> all = decisions.readValuesToList();
        assertThat(all.get(0).getAction()).isEqualTo(RiskAction.DECLINE);
        assertThat(all.get(0).getReasons()).extracting(ReasonCode::getCode).contains("BLOCKED_IP");
        assertThat(all.get(1).getReasons())
                .extracting(ReasonCode::getCode)
                .doesNotContain("BLOCKED_IP");
        assertThat(all.get(2).getReasons())
                .extracting(ReasonCode::getCode)
                .doesNotContain("BLOCKED_IP");
    }

    private void listEntry(String list, String value, Instant expiresAt) {
        var topic = topics.lists();
        driver.createInputTopic(
                        topic.name(),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer())
                .pipeInput(
                        list + ":" + value,
                        org.fraudplatform.schemas.ListEntry.newBuilder()
                                .setList(list)
                                .setValue(value)
                                .setNote("test")
                                .setAuthor("analyst")
                                .setAddedAt(T0)
                                .setExpiresAt(expiresAt)
                                .build());
    }

    private void removeListEntry(String list, String value) {
        driver.createInputTopic(
                        topics.lists().name(),
                        Serdes.String().serializer(),
                        Serdes.ByteArray().serializer())
                .pipeInput(list + ":" + value, null);
    }

    @Test
    void shouldCountAReplayedRequestOnce() {
        start(rules);
        PaymentRequest request = aCardPayment().paymentId("pay_1").cardToken("card-A").build();

        pipe(request);
        pipe(request);

        assertThat(decisions.readValuesToList())
                .extracting(d -> d.getFeatures().get("card_count_10m"))
                .containsExactly(1.0, 1.0);
    }

    @Test
    void shouldCountADeclineFromTheLedgerInTheCardsNextPayments() {
        // given a payment on card A that the ledger then records as declined
        start(rules);
        pipe(aCardPayment().paymentId("pay_1").cardToken("card-A").at(T0).build());
        ledger(event("pay_1", PaymentEventType.DECLINED, "card-A", T0.plusSeconds(1), "51"));

        // when the card pays again
        pipe(aCardPayment().paymentId("pay_2").cardToken("card-A").at(T0.plusSeconds(60)).build());

        // then
        List<RiskDecision> both = decisions.readValuesToList();
        assertThat(both.get(0).getFeatures()).containsEntry("card_declines_1h", 0.0);
        assertThat(both.get(1).getFeatures()).containsEntry("card_declines_1h", 1.0);
    }

    @Test
    void shouldCountAFraudChargebackInTheMerchantsRateOnlyOnceTheLabelDelayHasPassed() {
        // given a payment at T0 that a fraud chargeback (Visa 10.4) labels a day later
        start(rules);
        pipe(aCardPayment().paymentId("pay_1").cardToken("card-A").at(T0).build());
        ledger(
                event(
                        "pay_1",
                        PaymentEventType.CHARGEBACK_OPENED,
                        "card-A",
                        T0.plus(Duration.ofDays(1)),
                        "10.4"));

        // when the merchant is paid six days later, and again eight days later
        pipe(aCardPayment().cardToken("card-B").at(T0.plus(Duration.ofDays(6))).build());
        pipe(aCardPayment().cardToken("card-C").at(T0.plus(Duration.ofDays(8))).build());

        // then the lagged window (t − 7 d − 7 d, t − 7 d] holds pay_1 only for the second
        List<RiskDecision> all = decisions.readValuesToList();
        assertThat(all.get(1).getFeatures()).containsEntry("merchant_fraud_rate_7d_lag7d", 0.0);
        assertThat(all.get(2).getFeatures())
                .containsEntry("merchant_count_7d_lag7d", 1.0)
                .containsEntry("merchant_fraud_rate_7d_lag7d", 1.0);
    }

    @Test
    void shouldSendAPaymentLaterThanTheGraceToTheDeadLetterTopicAndHoldItForReview() {
        // given card A's newest payment at T0 + 10 min
        start(rules);
        pipe(aCardPayment().cardToken("card-A").at(T0.plus(Duration.ofMinutes(10))).build());
        decisions.readValue();

        // when a payment of card A from T0 arrives, ten minutes behind (the grace is five)
        pipe(aCardPayment().paymentId("pay_late").cardToken("card-A").at(T0).build());

        // then every entity that already saw later payments refuses it, with the reason
        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).isNotEmpty();
        assertThat(letters)
                .allSatisfy(
                        l -> {
                            assertThat(l.getProcessor()).isEqualTo(RiskTopology.ENTITY_FEATURES);
                            assertThat(l.getTopic()).isEqualTo(Topics.FEATURE_UPDATES);
                            assertThat(l.getError()).contains("pay_late", "grace");
                        });
        // and the payment is still decided, not approved on missing features
        RiskDecision decision = decisions.readValue();
        assertThat(decision.getPaymentId()).isEqualTo("pay_late");
        assertThat(decision.getAction()).isEqualTo(RiskAction.REVIEW);
        assertThat(decision.getReasons())
                .extracting(ReasonCode::getCode)
                .contains(DecisionJoin.FEATURES_INCOMPLETE);
        assertThat(decision.getFeatures()).doesNotContainKey("card_count_10m");
    }

    @Test
    void shouldDecideAPaymentWhoseFeaturesDoNotArriveWithinTheTimeoutForReview() {
        // given a payment parked in the join whose card and merchant parts never come
        start(rules);
        KeyValueStore<String, PendingDecision> store =
                driver.getKeyValueStore(RiskTopology.PENDING_STORE);
        PaymentRequest request = aCardPayment().paymentId("pay_stuck").replyPartition(1).build();
        store.put(
                "pay_stuck",
                PendingDecision.newBuilder()
                        .setRequest(request)
                        .setExpected(List.of(FeatureEntity.CARD, FeatureEntity.MERCHANT))
                        .setStartedAtMicros(0)
                        .setTimeoutAtMillis(
                                T0.toEpochMilli()
                                        + RiskSettings.DEFAULTS.featureTimeout().toMillis())
                        .build());

        // when the timeout passes
        driver.advanceWallClockTime(RiskSettings.DEFAULTS.featureTimeout().plusMillis(300));

        // then
        RiskDecision decision = decisions.readValue();
        assertThat(decision.getPaymentId()).isEqualTo("pay_stuck");
        assertThat(decision.getAction()).isEqualTo(RiskAction.REVIEW);
        assertThat(decision.getReplyPartition()).isEqualTo(1);
        assertThat(decision.getReasons())
                .extracting(ReasonCode::getMessage)
                .anySatisfy(m -> assertThat(m).contains("no card, merchant features"));
        assertThat(store.get("pay_stuck")).isNull();
    }

    private void ledger(PaymentEvent event) {
        var topic = topics.paymentEvents();
        driver.createInputTopic(
                        topic.name(),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer())
                .pipeInput(event.getPaymentId(), event, event.getEventTime());
    }

    private static PaymentEvent event(
            String paymentId, PaymentEventType type, String card, Instant at, String reason) {
        return PaymentEvent.newBuilder()
                .setEventId(paymentId + "-" + type)
                .setPaymentId(paymentId)
                .setMerchantId("merchant-1")
                .setType(type)
                .setAmount(25_00)
                .setCurrency("EUR")
                .setInstrumentKey(card)
                .setPaymentMethod(PaymentMethodType.CARD)
                .setReasonCode(reason)
                .setEventTime(at)
                .setPaymentTime(T0)
                .build();
    }
}
