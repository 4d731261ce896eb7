package org.fraudplatform.streams.risk;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.fraudplatform.schemas.topics.Topics;
import org.fraudplatform.streams.deadletter.DecodingProcessor;
import org.fraudplatform.streams.velocity.CardHistorySerde;

/**
 * The risk topology: payment request → velocity features → rules → decision.
 *
 * <ul>
 *   <li>Input: {@code payments.requests}, key = instrument key (card token), value = PaymentRequest
 *       (Avro, Confluent wire format).
 *   <li>Output: {@code payments.decisions}, key = payment id, value = RiskDecision, on the
 *       partition named by the request's reply partition; {@code payments.dlq} gets every record
 *       that does not decode or is invalid, with the reason.
 *   <li>State: {@code card-velocity} (RocksDB), instrument key → the card's payments of the last 24
 *       h and its first-seen time.
 *   <li>Time: event time of the request; windows (t − N, t] include the current payment.
 *   <li>Logic: per card: COUNT(10 min) &gt; 5 → decline (VELOCITY_CARD_10M); the rest lives in the
 *       rule files.
 * </ul>
 *
 * <p>One hop: the request partition owns the card's state, so a decision needs no repartition.
 */
public final class RiskTopology {

    public static final String SOURCE = "payment-requests-source";
    public static final String DECODE = "decode-payment-request";
    public static final String SCORE = "score-payment";
    public static final String DECISIONS_SINK = "payment-decisions-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    public static final String CARD_VELOCITY_STORE = "card-velocity";

    private RiskTopology() {}

    public static Topology build(RiskSettings settings, Topics topics, RiskScorer scorer) {
        var requests = topics.paymentRequests();
        var decisions = topics.paymentDecisions();
        var deadLetters = topics.deadLetters();

        Topology topology = new Topology();
        topology.addSource(
                SOURCE,
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                requests.name());
        topology.addProcessor(
                DECODE,
                () ->
                        new DecodingProcessor<>(
                                DECODE,
                                requests.name(),
                                requests.valueSerde().deserializer(),
                                PaymentRequestChecks::problem,
                                SCORE,
                                DEAD_LETTERS_SINK),
                SOURCE);
        topology.addProcessor(SCORE, () -> new RiskProcessor(settings, scorer), DECODE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CARD_VELOCITY_STORE),
                        Serdes.String(),
                        new CardHistorySerde()),
                SCORE);
        topology.addSink(
                DECISIONS_SINK,
                decisions.name(),
                decisions.keySerde().serializer(),
                decisions.valueSerde().serializer(),
                new ReplyPartitioner(),
                SCORE);
        topology.addSink(
                DEAD_LETTERS_SINK,
                deadLetters.name(),
                deadLetters.keySerde().serializer(),
                deadLetters.valueSerde().serializer(),
                DECODE);
        return topology;
    }
}
