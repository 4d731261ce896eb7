package org.fraudplatform.schemas.topics;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.CommandResult;
import org.fraudplatform.schemas.CustomerNotification;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.FeaturePart;
import org.fraudplatform.schemas.FeatureUpdate;
import org.fraudplatform.schemas.Label;
import org.fraudplatform.schemas.ListEntry;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.PaymentCommand;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.PaymentSnapshot;
import org.fraudplatform.schemas.ReconciliationItem;
import org.fraudplatform.schemas.ReconciliationResolution;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.SettlementFile;
import org.fraudplatform.schemas.SettlementRecord;
import org.fraudplatform.schemas.serde.AvroSerde;
import org.fraudplatform.schemas.serde.SchemaRegistry;

/**
 * The immutable catalogue of the platform's topics: names, keys, serdes and creation settings.
 *
 * <table>
 *   <caption>Topics</caption>
 *   <tr><th>topic</th><th>key</th><th>value</th><th>purpose</th></tr>
 *   <tr><td>payments.requests</td><td>instrument key (card token)</td><td>PaymentRequest</td>
 *       <td>authorization commands from the API; keyed so one card's events share a partition</td></tr>
 *   <tr><td>payments.decisions</td><td>payment id</td><td>RiskDecision</td>
 *       <td>risk verdicts; partition = the requesting API instance's reply partition</td></tr>
 *   <tr><td>payments.commands</td><td>payment id</td><td>PaymentCommand</td>
 *       <td>instructions to the ledger: recorded outcomes, captures, voids, refunds, chargebacks,
 *       review outcomes</td></tr>
 *   <tr><td>payments.command-results</td><td>payment id</td><td>CommandResult</td>
 *       <td>the ledger's answers; partition = the asking API instance's reply partition</td></tr>
 *   <tr><td>payments.events</td><td>payment id</td><td>PaymentEvent</td>
 *       <td>the ledger, system of record; written only by the ledger topology</td></tr>
 *   <tr><td>payments.snapshots</td><td>payment id</td><td>PaymentSnapshot</td>
 *       <td>each payment as the ledger folds it, compacted; the history projection reads it</td></tr>
 *   <tr><td>labels</td><td>payment id</td><td>Label</td>
 *       <td>fraud labels from chargebacks, reviews and fraud reports, for training</td></tr>
 *   <tr><td>payments.dlq</td><td>original key bytes</td><td>DeadLetter</td>
 *       <td>records a processor could not handle, with the reason</td></tr>
 *   <tr><td>risk.feature-updates</td><td>{@code <entity>:<key>}</td><td>FeatureUpdate</td>
 *       <td>the risk topology's repartition by entity: payments and outcomes to count</td></tr>
 *   <tr><td>risk.feature-parts</td><td>payment id</td><td>FeaturePart</td>
 *       <td>each entity's features of a payment, back to the partition that holds its request;
 *       co-partitioned with payments.requests</td></tr>
 *   <tr><td>rules.rulesets</td><td>ruleset version</td><td>RulesetRelease</td>
 *       <td>rulesets put live, compacted; the newest record is the live ruleset</td></tr>
 *   <tr><td>rules.lists</td><td>{@code <list>:<value>}</td><td>ListEntry</td>
 *       <td>block and allow lists, compacted; a tombstone removes a value</td></tr>
 *   <tr><td>models</td><td>model version</td><td>ModelRelease</td>
 *       <td>the model registry, compacted; each version's newest record carries its stage</td></tr>
 *   <tr><td>audit.events</td><td>subject</td><td>AuditEvent</td>
 *       <td>every change to rules, models and lists, kept forever</td></tr>
 *   <tr><td>settlements.records</td><td>payment id</td><td>SettlementRecord</td>
 *       <td>validated rows of providers' settlement reports; co-partitioned with payments.events</td></tr>
 *   <tr><td>settlements.files</td><td>content hash</td><td>SettlementFile</td>
 *       <td>reports imported, compacted: a file is imported once</td></tr>
 *   <tr><td>settlements.quarantine</td><td>file hash and line</td><td>DeadLetter</td>
 *       <td>malformed report rows with their line and reason</td></tr>
 *   <tr><td>reconciliation.resolutions</td><td>payment id</td><td>ReconciliationResolution</td>
 *       <td>analysts' resolutions of exceptions</td></tr>
 *   <tr><td>reconciliation.items</td><td>item id</td><td>ReconciliationItem</td>
 *       <td>each movement as ledger and settlement see it, compacted</td></tr>
 *   <tr><td>webhooks.dlq</td><td>delivery id</td><td>DeadLetter</td>
 *       <td>webhook deliveries that failed every attempt, with the last reason</td></tr>
 *   <tr><td>notifications.log</td><td>payment id</td><td>CustomerNotification</td>
 *       <td>customer messages of the log sender (SMS, push), recipients masked</td></tr>
 * </table>
 */
