package org.fraudplatform.risk;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.features.Entity;
import org.fraudplatform.features.EntityState;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.features.FeatureInputs;
import org.fraudplatform.features.LateEventException;
import org.fraudplatform.runtime.deadletter.DeadLetters;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.FeaturePart;
import org.fraudplatform.schemas.FeatureUpdate;
import org.fraudplatform.schemas.FeatureUpdateKind;
import org.fraudplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every entity's feature state and answers with its features.
 *
 * <p>Input: {@link FeatureUpdate}s keyed {@code <entity>:<key>}. A {@code PAYMENT} is recorded in
 * the entity's {@link EntityState} and its features go out as a {@link FeaturePart} to the
 * partition that waits for them: straight to {@link RiskTopology#JOIN} when that is this task's
 * partition (an update asked in place), else through {@code risk.feature-parts}; an outcome ({@code
 * DECLINED}, {@code FRAUD}) is recorded with the payment it is about. A payment later than the
 * catalogue's grace changes nothing: it goes to the dead-letter topic with the reason, and a part
 * with that problem still goes back, so the decision is not left waiting. State: {@link
 * RiskTopology#ENTITY_STORE}, {@code <entity>:<key>} → history bytes; a wall-clock punctuation
 * deletes histories that can no longer affect any feature.
 */
final class EntityFeaturesProcessor implements Processor<String, FeatureUpdate, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(EntityFeaturesProcessor.class);

    /** Decoded histories kept per task; the store (and its changelog) stays the truth. */
    private static final int DECODED_CACHE_ENTRIES = 2_000;

    private final RiskSettings settings;
    private final Serializer<FeatureUpdate> updates;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> histories;

    /**
     * The most recently used histories, decoded: a busy entity (a merchant) is not decoded again
     * for every payment. Every write goes through this processor, which belongs to one task, so the
     * cache never disagrees with the store; a new task starts with an empty cache.
     */
    private final Map<String, EntityState> decoded =
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, EntityState> eldest) {
                    return size() > DECODED_CACHE_ENTRIES;
                }
            };

    EntityFeaturesProcessor(RiskSettings settings, Serializer<FeatureUpdate> updates) {
        this.settings = settings;
        this.updates = updates;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.histories = context.getStateStore(RiskTopology.ENTITY_STORE);
        context.schedule(
                settings.cleanupInterval(), PunctuationType.WALL_CLOCK_TIME, this::removeExpired);
    }

    @Override
    public void process(Record<String, FeatureUpdate> record) {
        FeatureUpdate update = record.value();
        Optional<Entity> known = FeatureInputs.entity(update.getEntity());
        if (known.isEmpty()
                || update.getKind() == FeatureUpdateKind.UNKNOWN
                || update.getEntityKey() == null) {
            deadLetter(record, "feature update names no known entity or kind: " + update, null);
            return;
        }
        Entity entity = known.get();
        FeatureCatalogue catalogue = settings.catalogue();
        String key = entity.stateKey(update.getEntityKey());
        EntityState history = decoded.get(key);
        if (history == null) {
            byte[] stored = histories.get(key);
            history =
                    stored == null
                            ? EntityState.empty(entity, catalogue)
                            : read(key, stored, entity);
            decoded.put(key, history);
        }

        if (update.getKind() != FeatureUpdateKind.PAYMENT) {
            if (history.apply(FeatureInputs.outcome(update))) {
                histories.put(key, history.toBytes());
            } else {
                log.debug(
                        "{} {} of payment {} is outside every window of {}; nothing to record",
                        update.getKind(),
                        update.getPaymentId(),
                        update.getEventTime(),
                        key);
            }
            return;
        }
        FeaturePart.Builder part =
                FeaturePart.newBuilder()
                        .setPaymentId(update.getPaymentId())
                        .setEntity(update.getEntity())
                        .setReplyPartition(update.getReplyPartition());
        try {
            Map<String, Double> features =
                    history.record(
                            FeatureInputs.payment(update),
                            entity,
                            catalogue,
                            FeatureInputs.position(update));
            part.setFeatures(features);
        } catch (LateEventException e) {
            deadLetter(record, e.getMessage(), e);
            part.setProblem(e.getMessage());
        }
        // stored after a refusal too: a bucketed state remembers what it refused
        histories.put(key, history.toBytes());
        context.forward(
                record.withKey((Object) update.getPaymentId()).withValue((Object) part.build()),
                Integer.valueOf(context.taskId().partition()).equals(update.getReplyPartition())
                        ? RiskTopology.JOIN
                        : RiskTopology.FEATURE_PARTS_SINK);
    }

    private EntityState read(String key, byte[] stored, Entity entity) {
        try {
            return EntityState.fromBytes(stored);
        } catch (IllegalArgumentException e) {
            // The store is written only by this class; unreadable bytes mean a format change
            // without migration. Starting the entity over is the only way forward; say so loudly.
            log.error(
                    "feature state of {} is unreadable ({}); starting it over",
                    key,
                    e.getMessage());
            return EntityState.empty(entity, settings.catalogue());
        }
    }

    private void deadLetter(Record<String, FeatureUpdate> record, String reason, Exception cause) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        DeadLetter letter =
                DeadLetters.of(
                        context,
                        Topics.FEATURE_UPDATES,
                        key,
                        updates.serialize(Topics.FEATURE_UPDATES, record.value()),
                        record.headers(),
                        RiskTopology.ENTITY_FEATURES,
                        reason,
                        cause);
        if (!Topics.FEATURE_UPDATES.equals(letter.getTopic())) {
            // asked in place: the update never was a record of its own; its payment id says which
            // request it came from
            letter.setTopic(Topics.FEATURE_UPDATES);
            letter.setPartition(-1);
            letter.setOffset(-1L);
        }
        log.warn("dead letter from {}: {}", RiskTopology.ENTITY_FEATURES, reason);
        context.forward(
                record.withKey((Object) key).withValue((Object) letter),
                RiskTopology.ENTITY_DEAD_LETTERS_SINK);
    }

    private void removeExpired(long nowMillis) {
        FeatureCatalogue catalogue = settings.catalogue();
        int removed = 0;
        try (KeyValueIterator<String, byte[]> all = histories.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                Entity entity = Entity.ofStateKey(entry.key);
                if (entity == null || expired(entry.value, nowMillis, entity, catalogue)) {
                    histories.delete(entry.key);
                    decoded.remove(entry.key);
                    removed++;
                }
            }
        }
        if (removed > 0) {
            log.debug("removed {} expired entities from {}", removed, RiskTopology.ENTITY_STORE);
        }
    }

    private static boolean expired(
            byte[] stored, long nowMillis, Entity entity, FeatureCatalogue catalogue) {
        try {
            return EntityState.expired(stored, nowMillis, entity, catalogue);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
