package org.fraudplatform.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The engine (sorted arrays and buckets, eviction, idle reset, binary state between payments)
 * computes exactly what the literal definitions give over every payment ever seen; for the
 * merchant, counted in buckets, the reference also checks the bucketed counts against the exact
 * windows' bound.
 */
class FeatureWindowPropertyTest {

    private final FeatureCatalogue catalogue = FeatureCatalogue.standard();

    @Property(tries = 60)
    void theEngineEqualsTheLiteralDefinitionsOnEveryPayment(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int payments) {
        List<GeneratedHistory.Input> inputs = GeneratedHistory.generate(seed, payments, true);
        StatefulThroughBytes engine = new StatefulThroughBytes(catalogue);
        BruteForceFeatures reference = new BruteForceFeatures(catalogue);
        for (GeneratedHistory.Input input : inputs) {
            if (input instanceof GeneratedHistory.OutcomeInput o) {
                engine.apply(o.outcome());
                reference.apply(o.outcome());
                continue;
            }
            FeaturePayment p = ((GeneratedHistory.PaymentInput) input).payment();
            Map<String, Double> expected = reference.record(p);
            Map<String, Double> actual;
            try {
                actual = engine.record(p);
            } catch (LateEventException e) {
                actual = null;
            }
            if (expected == null) {
                assertThat(actual).as("%s refused as late by the reference", p).isNull();
                continue;
            }
            assertThat(actual).as("%s", p).isNotNull();
            assertThat(actual.keySet())
                    .as("features of %s", p)
                    .containsExactlyElementsOf(expected.keySet());
            for (Map.Entry<String, Double> e : expected.entrySet()) {
                double value = actual.get(e.getKey());
                if (e.getKey().contains("zscore")) {
                    assertThat(value)
                            .as("%s of %s", e.getKey(), p)
                            .isCloseTo(
                                    e.getValue(),
                                    within(1e-9 * Math.max(1, Math.abs(e.getValue()))));
                } else {
                    assertThat(value).as("%s of %s", e.getKey(), p).isEqualTo(e.getValue());
                }
            }
        }
    }

    /**
     * The engine as the topology runs it: each entity's state is written to bytes and read back
     * between inputs, as a state store does.
     */
    private static final class StatefulThroughBytes {
        private final FeatureCatalogue catalogue;
        private final java.util.Map<String, byte[]> store = new java.util.HashMap<>();

        StatefulThroughBytes(FeatureCatalogue catalogue) {
            this.catalogue = catalogue;
        }

        Map<String, Double> record(FeaturePayment p) {
            Map<String, Double> values = new java.util.HashMap<>();
            LateEventException late = null;
            for (Entity entity : catalogue.entities()) {
                String key = entity.keyOf(p);
                if (key == null) {
                    continue;
                }
                String storeKey = entity + "/" + key;
                byte[] bytes = store.get(storeKey);
                EntityState h =
                        bytes == null
                                ? EntityState.empty(entity, catalogue)
                                : EntityState.fromBytes(bytes);
                try {
                    values.putAll(h.record(p, entity, catalogue));
                } catch (LateEventException e) {
                    late = e;
                }
                store.put(storeKey, h.toBytes());
            }
            if (late != null) {
                throw late;
            }
            return catalogue.orderedVector(values);
        }

        void apply(FeatureOutcome o) {
            String storeKey = o.entity() + "/" + o.entityKey();
            byte[] bytes = store.get(storeKey);
            if (o.entityKey() == null || bytes == null) {
                return;
            }
            EntityState h = EntityState.fromBytes(bytes);
            if (h.apply(o)) {
                store.put(storeKey, h.toBytes());
            }
        }
    }
}
