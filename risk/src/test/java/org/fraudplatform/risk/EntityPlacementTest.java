package org.fraudplatform.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;
import static org.fraudplatform.schemas.testing.TestInstants.T0;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.FeatureEntity;
import org.fraudplatform.schemas.FeatureUpdate;
import org.fraudplatform.schemas.FeatureUpdateKind;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where an entity's state lives, and that where it answers from never changes a decision.
 *
 * <p>The topology test driver runs one task, of partition 0: an entity placed on partition 0 is
 * asked in place, any other through {@code risk.feature-updates} (which the driver feeds back to
 * the same task).
 */
class EntityPlacementTest {

    private static final int PARTITIONS = 6;
    private static final String PENDING_CHANGELOG =
            "risk-placement-test-" + RiskTopology.PENDING_STORE + "-changelog";
    private static RiskScorer rules;

    private final Topics topics = Topics.create(InMemorySchemaRegistry.inMemory(), PARTITIONS);

    @BeforeAll
    static void compileRules() {
        rules = RulesRiskScorer.packagedRuleset();
    }

    @Test
    void aCardsStateLivesOnThePartitionTheApiSendsTheCardsRequestsTo() {
        // The API keys a request by its instrument and leaves the partition to the producer,
        // which places a keyed record by Kafka's documented formula: murmur2 of the key's bytes,
        // made positive, modulo the partitions.
        EntityPartitioner entities = new EntityPartitioner();
        Set<Integer> used = new TreeSet<>();
        for (int i = 0; i < 200; i++) {
            String card = "tok_card_" + i;
            int requestPartition =
                    Utils.toPositive(Utils.murmur2(card.getBytes(StandardCharsets.UTF_8)))
                            % PARTITIONS;

            assertThat(
                            entities.partitions(
                                    Topics.FEATURE_UPDATES,
                                    "card:" + card,
                                    cardUpdate(card),
                                    PARTITIONS))
                    .as("card %s", card)
                    .contains(Set.of(requestPartition));
            used.add(requestPartition);
        }
        assertThat(used).as("and cards spread over every partition").hasSize(PARTITIONS);
    }

    @Test
    void withOnePartitionEveryEntityAnswersInPlaceAndNothingCrossesTheBroker() {
        try (TopologyTestDriver driver = driver(1)) {
            var updates = updates(driver);
            var parts = output(driver, topics.featureParts().name());
            var parked = output(driver, PENDING_CHANGELOG);

            pipe(driver, aCardPayment().paymentId("pay_1").cardToken("card-A").at(T0).build());

            RiskDecision decision = decisions(driver).readValue();
            assertThat(decision.getPaymentId()).isEqualTo("pay_1");
            assertThat(decision.getReasons())
                    .as("every entity answered: no FEATURES_INCOMPLETE")
                    .isEmpty();
            assertThat(decision.getFeatures()).containsEntry("card_count_10m", 1.0);
            assertThat(decision.getFeatures().keySet())
                    .as("features of all six entities")
                    .anyMatch(f -> f.startsWith("customer_"))
                    .anyMatch(f -> f.startsWith("email_"))
                    .anyMatch(f -> f.startsWith("ip_"))
                    .anyMatch(f -> f.startsWith("device_"))
                    .anyMatch(f -> f.startsWith("merchant_"));
            assertThat(updates.isEmpty()).as("no update through risk.feature-updates").isTrue();
            assertThat(parts.isEmpty()).as("no part through risk.feature-parts").isTrue();
            assertThat(parked.isEmpty())
                    .as("decided before the fan-out returned: never parked in the store")
                    .isTrue();
        }
    }

    @Test
    void aLatePaymentRefusedInPlaceIsDeadLetteredAsTheUpdateItIs() {
        try (TopologyTestDriver driver = driver(1)) {
            var dlq = topics.deadLetters();
            var letters =
                    driver.createOutputTopic(
                            dlq.name(),
                            dlq.keySerde().deserializer(),
                            dlq.valueSerde().deserializer());
            pipe(driver, aCardPayment().cardToken("card-A").at(T0.plusSeconds(600)).build());

            // ten minutes behind the card's newest payment; the grace is five
            pipe(driver, aCardPayment().paymentId("pay_late").cardToken("card-A").at(T0).build());

            List<DeadLetter> refused = letters.readValuesToList();
            assertThat(refused).isNotEmpty();
            var updateSerde = topics.featureUpdates().valueSerde().deserializer();
            assertThat(refused)
                    .allSatisfy(
                            l -> {
                                assertThat(l.getTopic()).isEqualTo(Topics.FEATURE_UPDATES);
                                assertThat(l.getPartition())
                                        .as("never a record of its own")
                                        .isEqualTo(-1);
                                FeatureUpdate update =
                                        updateSerde.deserialize(
                                                Topics.FEATURE_UPDATES,
                                                Utils.toArray(l.getValue()));
                                assertThat(update.getPaymentId()).isEqualTo("pay_late");
                            });
            assertThat(decisions(driver).readValuesToList())
                    .last()
                    .extracting(RiskDecision::getAction)
                    .isEqualTo(RiskAction.REVIEW);
        }
    }

