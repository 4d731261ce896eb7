package org.fraudplatform.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.fraudplatform.schemas.ListEntry;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Keys;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The online side of the tests that hold offline decisions equal to the platform's: a history of
 * payment requests and ledger events replayed, in order, through the risk topology in a {@link
 * TopologyTestDriver}, after the given list entries.
 */
public final class RiskReplay {

    private RiskReplay() {}

    /**
     * @param history {@link PaymentRequest}s and {@link PaymentEvent}s in the order they happened
     * @return every decision by payment id, in the order they were made; a payment decided twice
     *     fails the test
     */
    public static Map<String, RiskDecision> decide(
            RiskScorer scorer, List<ListEntry> entries, List<Object> history) {
        Topics topics = Topics.create(InMemorySchemaRegistry.inMemory(), 3);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        Map<String, RiskDecision> decisions = new LinkedHashMap<>();
        try (TopologyTestDriver driver =
                new TopologyTestDriver(
                        RiskTopology.build(RiskSettings.DEFAULTS, topics, scorer), props)) {
            var li = topics.lists();
            TestInputTopic<String, ListEntry> lists =
                    driver.createInputTopic(
                            li.name(), li.keySerde().serializer(), li.valueSerde().serializer());
            entries.forEach(e -> lists.pipeInput(e.getList() + ":" + e.getValue(), e));
            var req = topics.paymentRequests();
            TestInputTopic<String, PaymentRequest> requests =
                    driver.createInputTopic(
                            req.name(), req.keySerde().serializer(), req.valueSerde().serializer());
            var ev = topics.paymentEvents();
            TestInputTopic<String, PaymentEvent> events =
                    driver.createInputTopic(
                            ev.name(), ev.keySerde().serializer(), ev.valueSerde().serializer());
            var dec = topics.paymentDecisions();
            TestOutputTopic<String, RiskDecision> out =
                    driver.createOutputTopic(
                            dec.name(),
                            dec.keySerde().deserializer(),
                            dec.valueSerde().deserializer());
            for (Object item : history) {
                if (item instanceof PaymentRequest r) {
                    requests.pipeInput(Keys.instrumentKey(r), r, r.getEventTime());
                } else {
                    PaymentEvent e = (PaymentEvent) item;
                    events.pipeInput(e.getPaymentId(), e, e.getEventTime());
                }
            }
            for (RiskDecision d : out.readValuesToList()) {
                assertThat(decisions.put(d.getPaymentId(), d))
                        .as("one decision per payment")
                        .isNull();
            }
        }
        return decisions;
    }
}
