package org.fraudplatform.streams.features;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All entities' state in one place, processed one input at a time: the single-threaded form of what
 * the topology and the backfill do partitioned by entity. It serves the feature tests and the
 * benchmarks; production paths keep one {@link EntityHistory} per key in their own state stores.
 */
public final class FeatureEngine {

    private final FeatureCatalogue catalogue;
    private final Map<Entity, Map<String, EntityHistory>> state = new EnumMap<>(Entity.class);

    public FeatureEngine(FeatureCatalogue catalogue) {
        this.catalogue = catalogue;
        for (Entity entity : catalogue.entities()) {
            state.put(entity, new HashMap<>());
        }
    }

    /**
     * Records the payment with every entity it names and returns its whole feature vector in
     * catalogue order.
     *
     * @throws LateEventException if it is too late for some entity; as in the partitioned paths,
     *     each entity decides for itself, so the others have recorded it
     */
    public Map<String, Double> record(FeaturePayment payment) {
        Map<String, Double> parts = new HashMap<>();
        StringBuilder late = null;
        for (Entity entity : catalogue.entities()) {
            String key = entity.keyOf(payment);
            if (key == null) {
                continue;
            }
            EntityHistory h = state.get(entity).computeIfAbsent(key, k -> EntityHistory.empty());
            try {
                parts.putAll(h.record(payment, entity, catalogue));
            } catch (LateEventException e) {
                late = late == null ? new StringBuilder() : late.append("; ");
                late.append(e.getMessage());
            }
        }
        if (late != null) {
            throw new LateEventException(late.toString());
        }
        return catalogue.orderedVector(parts);
    }

    /**
     * Records an outcome with the entity that keeps it; false when that entity does not hold it.
     */
    public boolean apply(FeatureOutcome outcome) {
        String key = outcome.entityKey();
        Map<String, EntityHistory> entities = state.get(outcome.entity());
        EntityHistory h = key == null || entities == null ? null : entities.get(key);
        return h != null && h.apply(outcome);
    }

    /** Number of keys held per entity. */
    public Map<Entity, Integer> keys() {
        Map<Entity, Integer> counts = new LinkedHashMap<>();
        state.forEach((e, m) -> counts.put(e, m.size()));
        return counts;
    }
}
