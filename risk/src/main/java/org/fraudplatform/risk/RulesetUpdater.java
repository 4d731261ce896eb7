package org.fraudplatform.risk;

import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.risk.signing.RefusalCounts;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetCompilationException;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the live ruleset from {@code rules.rulesets}, in the global thread: each release, in the
 * order published, must decode, be signed as it is by one of the trusted keys (unsigned, an unknown
 * key or a signature that does not verify is refused), hold files that hash to its version, and
 * compile; then it is swapped in between two payments (scoring goes on with the old ruleset while
 * it compiles) and the global store {@link RiskTopology#RULESETS_STORE} keeps it under {@link
 * #LIVE}. A refused release is logged with its position and reason and counted; the running ruleset
 * stays, so after a refused newest release the one before it decides, as on the instances that were
 * running when it came.
 *
 * <p>On start the stored live release is checked again, against the keys trusted now, and put live
 * before the releases published after it are read. One that the keys trusted now refuse is dropped,
 * and the packaged ruleset decides until the next release (the releases before it are not read
 * again: the store's position in the topic is kept with it).
 */
public final class RulesetUpdater implements Processor<String, byte[], Void, Void> {

    /** The store's key of the live release. */
    public static final String LIVE = "live";

    private static final Logger log = LoggerFactory.getLogger(RulesetUpdater.class);

    private final Deserializer<RulesetRelease> releases;
    private final SwappableRiskScorer rules;
    private final TrustedKeys trusted;
    private final RefusalCounts refusals;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    private RulesetUpdater(
            Deserializer<RulesetRelease> releases,
            SwappableRiskScorer rules,
            TrustedKeys trusted,
            RefusalCounts refusals) {
        this.releases = releases;
        this.rules = rules;
        this.trusted = Objects.requireNonNull(trusted, "trusted");
        this.refusals = refusals;
    }

    /**
     * The updater of the global store {@link RiskTopology#RULESETS_STORE}.
     *
     * @param rules where a release is swapped in
     * @param trusted the keys whose signatures this instance accepts
     * @param refusals where refused releases are counted, by reason
     */
    public static ProcessorSupplier<String, byte[], Void, Void> supplier(
            Deserializer<RulesetRelease> releases,
            SwappableRiskScorer rules,
            TrustedKeys trusted,
            RefusalCounts refusals) {
        return () -> new RulesetUpdater(releases, rules, trusted, refusals);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(RiskTopology.RULESETS_STORE);
        byte[] stored = store.get(LIVE);
        if (stored != null && !apply(stored, "the stored live release")) {
            store.delete(LIVE);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return; // a version compacted away: the live ruleset is the newest record, not this
        }
        if (apply(record.value(), position())) {
            store.put(LIVE, record.value());
        }
    }

    /** True when the release is (now) live. */
    private boolean apply(byte[] bytes, String where) {
        long started = System.nanoTime();
        RulesetRelease release;
        try {
            release = releases.deserialize(Topics.RULESETS, bytes);
        } catch (RuntimeException e) {
            refuse(where, ReleaseRefusal.Reason.INVALID, "cannot decode it: " + e.getMessage());
            return false;
        }
        // before anything else: an unsigned copy of the live version is not the live release
        var refusal = trusted.check(release);
        if (refusal.isPresent()) {
            refuse(
                    where,
                    refusal.get().reason(),
                    "release "
                            + release.getVersion()
                            + " by "
                            + release.getAuthor()
                            + ": "
                            + refusal.get().message());
            return false;
        }
        if (release.getVersion().equals(rules.rulesetVersion())) {
            return true;
        }
        CompiledRuleset compiled;
        try {
            RulesetSource source = RulesetSource.ofBuffers(release.getFiles());
            if (!source.version().equals(release.getVersion())) {
                refuse(
                        where,
                        ReleaseRefusal.Reason.INVALID,
                        "release "
                                + release.getVersion()
                                + " holds files of version "
                                + source.version());
                return false;
            }
            compiled = RuleEngine.compile(source);
        } catch (RulesetCompilationException e) {
            refuse(
                    where,
                    ReleaseRefusal.Reason.INVALID,
                    "release "
                            + release.getVersion()
                            + " does not compile: "
                            + String.join("; ", e.errors()));
            return false;
        } catch (RuntimeException e) {
            // never let a release stop the global thread, and with it every decision
            refuse(
                    where,
                    ReleaseRefusal.Reason.INVALID,
                    "release " + release.getVersion() + " cannot be used: " + e);
            return false;
        }
        String previous = rules.swap(compiled);
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
                System.currentTimeMillis() - release.getReleasedAt().toEpochMilli());
        return true;
    }

    private void refuse(String where, ReleaseRefusal.Reason reason, String why) {
        refusals.add(reason);
        log.error(
                "refused the ruleset release at {}: {}; {} stays live",
                where,
                why,
                rules.rulesetVersion());
    }

    private String position() {
        return context.recordMetadata()
                .map(m -> m.topic() + "@" + m.offset())
                .orElse(Topics.RULESETS);
    }
}
