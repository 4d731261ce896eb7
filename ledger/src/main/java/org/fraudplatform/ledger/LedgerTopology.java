package org.fraudplatform.ledger;

import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.fraudplatform.runtime.ReplyPartitioner;
import org.fraudplatform.runtime.deadletter.DecodingProcessor;
import org.fraudplatform.schemas.CommandResult;
import org.fraudplatform.schemas.PaymentCommand;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The ledger topology, the only writer of {@code payments.events}. Run it with exactly-once
 * processing: a command's events, the payment's new state, its snapshot and its result commit
 * together or not at all, so a crash neither loses nor doubles a money movement.
 *
 * <pre>
 *  payments.commands (key payment id)
 *        │ decode ─▶ payments.dlq
 *        ▼
 *   ledger: fold + decide (stores ledger-payments, ledger-expiries;
 *           wall-clock punctuation expires authorizations)
 *        │
 *        ├─▶ payments.events     (accepted events: the system of record)
 *        ├─▶ payments.snapshots  (the payment after the command; compacted)
 *        ├─▶ payments.command-results (partition = the asking API instance's)
 *        ├─▶ labels              (fraud chargebacks, review outcomes, fraud reports)
 *        └─▶ audit.events        (review outcomes, fraud reports, chargebacks)
 * </pre>
 */
public final class LedgerTopology {

    public static final String SOURCE = "payment-commands-source";
    public static final String DECODE = "decode-payment-command";
    public static final String LEDGER = "ledger";
    public static final String EVENTS_SINK = "payment-events-sink";
    public static final String SNAPSHOTS_SINK = "payment-snapshots-sink";
    public static final String RESULTS_SINK = "command-results-sink";
    public static final String LABELS_SINK = "labels-sink";
    public static final String AUDIT_SINK = "audit-sink";
    public static final String DEAD_LETTERS_SINK = "ledger-dead-letters-sink";

    public static final String PAYMENTS_STORE = "ledger-payments";
    public static final String EXPIRY_STORE = "ledger-expiries";

    private LedgerTopology() {}

    private static Optional<String> problem(PaymentCommand c) {
        if (c.getPaymentId() == null || c.getPaymentId().isBlank()) {
            return Optional.of("paymentId is blank");
        }
        if (c.getCommandId() == null || c.getCommandId().isBlank()) {
            return Optional.of("commandId is blank");
        }
        if (c.getRequestedAt() == null) {
            return Optional.of("requestedAt is missing");
        }
        return Optional.empty();
    }

    public static Topology build(LedgerSettings settings, Topics topics) {
        var commands = topics.paymentCommands();
        var events = topics.paymentEvents();
        var snapshots = topics.paymentSnapshots();
        var results = topics.commandResults();
        var labels = topics.labels();
        var audit = topics.audit();
        var deadLetters = topics.deadLetters();

        Topology topology = new Topology();
        topology.addSource(
                SOURCE,
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                commands.name());
        topology.addProcessor(
                DECODE,
                () ->
                        new DecodingProcessor<PaymentCommand>(
                                DECODE,
                                commands.name(),
                                commands.valueSerde().deserializer(),
                                LedgerTopology::problem,
                                LEDGER,
                                DEAD_LETTERS_SINK),
                SOURCE);
        topology.addProcessor(LEDGER, () -> new LedgerProcessor(settings), DECODE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(PAYMENTS_STORE),
                                Serdes.String(),
                                snapshots.valueSerde())
                        // the intent and the outcome of one authorization usually fall into one
                        // transaction: with the cache the changelog gets the later state only
                        // (flushed before every commit, so exactly-once holds)
                        .withCachingEnabled(),
                LEDGER);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(EXPIRY_STORE),
                                Serdes.Bytes(),
                                Serdes.ByteArray())
                        .withCachingEnabled(),
                LEDGER);
        topology.addSink(
                EVENTS_SINK,
                events.name(),
                events.keySerde().serializer(),
                events.valueSerde().serializer(),
                LEDGER);
        topology.addSink(
                SNAPSHOTS_SINK,
                snapshots.name(),
                snapshots.keySerde().serializer(),
                snapshots.valueSerde().serializer(),
                LEDGER);
        topology.addSink(
                RESULTS_SINK,
                results.name(),
                results.keySerde().serializer(),
                results.valueSerde().serializer(),
                new ReplyPartitioner<>(CommandResult::getReplyPartition),
                LEDGER);
        topology.addSink(
                LABELS_SINK,
                labels.name(),
                labels.keySerde().serializer(),
                labels.valueSerde().serializer(),
                LEDGER);
        topology.addSink(
                AUDIT_SINK,
                audit.name(),
                audit.keySerde().serializer(),
                audit.valueSerde().serializer(),
                LEDGER);
        topology.addSink(
                DEAD_LETTERS_SINK,
                deadLetters.name(),
                deadLetters.keySerde().serializer(),
                deadLetters.valueSerde().serializer(),
                DECODE);
        return topology;
    }
}