    @Test
    void anEntityOnAnotherPartitionIsAskedThroughTheUpdatesTopic() {
        String card = keyOn(0, "card-");
        // customers are keyed within their merchant
        String customer = keyOn(3, "merchant-1/customer-").substring("merchant-1/".length());
        try (TopologyTestDriver driver = driver(PARTITIONS)) {
            var updates = updates(driver);
            var parked = output(driver, PENDING_CHANGELOG);

            pipe(
                    driver,
                    aCardPayment()
                            .paymentId("pay_1")
                            .cardToken(card)
                            .customer(customer)
                            .at(T0)
                            .build());

            List<String> asked = updates.readKeyValuesToList().stream().map(kv -> kv.key).toList();
            assertThat(asked)
                    .as("the customer lives on partition 3 of 6, away from the request's 0")
                    .contains("customer:merchant-1/" + customer)
                    .as("the card lives with its request and is asked in place")
                    .doesNotContain("card:" + card);
            assertThat(decisions(driver).readValue().getReasons()).isEmpty();
            // parked for the other entities' answers (the driver commits after every record, so
            // each part's update of the parked payment shows too), then removed once decided
            var writes = parked.readKeyValuesToList();
            assertThat(writes)
                    .extracting(kv -> new String(kv.key, StandardCharsets.UTF_8))
                    .containsOnly("pay_1");
            assertThat(writes.get(0).value).as("parked").isNotNull();
            assertThat(writes.get(writes.size() - 1).value).as("removed").isNull();
        }
    }

    @Test
    void whereAnEntityAnswersFromNeverChangesTheDecision() {
        // the same history decided with every entity in place (one partition) and with most of
        // them through the topics (six partitions, the driver's task holding partition 0)
        List<PaymentRequest> history = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            history.add(
                    aCardPayment()
                            .paymentId("pay_" + i)
                            .cardToken("card-" + (i % 2))
                            .customer("customer-" + (i % 3))
                            .deviceId("device-" + (i % 5))
                            .merchant("merchant-" + (i % 2))
                            .amount(1_000L + 700L * i)
                            .at(T0.plusSeconds(45L * i))
                            .build());
        }

        List<RiskDecision> inPlace = decide(1, history);
        List<RiskDecision> remote = decide(PARTITIONS, history);

        assertThat(remote).hasSize(history.size());
        for (int i = 0; i < history.size(); i++) {
            assertThat(remote.get(i).getPaymentId()).isEqualTo(inPlace.get(i).getPaymentId());
            assertThat(remote.get(i).getFeatures())
                    .as("features of %s", inPlace.get(i).getPaymentId())
                    .isEqualTo(inPlace.get(i).getFeatures());
            assertThat(remote.get(i).getAction()).isEqualTo(inPlace.get(i).getAction());
            assertThat(remote.get(i).getReasons()).isEqualTo(inPlace.get(i).getReasons());
        }
        assertThat(inPlace.stream().map(RiskDecision::getAction).distinct())
                .as("the history approves and declines (six payments of a card in ten minutes)")
                .hasSizeGreaterThan(1);
    }

    private List<RiskDecision> decide(int partitions, List<PaymentRequest> history) {
        try (TopologyTestDriver driver = driver(partitions)) {
            var decisions = decisions(driver);
            List<RiskDecision> out = new ArrayList<>();
            for (PaymentRequest request : history) {
                pipe(driver, request);
                out.addAll(decisions.readValuesToList());
            }
            return out;
        }
    }

    /** A key with the given prefix whose state lives on partition p of six. */
    private static String keyOn(int p, String prefix) {
        return IntStream.range(0, 1_000)
                .mapToObj(i -> prefix + i)
                .filter(k -> EntityPartitioner.partitionOf(k, PARTITIONS) == p)
                .findFirst()
                .orElseThrow();
    }

    private static FeatureUpdate cardUpdate(String card) {
        return FeatureUpdate.newBuilder()
                .setKind(FeatureUpdateKind.PAYMENT)
                .setEntity(FeatureEntity.CARD)
                .setEntityKey(card)
                .setPaymentId("pay_1")
                .setEventTime(T0)
                .build();
    }

    private TopologyTestDriver driver(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-placement-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(
                RiskTopology.build(RiskSettings.DEFAULTS, topics, rules, partitions), props, T0);
    }

    private void pipe(TopologyTestDriver driver, PaymentRequest request) {
        var req = topics.paymentRequests();
        driver.createInputTopic(
                        req.name(), req.keySerde().serializer(), req.valueSerde().serializer())
                .pipeInput(
                        org.fraudplatform.schemas.topics.Keys.instrumentKey(request),
                        request,
                        request.getEventTime());
    }

    private TestOutputTopic<String, RiskDecision> decisions(TopologyTestDriver driver) {
        var dec = topics.paymentDecisions();
        return driver.createOutputTopic(
                dec.name(), dec.keySerde().deserializer(), dec.valueSerde().deserializer());
    }

    private TestOutputTopic<String, FeatureUpdate> updates(TopologyTestDriver driver) {
        var up = topics.featureUpdates();
        return driver.createOutputTopic(
                up.name(), up.keySerde().deserializer(), up.valueSerde().deserializer());
    }

    private static TestOutputTopic<byte[], byte[]> output(TopologyTestDriver driver, String name) {
        return driver.createOutputTopic(
                name,
                org.apache.kafka.common.serialization.Serdes.ByteArray().deserializer(),
                org.apache.kafka.common.serialization.Serdes.ByteArray().deserializer());
    }
}
