package org.fraudplatform.streams.risk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetCompilationException;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a scoring instance on the live ruleset: reads {@code rules.rulesets} from the beginning,
 * and whenever a newer release arrives compiles it in this thread (scoring goes on with the old one
 * meanwhile) and swaps it in between two payments. A release that does not decode, whose files do
 * not hash to its version, or that does not compile is refused with the reason in the log; the
 * running ruleset stays.
 */
public final class RulesetWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RulesetWatcher.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topic<String, RulesetRelease> topic;
    private final SwappableRiskScorer scorer;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;

    private RulesetWatcher(
            String bootstrapServers,
            Topic<String, RulesetRelease> topic,
            SwappableRiskScorer scorer) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ruleset-watcher");
        this.consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.scorer = scorer;
        this.thread = new Thread(this::run, "ruleset-watcher");
        this.thread.setDaemon(true);
    }

    /** Starts watching; {@link #awaitCaughtUp} waits until the releases so far are applied. */
    public static RulesetWatcher start(
            String bootstrapServers,
            Topic<String, RulesetRelease> topic,
            SwappableRiskScorer scorer) {
        RulesetWatcher w = new RulesetWatcher(bootstrapServers, topic, scorer);
        w.thread.start();
        return w;
    }

    /** Waits until every release published before the start has been read and applied. */
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
            List<ConsumerRecord<String, byte[]>> unapplied = new ArrayList<>();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    unapplied.add(r);
                }
                boolean atEnd =
                        partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (!unapplied.isEmpty() && (atEnd || caughtUp.getCount() == 0)) {
                    applyNewestValid(unapplied);
                    unapplied.clear();
                }
                if (atEnd) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("ruleset watcher woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error("ruleset watcher stopped; the running ruleset stays", e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The newest release that can be applied wins: at start-up, a refused newest release falls back
     * to the one before it, as the instances that were running then did.
     */
    private void applyNewestValid(List<ConsumerRecord<String, byte[]>> records) {
        for (int i = records.size() - 1; i >= 0; i--) {
            if (apply(records.get(i))) {
                return;
            }
        }
    }

    /** True when the release is (now) live. */
    private boolean apply(ConsumerRecord<String, byte[]> record) {
        long started = System.nanoTime();
        RulesetRelease release;
        try {
            release = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            refuse(record.offset(), "cannot decode the release: " + e.getMessage());
            return false;
        }
        if (release.getVersion().equals(scorer.rulesetVersion())) {
            return true;
        }
        RulesetSource source = RulesetSource.ofBuffers(release.getFiles());
        if (!source.version().equals(release.getVersion())) {
            refuse(
                    record.offset(),
                    "release "
                            + release.getVersion()
                            + " holds files of version "
                            + source.version());
            return false;
        }
        CompiledRuleset compiled;
        try {
            compiled = RuleEngine.compile(source);
        } catch (RulesetCompilationException e) {
            refuse(
                    record.offset(),
                    "release "
                            + release.getVersion()
                            + " does not compile: "
                            + String.join("; ", e.errors()));
            return false;
        }
        String previous = scorer.swap(compiled);
        long sinceRelease = System.currentTimeMillis() - release.getReleasedAt().toEpochMilli();
        log.info(
                "ruleset {} is live ({} by {}: {}), replacing {}; compiled in {} ms, {} ms after"
                        + " its release",
                release.getVersion(),
                release.getKind(),
                release.getAuthor(),
                release.getMessage(),
                previous,
                (System.nanoTime() - started) / 1_000_000,
                sinceRelease);
        return true;
    }

    private void refuse(long offset, String reason) {
        log.error(
                "refused the ruleset release at {}@{}: {}; {} stays live",
                topic.name(),
                offset,
                reason,
                scorer.rulesetVersion());
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
