package org.fraudplatform.risk;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.runtime.AuditLog;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.ReleaseKind;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.topics.Topics;

/**
 * Publishes rulesets to {@code rules.rulesets} (where every scoring instance picks them up) and
 * writes each change to {@code audit.events}; reads the release history back.
 */
public final class RulesetReleases implements AutoCloseable {

    private final String bootstrapServers;
    private final Topics topics;
    private final KafkaProducer<String, RulesetRelease> releases;
    private final AuditLog audit;

    public RulesetReleases(String bootstrapServers, Topics topics) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.releases = TopicIo.producer(bootstrapServers, topics.rulesets());
        this.audit = new AuditLog(bootstrapServers, topics.audit());
    }

    /** Puts a (validated) ruleset live. */
    public RulesetRelease deploy(RulesetSource source, int cases, String author, String message)
            throws InterruptedException, ExecutionException, TimeoutException {
        RulesetRelease release =
                release(source, cases, ReleaseKind.DEPLOY, author).setMessage(message).build();
        publish(release, "ruleset.deploy");
        return release;
    }

    private static RulesetRelease.Builder release(
            RulesetSource source, int cases, ReleaseKind kind, String author) {
        Map<String, ByteBuffer> files = new HashMap<>();
        for (RulesetSource.RuleFile f : source.files()) {
            files.put(f.name(), ByteBuffer.wrap(f.content()));
        }
        return RulesetRelease.newBuilder()
                .setVersion(source.version())
                .setFiles(files)
                .setKind(kind)
                .setAuthor(author)
                .setReleasedAt(Instant.now())
                .setCases(cases);
    }

    /**
     * Makes the ruleset packaged with the platform, the one that decides while nothing was
     * deployed, the first release (kind {@code PACKAGED}, audited as {@code ruleset.packaged}), so
     * that {@code rules history} shows it and a rollback reaches it. Does nothing when the topic
     * holds a release already; empty then. (Two instances starting on an empty cluster at the same
     * moment may both publish it: the same version twice, which compaction folds into one.)
     */
    public Optional<RulesetRelease> publishPackagedIfFirst(RulesetSource packaged)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (!history().isEmpty()) {
            return Optional.empty();
        }
        RulesetRelease release =
                release(packaged, 0, ReleaseKind.PACKAGED, "platform")
                        .setMessage("the packaged ruleset, deciding since the first start")
                        .build();
        publish(release, "ruleset.packaged");
        return Optional.of(release);
    }

    /** Puts an earlier release live again; empty when no release has that version. */
    public Optional<RulesetRelease> rollback(String version, String author)
            throws InterruptedException, ExecutionException, TimeoutException {
        Optional<RulesetRelease> earlier =
                history().stream().filter(r -> r.getVersion().equals(version)).reduce((a, b) -> b);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        RulesetRelease again =
                RulesetRelease.newBuilder(earlier.get())
                        .setKind(ReleaseKind.ROLLBACK)
                        .setAuthor(author)
                        .setMessage("rollback to " + version)
                        .setReleasedAt(Instant.now())
                        .build();
        publish(again, "ruleset.rollback");
        return Optional.of(again);
    }

    private void publish(RulesetRelease release, String action)
            throws InterruptedException, ExecutionException, TimeoutException {
        releases.send(new ProducerRecord<>(topics.rulesets().name(), release.getVersion(), release))
                .get(30, TimeUnit.SECONDS);
        audit.record(
                release.getAuthor(),
                action,
                "ruleset:" + release.getVersion(),
                release.getReleasedAt(),
                Map.of(
                        "message", release.getMessage(),
                        "files",
                                String.join(
                                        ",",
                                        release.getFiles().keySet().stream().sorted().toList()),
                        "cases", Integer.toString(release.getCases())));
    }

    /** Every release still in the topic, oldest first; the last one is live. */
    public List<RulesetRelease> history() {
        List<RulesetRelease> all = new ArrayList<>();
        for (ConsumerRecord<String, RulesetRelease> r :
                TopicIo.readAll(bootstrapServers, topics.rulesets())) {
            all.add(r.value());
        }
        return all;
    }

    @Override
    public void close() {
        releases.close(Duration.ofSeconds(5));
        audit.close();
    }
}