public final class Topics {

    public static final String PAYMENT_REQUESTS = "payments.requests";
    public static final String PAYMENT_DECISIONS = "payments.decisions";
    public static final String PAYMENT_EVENTS = "payments.events";
    public static final String PAYMENT_COMMANDS = "payments.commands";
    public static final String COMMAND_RESULTS = "payments.command-results";
    public static final String LABELS = "labels";
    public static final String PAYMENT_SNAPSHOTS = "payments.snapshots";
    public static final String MODELS = "models";
    public static final String DEAD_LETTERS = "payments.dlq";
    public static final String FEATURE_UPDATES = "risk.feature-updates";
    public static final String FEATURE_PARTS = "risk.feature-parts";
    public static final String RULESETS = "rules.rulesets";
    public static final String AUDIT = "audit.events";
    public static final String LISTS = "rules.lists";
    public static final String SETTLEMENT_RECORDS = "settlements.records";
    public static final String SETTLEMENT_FILES = "settlements.files";
    public static final String SETTLEMENT_QUARANTINE = "settlements.quarantine";
    public static final String RECONCILIATION_RESOLUTIONS = "reconciliation.resolutions";
    public static final String RECONCILIATION_ITEMS = "reconciliation.items";
    public static final String WEBHOOK_DEAD_LETTERS = "webhooks.dlq";
    public static final String NOTIFICATIONS_LOG = "notifications.log";

    private static final Map<String, String> DEFAULTS = Map.of();
    private static final Map<String, String> KEEP_FOREVER = Map.of("retention.ms", "-1");
    private static final Map<String, String> KEEP_A_DAY = Map.of("retention.ms", "86400000");
    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    /** Models carry their trees or weights: up to 16 MiB a record. */
    private static final Map<String, String> COMPACTED_LARGE =
            Map.of("cleanup.policy", "compact", "max.message.bytes", "16777216");

    private final Topic<String, PaymentRequest> paymentRequests;
    private final Topic<String, RiskDecision> paymentDecisions;
    private final Topic<String, PaymentEvent> paymentEvents;
    private final Topic<String, PaymentCommand> paymentCommands;
    private final Topic<String, CommandResult> commandResults;
    private final Topic<String, Label> labels;
    private final Topic<String, PaymentSnapshot> paymentSnapshots;
    private final Topic<String, ModelRelease> models;
    private final Topic<byte[], DeadLetter> deadLetters;
    private final Topic<String, FeatureUpdate> featureUpdates;
    private final Topic<String, FeaturePart> featureParts;
    private final Topic<String, RulesetRelease> rulesets;
    private final Topic<String, AuditEvent> audit;
    private final Topic<String, ListEntry> lists;
    private final Topic<String, SettlementRecord> settlementRecords;
    private final Topic<String, SettlementFile> settlementFiles;
    private final Topic<byte[], DeadLetter> settlementQuarantine;
    private final Topic<String, ReconciliationResolution> reconciliationResolutions;
    private final Topic<String, ReconciliationItem> reconciliationItems;
    private final Topic<byte[], DeadLetter> webhookDeadLetters;
    private final Topic<String, CustomerNotification> notificationsLog;

