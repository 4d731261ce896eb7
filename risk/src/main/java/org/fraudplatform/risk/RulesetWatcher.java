package org.fraudplatform.risk;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudplatform.risk.signing.RefusalCounts;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetCompilationException;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.TopicFollower;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a scoring instance on the live ruleset: reads {@code rules.rulesets} from the beginning,
 * and whenever a newer release arrives compiles it in this thread (scoring goes on with the old one
 * meanwhile) and swaps it in between two payments. A release that does not decode, that is not
 * signed by one of the trusted keys as it is (unsigned, an unknown key, a signature that does not
 * verify), whose files do not hash to its version, or that does not compile is refused with the
 * reason in the log and counted ({@link #refusals}); the running ruleset stays.
 */
public final class RulesetWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RulesetWatcher.class);

    private final Topic<String, RulesetRelease> topic;
    private final SwappableRiskScorer scorer;
    private final TrustedKeys trusted;
    private final RefusalCounts refusals = new RefusalCounts();
    private TopicFollower follower;

    /** A watcher fed by {@link #applyNewestValid} alone (the topic only gives it the serde). */
    RulesetWatcher(
            Topic<String, RulesetRelease> topic, SwappableRiskScorer scorer, TrustedKeys trusted) {
        this.topic = topic;
        this.scorer = scorer;
        this.trusted = Objects.requireNonNull(trusted, "trusted");
    }

    /**
     * Starts watching; {@link #awaitCaughtUp} waits until the releases so far are applied.
     *
     * @param trusted the keys whose signatures this instance accepts
     */
    public static RulesetWatcher start(
            KafkaConnection kafka,
            Topic<String, RulesetRelease> topic,
            SwappableRiskScorer scorer,
            TrustedKeys trusted) {
        RulesetWatcher w = new RulesetWatcher(topic, scorer, trusted);
        w.follower =
                TopicFollower.start(kafka, topic.name(), "ruleset-watcher", 0, w::applyNewestValid);
        return w;
    }

    /** Waits until every release published before the start has been read and applied. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /**
     * The newest release that can be applied wins: at start-up, a refused newest release falls back
     * to the one before it, as the instances that were running then did.
     */
    void applyNewestValid(List<ConsumerRecord<String, byte[]>> records) {
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
            refuse(
                    record.offset(),
                    ReleaseRefusal.Reason.INVALID,
                    "cannot decode the release: " + e.getMessage());
            return false;
        }
        // before anything else: an unsigned copy of the live version is not the live release
        var refusal = trusted.check(release);
        if (refusal.isPresent()) {
            refuse(
                    record.offset(),
                    refusal.get().reason(),
                    "release "
                            + release.getVersion()
                            + " by "
                            + release.getAuthor()
                            + ": "
                            + refusal.get().message());
            return false;
        }
        if (release.getVersion().equals(scorer.rulesetVersion())) {
            return true;
        }
        RulesetSource source = RulesetSource.ofBuffers(release.getFiles());
        if (!source.version().equals(release.getVersion())) {
            refuse(
                    record.offset(),
                    ReleaseRefusal.Reason.INVALID,
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
                    ReleaseRefusal.Reason.INVALID,
                    "release "
                            + release.getVersion()
                            + " does not compile: "
                            + String.join("; ", e.errors()));
            return false;
        }
        String previous = scorer.swap(compiled);
        long sinceRelease = System.currentTimeMillis() - release.getReleasedAt().toEpochMilli();
        log.info(
                "ruleset {} is live ({} by {}: {}, signed by key {}), replacing {}; compiled in {}"
                        + " ms, {} ms after its release",
                release.getVersion(),
                release.getKind(),
                release.getAuthor(),
                release.getMessage(),
                release.getSigningKeyId(),
                previous,
                (System.nanoTime() - started) / 1_000_000,
                sinceRelease);
        return true;
    }

    private void refuse(long offset, ReleaseRefusal.Reason reason, String why) {
        refusals.add(reason);
        log.error(
                "refused the ruleset release at {}@{}: {}; {} stays live",
                topic.name(),
                offset,
                why,
                scorer.rulesetVersion());
    }

    /** The releases refused since the start, by reason. */
    public RefusalCounts refusals() {
        return refusals;
    }

    @Override
    public void close() {
        follower.close();
    }
}
