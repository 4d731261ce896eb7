package org.fraudplatform.reconciliation;

import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.fraudplatform.runtime.deadletter.DecodingProcessor;
import org.fraudplatform.schemas.SettlementRecord;
import org.fraudplatform.schemas.topics.Topic;
import org.fraudplatform.schemas.topics.Topics;

/**
 * Reconciles the ledger with what providers settled. Run it with exactly-once processing: an item's
 * state and the record announcing it commit together.
 *
 * <pre>
 *  payments.events ─┐ decode ─▶ settlements.quarantine (undecodable)
 *  settlements.records ─┤
 *  reconciliation.resolutions ─┘
 *        ▼   (all keyed by payment id, co-partitioned)
 *   reconcile (stores reconciliation-items, reconciliation-payments, reconciliation-deadlines;
 *              wall-clock punctuation closes the windows)
 *        ├─▶ reconciliation.items (compacted: each movement's newest state, with history)
 *        ├─▶ audit.events         (resolutions)
 *        └─▶ settlements.quarantine (resolutions refused, with the reason)
 * </pre>
 */
public final class ReconciliationTopology {

    public static final String RECONCILE = "reconcile";
    public static final String ITEMS_SINK = "reconciliation-items-sink";
    public static final String AUDIT_SINK = "reconciliation-audit-sink";
    public static final String DEAD_LETTERS_SINK = "reconciliation-dead-letters-sink";

    public static final String ITEMS_STORE = "reconciliation-items";
    public static final String PAYMENTS_STORE = "reconciliation-payments";
    public static final String DEADLINES_STORE = "reconciliation-deadlines";

    private ReconciliationTopology() {}

    public static Topology build(ReconciliationSettings settings, Topics topics) {
        Topology topology = new Topology();
        String events =
                decoded(
                        topology,
                        topics.paymentEvents(),
                        e ->
                                e.getPaymentId() == null || e.getPaymentId().isBlank()
                                        ? Optional.of("paymentId is blank")
                                        : Optional.<String>empty());
        String rows =
                decoded(topology, topics.settlementRecords(), ReconciliationTopology::problem);
        String resolutions =
                decoded(
                        topology,
                        topics.reconciliationResolutions(),
                        r ->
                                r.getItemId().isBlank() || r.getResolvedBy().isBlank()
                                        ? Optional.of("itemId and resolvedBy are required")
                                        : Optional.<String>empty());
        topology.addProcessor(
                RECONCILE, () -> new ReconciliationProcessor(settings), events, rows, resolutions);
        var items = topics.reconciliationItems();
        // cached stores: a payment's events within one commit interval reach the changelog once
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(ITEMS_STORE),
                                Serdes.String(),
                                items.valueSerde())
                        .withCachingEnabled(),
                RECONCILE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(PAYMENTS_STORE),
                                Serdes.String(),
                                topics.paymentEvents().valueSerde())
                        .withCachingEnabled(),
                RECONCILE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(DEADLINES_STORE),
                                Serdes.Bytes(),
                                Serdes.ByteArray())
                        .withCachingEnabled(),
                RECONCILE);
        topology.addSink(
                ITEMS_SINK,
                items.name(),
                items.keySerde().serializer(),
                items.valueSerde().serializer(),
                RECONCILE);
        var audit = topics.audit();
        topology.addSink(
                AUDIT_SINK,
                audit.name(),
                audit.keySerde().serializer(),
                audit.valueSerde().serializer(),
                RECONCILE);
        var quarantine = topics.settlementQuarantine();
        topology.addSink(
                DEAD_LETTERS_SINK,
                quarantine.name(),
                quarantine.keySerde().serializer(),
                quarantine.valueSerde().serializer(),
                RECONCILE,
                events,
                rows,
                resolutions);
        return topology;
    }

    /** A source and its decoder for {@code topic}; returns the decoder's name. */
    private static <V> String decoded(
            Topology topology,
            Topic<String, V> topic,
            java.util.function.Function<V, Optional<String>> problem) {
        String source = topic.name() + "-source";
        String decode = source + "-decode";
        topology.addSource(
                source,
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                topic.name());
        topology.addProcessor(
                decode,
                () ->
                        new DecodingProcessor<V>(
                                decode,
                                topic.name(),
                                topic.valueSerde().deserializer(),
                                problem,
                                RECONCILE,
                                DEAD_LETTERS_SINK),
                source);
        return decode;
    }

    private static Optional<String> problem(SettlementRecord r) {
        if (r.getPaymentId().isBlank() || r.getOperationId().isBlank()) {
            return Optional.of("paymentId and operationId are required");
        }
        if (r.getAmount() <= 0) {
            return Optional.of("amount must be positive, was " + r.getAmount());
        }
        if (r.getFee() < 0) {
            return Optional.of("fee must not be negative, was " + r.getFee());
        }
        return Optional.empty();
    }
}