    private Topics(SchemaRegistry registry, int partitions) {
        Serde<String> strings = Serdes.String();
        paymentRequests =
                new Topic<>(
                        PAYMENT_REQUESTS,
                        partitions,
                        DEFAULTS,
                        strings,
                        AvroSerde.forValues(PaymentRequest.class, registry));
        paymentDecisions =
                new Topic<>(
                        PAYMENT_DECISIONS,
                        partitions,
                        DEFAULTS,
                        strings,
                        AvroSerde.forValues(RiskDecision.class, registry));
        paymentEvents =
                new Topic<>(
                        PAYMENT_EVENTS,
                        partitions,
                        KEEP_FOREVER,
                        strings,
                        AvroSerde.forValues(PaymentEvent.class, registry));
        paymentCommands =
                new Topic<>(
                        PAYMENT_COMMANDS,
                        partitions,
                        KEEP_FOREVER,
                        strings,
                        AvroSerde.forValues(PaymentCommand.class, registry));
        commandResults =
                new Topic<>(
                        COMMAND_RESULTS,
                        partitions,
                        KEEP_A_DAY,
                        strings,
                        AvroSerde.forValues(CommandResult.class, registry));
        labels =
                new Topic<>(
                        LABELS,
                        partitions,
                        KEEP_FOREVER,
                        strings,
                        AvroSerde.forValues(Label.class, registry));
        paymentSnapshots =
                new Topic<>(
                        PAYMENT_SNAPSHOTS,
                        partitions,
                        COMPACTED,
                        strings,
                        AvroSerde.forValues(PaymentSnapshot.class, registry));
        models =
                new Topic<>(
                        MODELS,
                        1,
                        COMPACTED_LARGE,
                        strings,
                        AvroSerde.forValues(ModelRelease.class, registry));
        deadLetters =
                new Topic<>(
                        DEAD_LETTERS,
                        1,
                        KEEP_FOREVER,
                        Serdes.ByteArray(),
                        AvroSerde.forValues(DeadLetter.class, registry));
        featureUpdates =
                new Topic<>(
                        FEATURE_UPDATES,
                        partitions,
                        KEEP_A_DAY,
                        strings,
                        AvroSerde.forValues(FeatureUpdate.class, registry));
        featureParts =
                new Topic<>(
                        FEATURE_PARTS,
                        partitions,
                        KEEP_A_DAY,
                        strings,
                        AvroSerde.forValues(FeaturePart.class, registry));
        rulesets =
                new Topic<>(
                        RULESETS,
                        1,
                        COMPACTED,
                        strings,
                        AvroSerde.forValues(RulesetRelease.class, registry));
        audit =
                new Topic<>(
                        AUDIT,
                        1,
                        KEEP_FOREVER,
                        strings,
                        AvroSerde.forValues(AuditEvent.class, registry));
        lists =
                new Topic<>(
                        LISTS,
                        1,
                        COMPACTED,
                        strings,
                        AvroSerde.forValues(ListEntry.class, registry));
        settlementRecords =
                new Topic<>(
                        SETTLEMENT_RECORDS,
                        partitions,
                        KEEP_FOREVER,
                        strings,
                        AvroSerde.forValues(SettlementRecord.class, registry));
        settlementFiles =
                new Topic<>(
                        SETTLEMENT_FILES,
                        1,
                        COMPACTED,
                        strings,
                        AvroSerde.forValues(SettlementFile.class, registry));
        settlementQuarantine =
                new Topic<>(
                        SETTLEMENT_QUARANTINE,
                        1,
                        KEEP_FOREVER,
                        Serdes.ByteArray(),
                        AvroSerde.forValues(DeadLetter.class, registry));
        reconciliationResolutions =
                new Topic<>(
                        RECONCILIATION_RESOLUTIONS,
                        partitions,
                        KEEP_FOREVER,
                        strings,
                        AvroSerde.forValues(ReconciliationResolution.class, registry));
        reconciliationItems =
                new Topic<>(
                        RECONCILIATION_ITEMS,
                        partitions,
                        COMPACTED,
                        strings,
                        AvroSerde.forValues(ReconciliationItem.class, registry));
        webhookDeadLetters =
                new Topic<>(
                        WEBHOOK_DEAD_LETTERS,
                        1,
                        KEEP_FOREVER,
                        Serdes.ByteArray(),
                        AvroSerde.forValues(DeadLetter.class, registry));
        notificationsLog =
                new Topic<>(
                        NOTIFICATIONS_LOG,
                        1,
                        KEEP_A_DAY,
                        strings,
                        AvroSerde.forValues(CustomerNotification.class, registry));
    }

