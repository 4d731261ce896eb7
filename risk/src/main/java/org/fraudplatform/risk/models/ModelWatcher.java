package org.fraudplatform.risk.models;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.risk.signing.RefusalCounts;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.TopicFollower;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a scoring instance on the registry's champion and shadow: reads {@code models} from the
 * beginning, folds the records that a trusted key signed as they are into the registry ({@link
 * ModelRegistryView}), and when the champion or shadow changes loads the new one in this thread and
 * swaps it in between two payments. A record that does not decode or is not signed by a trusted key
 * (unsigned, an unknown key, a signature that does not verify) is left out of the registry, as if
 * never published; a champion or shadow that does not fit the running feature catalogue is not
 * loaded. Either refusal is logged with the reason and counted ({@link #refusals}), and the model
 * scoring in that slot stays.
 */
public final class ModelWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelWatcher.class);

    private final Topic<String, ModelRelease> topic;
    private final FeatureCatalogue catalogue;
    private final LiveModels live;
    private final TrustedKeys trusted;
    private final ModelRegistryView registry = new ModelRegistryView();
    private final RefusalCounts refusals = new RefusalCounts();
    private final Set<String> unloadable = new HashSet<>();
    private TopicFollower follower;

    /** A watcher fed by {@link #fold} alone (the topic only gives it the serde). */
    ModelWatcher(
            Topic<String, ModelRelease> topic,
            FeatureCatalogue catalogue,
            LiveModels live,
            TrustedKeys trusted) {
        this.topic = topic;
        this.catalogue = catalogue;
        this.live = live;
        this.trusted = Objects.requireNonNull(trusted, "trusted");
    }

    /**
     * Starts watching; {@link #awaitCaughtUp} waits until the registry so far is applied.
     *
     * @param trusted the keys whose signatures this instance accepts
     */
    public static ModelWatcher start(
            KafkaConnection kafka,
            Topic<String, ModelRelease> topic,
            FeatureCatalogue catalogue,
            LiveModels live,
            TrustedKeys trusted) {
        ModelWatcher w = new ModelWatcher(topic, catalogue, live, trusted);
        w.follower =
                TopicFollower.start(
                        kafka, topic.name(), "model-watcher", 16 * 1024 * 1024, w::fold);
        return w;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** Folds the records into the registry and puts its champion and shadow live. */
    void fold(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.value() == null) {
                continue;
            }
            ModelRelease release;
            try {
                release = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
            } catch (RuntimeException e) {
                refusals.add(ReleaseRefusal.Reason.INVALID);
                log.error(
                        "refused the registry record at {}@{}: cannot decode it: {}",
                        r.topic(),
                        r.offset(),
                        e.getMessage());
                continue;
            }
            var refusal = trusted.check(release);
            if (refusal.isPresent()) {
                refusals.add(refusal.get().reason());
                log.error(
                        "refused the registry record at {}@{}: model {} as {} by {}: {}; the"
                                + " registry keeps what it had for that version",
                        r.topic(),
                        r.offset(),
                        release.getVersion(),
                        release.getStage(),
                        release.getStageChangedBy(),
                        refusal.get().message());
                continue;
            }
            registry.apply(release);
        }
        update();
    }

    /** The records refused since the start, by reason. */
    public RefusalCounts refusals() {
        return refusals;
    }

    /** Loads the registry's champion and shadow where they changed; a refused one is not used. */
    void update() {
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

    @Override
    public void close() {
        follower.close();
    }
}
