package org.fraudplatform.risk;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;
import org.fraudplatform.runtime.ReplyPartitioner;
import org.fraudplatform.runtime.deadletter.DecodingProcessor;
import org.fraudplatform.schemas.FeaturePart;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The risk topology: payment request → every entity's features → rules → decision.
 *
 * <p>A payment names up to six entities (card, customer, email, IP, device, merchant), each on its
 * own key. Their state is partitioned by entity, not locked globally: an entity lives on the
 * partition its bare key hashes to ({@link EntityPartitioner}), the way a request keyed by that key
 * would. The card keys the request, so the task that reads a request holds its card; other entities
 * are on the request's partition by chance (one in as many as there are partitions). A decision
 * asks the entities on its own partition in place and the others through two repartition topics:
 *
 * <pre>
 *  payments.requests (key card)          payments.events (key payment id)
 *        │ decode ─▶ payments.dlq               │ decode ─▶ payments.dlq
 *        ▼                                      ▼
 *   fan-out: park the request              outcomes: declines → card,
 *   (store risk-pending-decisions)          fraud chargebacks → merchant
 *        │ entity on this partition          │
 *        │ (the card) ───────────┐           │
 *        │ other entities        │           │
 *        ▼                       │           ▼
 *  risk.feature-updates (key "&lt;entity&gt;:&lt;key&gt;", partition of "&lt;key&gt;") ◀──┘
 *        │ decode ─▶ payments.dlq │
 *        ▼                        ▼
 *   entity features: record, read (store risk-entity-features);
 *   later than the grace ─▶ payments.dlq, and a part that says so
 *        │ a part for another partition   │ a part for this partition
 *        ▼                                │
 *  risk.feature-parts (key payment id;    │
 *    co-partitioned with payments.requests)│
 *        │ decode ─▶ payments.dlq          │
 *        ▼                                 ▼
 *   join: all parts in (or the feature timeout) → score → decision
 *        ▼
 *  payments.decisions (key payment id, partition = the API instance's reply partition)
 * </pre>
 *
 * <p>Requests, updates and parts are one sub-topology: the task of partition p reads p of all three
 * and holds both stores, so the three topics must be co-partitioned. With one partition every
 * entity answers in place and a decision takes one topic hop (requests → decisions); with n, a
 * payment naming k entities besides the card sends about k(n−1)/n updates and as many parts through
 * the broker. Time is event time throughout: windows are the catalogue's.
 *
 * <p>Three global stores, read in full by every instance, hold what decides: the block and allow
 * lists ({@code rules.lists} → {@link #LISTS_STORE}), the ruleset deployed last ({@code
 * rules.rulesets} → {@link #RULESETS_STORE}, {@link RulesetUpdater}) and the model registry ({@code
 * models} → {@link #MODELS_STORE}, {@code ModelUpdater}), the last two given as {@link
 * ReleaseStore}s ({@code LiveReleases} makes them). A release is checked, compiled or loaded in the
 * global thread and swapped into what decides between two payments; the stream threads start when
 * the global stores are read to the end.
 */
public final class RiskTopology {

    public static final String SOURCE = "payment-requests-source";
    public static final String DECODE = "decode-payment-request";
    public static final String FAN_OUT = "fan-out-to-entities";
    public static final String UPDATES_SINK = "feature-updates-sink";
    public static final String PARTS_SOURCE = "feature-parts-source";
    public static final String DECODE_PARTS = "decode-feature-part";
    public static final String JOIN = "join-features-and-score";
    public static final String DECISIONS_SINK = "payment-decisions-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";

    public static final String UPDATES_SOURCE = "feature-updates-source";
    public static final String DECODE_UPDATES = "decode-feature-update";
    public static final String ENTITY_FEATURES = "entity-features";
    public static final String FEATURE_PARTS_SINK = "feature-parts-sink";
    public static final String ENTITY_DEAD_LETTERS_SINK = "entity-dead-letters-sink";

    public static final String EVENTS_SOURCE = "payment-events-source";
    public static final String DECODE_EVENTS = "decode-payment-event";
    public static final String OUTCOMES = "route-outcomes";
    public static final String OUTCOME_UPDATES_SINK = "outcome-updates-sink";
    public static final String EVENTS_DEAD_LETTERS_SINK = "events-dead-letters-sink";

    public static final String PENDING_STORE = "risk-pending-decisions";
    public static final String ENTITY_STORE = "risk-entity-features";
    public static final String LISTS_STORE = "risk-lists";
    public static final String LISTS_SOURCE = "lists-source";
    public static final String LISTS_UPDATER = "update-lists";
    public static final String RULESETS_STORE = "risk-rulesets";
    public static final String MODELS_STORE = "risk-models";

    private RiskTopology() {}

    private static Optional<String> paymentIdProblem(String paymentId) {
        return paymentId == null || paymentId.isBlank()
                ? Optional.of("paymentId is blank")
                : Optional.empty();
    }

    /**
     * A global store the topology keeps from a topic of releases (the live ruleset, the model
     * registry): every instance reads the topic in full, and the updater swaps what it takes up
     * into what decides, between two payments.
     *
     * @param store the store's name
     * @param topic the topic of releases, keyed by version
     * @param updater checks each release and swaps it in; never throws
     */
    public record ReleaseStore(
            String store, String topic, ProcessorSupplier<String, byte[], Void, Void> updater) {}

    /**
     * A topology deciding with a scorer that never changes, without release stores: for replays and
     * the topology's own mechanics; topics with the partition counts {@code topics} was created
     * with.
     */
    public static Topology build(RiskSettings settings, Topics topics, RiskScorer scorer) {
        return build(settings, topics, scorer, List.of(), topics.featureUpdates().partitions());
    }

    /** A topology deciding with a scorer that never changes, without release stores. */
    public static Topology build(
            RiskSettings settings, Topics topics, RiskScorer scorer, int partitions) {
        return build(settings, topics, scorer, List.of(), partitions);
    }

    /**
     * The topology, deciding with {@code scorer}, which the global stores of {@code releases} keep
     * on the releases deployed last.
     *
     * @param partitions how many partitions {@code payments.requests} and {@code
     *     risk.feature-updates} have on the cluster (they must be alike): decides which entities a
     *     task holds, so it must be the cluster's count, not a wish
     */
    public static Topology build(
            RiskSettings settings,
            Topics topics,
            RiskScorer scorer,
            List<ReleaseStore> releases,
            int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        var requests = topics.paymentRequests();
        var decisions = topics.paymentDecisions();
        var deadLetters = topics.deadLetters();
        var updates = topics.featureUpdates();
        var parts = topics.featureParts();
        var events = topics.paymentEvents();

        Topology topology = new Topology();

        // Requests in, decisions out, and the entities' state: one sub-topology, so the task of
        // partition p reads p of requests, updates and parts together. An entity whose state is on
        // p (always the card) answers in place; the join hears its part without a topic between.
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
                                r -> PaymentRequestChecks.problem(r, settings.currencyRates()),
                                FAN_OUT,
                                DEAD_LETTERS_SINK),
                SOURCE);
        // a payment's wait while the entities of its own partition answer, shared by fan-out and
        // join of the same task
        Parking parking = new Parking();
        topology.addProcessor(
                FAN_OUT, () -> new FeatureFanOut(settings, partitions, parking), DECODE);
        topology.addSink(
                UPDATES_SINK,
                updates.name(),
                updates.keySerde().serializer(),
                updates.valueSerde().serializer(),
                new EntityPartitioner(),
                FAN_OUT);

        // Entities: state per "<entity>:<key>", on the partition of the bare key.
        topology.addSource(
                UPDATES_SOURCE,
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                updates.name());
        topology.addProcessor(
                DECODE_UPDATES,
                () ->
                        new DecodingProcessor<>(
                                DECODE_UPDATES,
                                updates.name(),
                                updates.valueSerde().deserializer(),
                                v -> paymentIdProblem(v.getPaymentId()),
                                ENTITY_FEATURES,
                                ENTITY_DEAD_LETTERS_SINK),
                UPDATES_SOURCE);
        topology.addProcessor(
                ENTITY_FEATURES,
                () -> new EntityFeaturesProcessor(settings, updates.valueSerde().serializer()),
                DECODE_UPDATES,
                FAN_OUT);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(ENTITY_STORE),
                                Serdes.String(),
                                Serdes.ByteArray())
                        // A busy entity is written to RocksDB and its changelog once per commit,
                        // not once per payment (needs statestore.cache.max.bytes > 0).
                        .withCachingEnabled(),
                ENTITY_FEATURES);
        topology.addSink(
                FEATURE_PARTS_SINK,
                parts.name(),
                parts.keySerde().serializer(),
                parts.valueSerde().serializer(),
                new ReplyPartitioner<>(FeaturePart::getReplyPartition),
                ENTITY_FEATURES);
        topology.addSink(
                ENTITY_DEAD_LETTERS_SINK,
                deadLetters.name(),
                deadLetters.keySerde().serializer(),
                deadLetters.valueSerde().serializer(),
                DECODE_UPDATES,
                ENTITY_FEATURES);

        topology.addSource(
                PARTS_SOURCE,
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                parts.name());
        topology.addProcessor(
                DECODE_PARTS,
                () ->
                        new DecodingProcessor<FeaturePart>(
                                DECODE_PARTS,
                                parts.name(),
                                parts.valueSerde().deserializer(),
                                v -> paymentIdProblem(v.getPaymentId()),
                                JOIN,
                                DEAD_LETTERS_SINK),
                PARTS_SOURCE);
        topology.addProcessor(
                JOIN,
                () -> new DecisionJoin(settings, scorer, parking),
                DECODE_PARTS,
                ENTITY_FEATURES);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(PENDING_STORE),
                                Serdes.String(),
                                new PendingDecisionSerde())
                        // Most requests are parked and decided within one commit interval: with
                        // the cache they never reach RocksDB or the changelog.
                        .withCachingEnabled(),
                FAN_OUT,
                JOIN);
        topology.addSink(
                DECISIONS_SINK,
                decisions.name(),
                decisions.keySerde().serializer(),
                decisions.valueSerde().serializer(),
                new ReplyPartitioner<>(RiskDecision::getReplyPartition),
                JOIN);
        topology.addSink(
                DEAD_LETTERS_SINK,
                deadLetters.name(),
                deadLetters.keySerde().serializer(),
                deadLetters.valueSerde().serializer(),
                DECODE,
                DECODE_PARTS);

        // Block and allow lists: a global store, every instance holds every list.
        var lists = topics.lists();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(LISTS_STORE),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withLoggingDisabled(),
                LISTS_SOURCE,
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(),
                lists.name(),
                LISTS_UPDATER,
                () -> new ListsUpdater(lists.valueSerde().deserializer()));

        // What decides, each release taken up by every instance between two payments.
        for (ReleaseStore release : releases) {
            topology.addGlobalStore(
                    Stores.keyValueStoreBuilder(
                                    Stores.persistentKeyValueStore(release.store()),
                                    Serdes.String(),
                                    Serdes.ByteArray())
                            .withLoggingDisabled(),
                    release.store() + "-source",
                    Serdes.String().deserializer(),
                    Serdes.ByteArray().deserializer(),
                    release.topic(),
                    "update-" + release.store(),
                    release.updater());
        }

        // Outcomes from the ledger.
        topology.addSource(
                EVENTS_SOURCE,
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                events.name());
        topology.addProcessor(
                DECODE_EVENTS,
                () ->
                        new DecodingProcessor<PaymentEvent>(
                                DECODE_EVENTS,
                                events.name(),
                                events.valueSerde().deserializer(),
                                v -> paymentIdProblem(v.getPaymentId()),
                                OUTCOMES,
                                EVENTS_DEAD_LETTERS_SINK),
                EVENTS_SOURCE);
        topology.addProcessor(OUTCOMES, OutcomeRouter::new, DECODE_EVENTS);
        topology.addSink(
                OUTCOME_UPDATES_SINK,
                updates.name(),
                updates.keySerde().serializer(),
                updates.valueSerde().serializer(),
                new EntityPartitioner(),
                OUTCOMES);
        topology.addSink(
                EVENTS_DEAD_LETTERS_SINK,
                deadLetters.name(),
                deadLetters.keySerde().serializer(),
                deadLetters.valueSerde().serializer(),
                DECODE_EVENTS);
        return topology;
    }
}