    /**
     * Builds the catalogue.
     *
     * @param registry where the Avro serdes register and look up schemas
     * @param partitions partition count of the partitioned topics (requests, decisions, events)
     */
    public static Topics create(SchemaRegistry registry, int partitions) {
        return new Topics(registry, partitions);
    }

    public Topic<String, PaymentRequest> paymentRequests() {
        return paymentRequests;
    }

    public Topic<String, RiskDecision> paymentDecisions() {
        return paymentDecisions;
    }

    public Topic<String, PaymentEvent> paymentEvents() {
        return paymentEvents;
    }

    public Topic<String, PaymentCommand> paymentCommands() {
        return paymentCommands;
    }

    public Topic<String, CommandResult> commandResults() {
        return commandResults;
    }

    public Topic<String, Label> labels() {
        return labels;
    }

    public Topic<String, PaymentSnapshot> paymentSnapshots() {
        return paymentSnapshots;
    }

    public Topic<String, ModelRelease> models() {
        return models;
    }

    public Topic<byte[], DeadLetter> deadLetters() {
        return deadLetters;
    }

    public Topic<String, FeatureUpdate> featureUpdates() {
        return featureUpdates;
    }

    public Topic<String, FeaturePart> featureParts() {
        return featureParts;
    }

    public Topic<String, RulesetRelease> rulesets() {
        return rulesets;
    }

    public Topic<String, AuditEvent> audit() {
        return audit;
    }

    public Topic<String, SettlementRecord> settlementRecords() {
        return settlementRecords;
    }

    public Topic<String, SettlementFile> settlementFiles() {
        return settlementFiles;
    }

    public Topic<byte[], DeadLetter> settlementQuarantine() {
        return settlementQuarantine;
    }

    public Topic<String, ReconciliationResolution> reconciliationResolutions() {
        return reconciliationResolutions;
    }

    public Topic<String, ReconciliationItem> reconciliationItems() {
        return reconciliationItems;
    }

    public Topic<byte[], DeadLetter> webhookDeadLetters() {
        return webhookDeadLetters;
    }

    public Topic<String, CustomerNotification> notificationsLog() {
        return notificationsLog;
    }

    public Topic<String, ListEntry> lists() {
        return lists;
    }

    /** Every topic the platform creates at start-up. */
    public List<Topic<?, ?>> all() {
        return List.of(
                paymentRequests,
                paymentDecisions,
                paymentEvents,
                paymentCommands,
                commandResults,
                labels,
                paymentSnapshots,
                models,
                deadLetters,
                featureUpdates,
                featureParts,
                rulesets,
                audit,
                lists,
                settlementRecords,
                settlementFiles,
                settlementQuarantine,
                reconciliationResolutions,
                reconciliationItems,
                webhookDeadLetters,
                notificationsLog);
    }

    /**
     * Groups of topics that must have the same partition count because one task reads the same
     * partition of each: the risk task of partition p holds the requests of p of payments.requests,
     * the state of the entities whose keys hash to p (risk.feature-updates), and waits for the
     * other entities' features on p of risk.feature-parts.
     */
    public List<List<Topic<?, ?>>> coPartitioned() {
        return List.of(
                List.of(paymentRequests, featureUpdates, featureParts),
                List.of(paymentEvents, settlementRecords, reconciliationResolutions));
    }
}
