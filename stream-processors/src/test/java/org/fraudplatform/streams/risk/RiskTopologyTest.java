package org.fraudplatform.streams.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;
import static org.fraudplatform.schemas.testing.TestInstants.T0;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Topics;
import org.fraudplatform.streams.velocity.CardHistory;
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
                    public Verdict score(PaymentRequest request, Map<String, Double> features) {
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
    void shouldForgetACardIdleForLongerThanTheRetention() {
        // given card A seen once
        start(rules);
        pipe(aCardPayment().cardToken("card-A").at(T0).build());
        KeyValueStore<String, CardHistory> store =
                driver.getKeyValueStore(RiskTopology.CARD_VELOCITY_STORE);
        assertThat(store.get("card-A")).isNotNull();

        // when wall-clock time passes the retention
        driver.advanceWallClockTime(
                RiskSettings.DEFAULTS
                        .idleCardRetention()
                        .plus(RiskSettings.DEFAULTS.cleanupInterval())
                        .plusMinutes(1));

        // then its state is gone
        assertThat(store.get("card-A")).isNull();
    }

    @Test
    void shouldKeepACardThatIsStillWithinTheRetention() {
        start(rules);
        pipe(aCardPayment().cardToken("card-A").at(T0).build());
        KeyValueStore<String, CardHistory> store =
                driver.getKeyValueStore(RiskTopology.CARD_VELOCITY_STORE);

        driver.advanceWallClockTime(Duration.ofDays(29));

        assertThat(store.get("card-A")).isNotNull();
        assertThat(List.of(store.get("card-A").storedEvents())).containsExactly(1);
    }
}
