package org.fraudplatform.risk.models;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.risk.signing.RefusalCounts;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the champion and shadow from the {@code models} registry, in the global thread: the global
 * store holds each version's newest record that one of the trusted keys signed as it is, the
 * registry is their fold ({@link ModelRegistryView}), and when its champion or shadow changes the
 * new one is loaded and swapped in between two payments. A record that does not decode or is not
 * signed as it is (unsigned, an unknown key, a signature that does not verify) is left out, as if
 * never published; a champion or shadow that does not fit the running feature catalogue is not
 * loaded. Either refusal is logged with the reason and counted, and the model in that slot stays.
 *
 * <p>On start the stored records are checked again, against the keys trusted now.
 */
public final class ModelUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ModelUpdater.class);

    private final String storeName;
    private final Deserializer<ModelRelease> releases;
    private final FeatureCatalogue catalogue;
    private final LiveModels live;
    private final TrustedKeys trusted;
    private final RefusalCounts refusals;
    private final Set<String> unloadable;
    private final ModelRegistryView registry = new ModelRegistryView();
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    private ModelUpdater(
            String storeName,
            Deserializer<ModelRelease> releases,
            FeatureCatalogue catalogue,
            LiveModels live,
            TrustedKeys trusted,
            RefusalCounts refusals,
            Set<String> unloadable) {
        this.storeName = storeName;
        this.releases = releases;
        this.catalogue = catalogue;
        this.live = live;
        this.trusted = Objects.requireNonNull(trusted, "trusted");
        this.refusals = refusals;
        this.unloadable = unloadable;
    }

    /**
     * The updaters of one topology: they share what they refused to load, so that a model is
     * refused once in the log and the count, whichever of them (restoring, or running) met it.
     */
    public static ProcessorSupplier<String, byte[], Void, Void> supplier(
            String storeName,
            Deserializer<ModelRelease> releases,
            FeatureCatalogue catalogue,
            LiveModels live,
            TrustedKeys trusted,
            RefusalCounts refusals) {
        Set<String> unloadable = ConcurrentHashMap.newKeySet();
        return () ->
                new ModelUpdater(
                        storeName, releases, catalogue, live, trusted, refusals, unloadable);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        java.util.List<String> dropped = new java.util.ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                ModelRelease release = accepted(kv.value, "the stored record of " + kv.key);
                if (release == null) {
                    dropped.add(kv.key);
                } else {
                    registry.apply(release);
                }
            }
        }
        dropped.forEach(store::delete);
        update();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            registry.remove(record.key());
        } else {
            ModelRelease release = accepted(record.value(), position());
            if (release == null) {
                return;
            }
            store.put(release.getVersion(), record.value());
            registry.apply(release);
        }
        update();
    }

    /** The record, when it decodes and a trusted key signed it as it is; else null, refused. */
    private ModelRelease accepted(byte[] bytes, String where) {
        ModelRelease release;
        try {
            release = releases.deserialize(Topics.MODELS, bytes);
        } catch (RuntimeException e) {
            refusals.add(ReleaseRefusal.Reason.INVALID);
            log.error(
                    "refused the registry record at {}: cannot decode it: {}",
                    where,
                    e.getMessage());
            return null;
        }
        var refusal = trusted.check(release);
        if (refusal.isPresent()) {
            refusals.add(refusal.get().reason());
            log.error(
                    "refused the registry record at {}: model {} as {} by {}: {}; the"
                            + " registry keeps what it had for that version",
                    where,
                    release.getVersion(),
                    release.getStage(),
                    release.getStageChangedBy(),
                    refusal.get().message());
            return null;
        }
        return release;
    }

    /** Loads the registry's champion and shadow where they changed; a refused one is not used. */
    private void update() {
        LiveModels.Pair now = live.get();
        LoadedModel champion =
                registry.champion()
                        .map(r -> loadOrKeep(r, now.champion(), "champion"))
                        .orElse(null);
        LoadedModel shadow =
                registry.shadow().map(r -> loadOrKeep(r, now.shadow(), "shadow")).orElse(null);
        if (champion != now.champion() || shadow != now.shadow()) {
            live.set(champion, shadow);
            log.info(
                    "models live: champion {}, shadow {}",
                    champion == null ? "none" : champion.version() + " (" + champion.name() + ")",
                    shadow == null ? "none" : shadow.version() + " (" + shadow.name() + ")");
        }
    }

    private LoadedModel loadOrKeep(ModelRelease release, LoadedModel current, String slot) {
        if (current != null && Objects.equals(current.version(), release.getVersion())) {
            return current;
        }
        String record = release.getVersion() + "@" + release.getStageChangedAt();
        if (unloadable.contains(record)) {
            return current; // refused before: once in the log and the count
        }
        try {
            return LoadedModel.load(release, catalogue);
        } catch (RuntimeException e) {
            // never let a model stop the global thread, and with it every decision
            unloadable.add(record);
            refusals.add(ReleaseRefusal.Reason.INVALID);
            log.error(
                    "{}; the {} stays {}",
                    e.getMessage(),
                    slot,
                    current == null ? "empty" : current.version());
            return current;
        }
    }

    private String position() {
        return context.recordMetadata()
                .map(m -> m.topic() + "@" + m.offset())
                .orElse(Topics.MODELS);
    }
}
