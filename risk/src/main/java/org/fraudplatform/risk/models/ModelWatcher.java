package org.fraudplatform.risk.models;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.runtime.TopicFollower;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a scoring instance on the registry's champion and shadow: reads {@code models} from the
 * beginning, folds it ({@link ModelRegistryView}), and when the champion or shadow changes loads
 * the new one in this thread and swaps it in between two payments. A release that does not decode
 * or does not fit the running feature catalogue is refused with the reason in the log, and the
 * model scoring in that slot stays.
 */
public final class ModelWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelWatcher.class);

    private final Topic<String, ModelRelease> topic;
    private final FeatureCatalogue catalogue;
    private final LiveModels live;
    private final ModelRegistryView registry = new ModelRegistryView();
    private TopicFollower follower;

    private ModelWatcher(
            Topic<String, ModelRelease> topic, FeatureCatalogue catalogue, LiveModels live) {
        this.topic = topic;
        this.catalogue = catalogue;
        this.live = live;
    }

    /** Starts watching; {@link #awaitCaughtUp} waits until the registry so far is applied. */
    public static ModelWatcher start(
            String bootstrapServers,
            Topic<String, ModelRelease> topic,
            FeatureCatalogue catalogue,
            LiveModels live) {
        ModelWatcher w = new ModelWatcher(topic, catalogue, live);
        w.follower =
                TopicFollower.start(
                        bootstrapServers, topic.name(), "model-watcher", 16 * 1024 * 1024, w::fold);
        return w;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** Folds the records into the registry and puts its champion and shadow live. */
    private void fold(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.value() == null) {
                continue;
            }
            try {
                registry.apply(topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
            } catch (RuntimeException e) {
                log.error(
                        "refused the registry record at {}@{}: cannot decode it: {}",
                        r.topic(),
                        r.offset(),
                        e.getMessage());
            }
        }
        update();
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
        try {
            return LoadedModel.load(release, catalogue);
        } catch (RuntimeException e) {
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
