package org.fraudplatform.streams.models;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.topics.Topic;
import org.fraudplatform.streams.features.FeatureCatalogue;
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

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topic<String, ModelRelease> topic;
    private final FeatureCatalogue catalogue;
    private final LiveModels live;
    private final ModelRegistryView registry = new ModelRegistryView();
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;

    private ModelWatcher(
            String bootstrapServers,
            Topic<String, ModelRelease> topic,
            FeatureCatalogue catalogue,
            LiveModels live) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "model-watcher");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        this.consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.catalogue = catalogue;
        this.live = live;
        this.thread = new Thread(this::run, "model-watcher");
        this.thread.setDaemon(true);
    }

    /** Starts watching; {@link #awaitCaughtUp} waits until the registry so far is applied. */
    public static ModelWatcher start(
            String bootstrapServers,
            Topic<String, ModelRelease> topic,
            FeatureCatalogue catalogue,
            LiveModels live) {
        ModelWatcher w = new ModelWatcher(bootstrapServers, topic, catalogue, live);
        w.thread.start();
        return w;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            boolean pending = false;
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        registry.apply(
                                topic.valueSerde()
                                        .deserializer()
                                        .deserialize(r.topic(), r.value()));
                        pending = true;
                    } catch (RuntimeException e) {
                        log.error(
                                "refused the registry record at {}@{}: cannot decode it: {}",
                                r.topic(),
                                r.offset(),
                                e.getMessage());
                    }
                }
                boolean atEnd =
                        partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (pending && (atEnd || caughtUp.getCount() == 0)) {
                    update();
                    pending = false;
                }
                if (atEnd) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("model watcher woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error("model watcher stopped; the models scoring now stay", e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
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
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
