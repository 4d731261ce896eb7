package org.fraudplatform.risk;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.runtime.AuditLog;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.ReleaseKind;
import org.fraudplatform.schemas.RulesetRelease;
import org.fraudplatform.schemas.topics.Topics;

/**
 * Publishes rulesets to {@code rules.rulesets} (where every scoring instance picks them up), each
 * signed with the release-signing key, and writes each change to {@code audit.events}; reads the
 * release history back, each release checked against the trusted keys as the scoring instances
 * check it. A rollback only puts live again a release that a trusted key signed.
 */
public final class RulesetReleases implements AutoCloseable {

    private final KafkaConnection kafka;
    private final Topics topics;
    private final ReleaseSigner signer;
    private final TrustedKeys trusted;
    private final KafkaProducer<String, RulesetRelease> releases;
    private final AuditLog audit;

    /**
     * @param signer signs what this publishes; null for one that only reads ({@link #deploy} and
     *     {@link #rollback} then refuse)
     * @param trusted the keys the scoring instances trust, for {@link #checkedHistory} and {@link
     *     #rollback}
     */
    public RulesetReleases(
            KafkaConnection kafka, Topics topics, ReleaseSigner signer, TrustedKeys trusted) {
        this.kafka = kafka;
        this.topics = topics;
        this.signer = signer;
        this.trusted = Objects.requireNonNull(trusted, "trusted");
        this.releases = TopicIo.producer(kafka, topics.rulesets());
        this.audit = new AuditLog(kafka, topics.audit());
    }

    /**
     * A release as the scoring instances judge it: taken up, or refused for its signature.
     *
     * @param refusal why the instances refuse it; null when a trusted key signed it
     */
    public record Entry(RulesetRelease release, ReleaseRefusal refusal) {
        public boolean trusted() {
            return refusal == null;
        }
    }

    /** Puts a (validated) ruleset live. */
    public RulesetRelease deploy(RulesetSource source, int cases, String author, String message)
            throws InterruptedException, ExecutionException, TimeoutException {
        RulesetRelease release =
                release(source, cases, ReleaseKind.DEPLOY, author).setMessage(message).build();
        return publish(release, "ruleset.deploy");
    }

    /**
     * A (validated) ruleset to propose for a second person's approval: the release {@link #deploy}
     * would publish, unsigned; nothing goes live.
     */
    public static RulesetRelease proposal(
            RulesetSource source, int cases, String author, String message) {
        return release(source, cases, ReleaseKind.DEPLOY, author).setMessage(message).build();
    }

    /** Writes a recorded proposal to {@code audit.events} ({@code ruleset.propose}). */
    public void recordProposal(RulesetRelease proposal)
            throws InterruptedException, ExecutionException, TimeoutException {
        audit.record(
                proposal.getAuthor(),
                "ruleset.propose",
                "ruleset:" + proposal.getVersion(),
                proposal.getReleasedAt(),
                Map.of(
                        "message", proposal.getMessage(),
                        "files", fileNames(proposal),
                        "cases", Integer.toString(proposal.getCases())));
    }

    /**
     * Puts a proposed release live once another person approved it: signed, published and audited
     * as {@code ruleset.deploy} by the approver, with who proposed it.
     */
    public RulesetRelease publishApproved(RulesetRelease proposal, String approver)
            throws InterruptedException, ExecutionException, TimeoutException {
        RulesetRelease release =
                RulesetRelease.newBuilder(proposal).setReleasedAt(Instant.now()).build();
        return publish(release, "ruleset.deploy", approver);
    }

    private static String fileNames(RulesetRelease release) {
        return String.join(",", release.getFiles().keySet().stream().sorted().toList());
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
        return Optional.of(publish(release, "ruleset.packaged"));
    }

    /**
     * Puts an earlier release live again; empty when no release has that version.
     *
     * @throws IllegalArgumentException when no release of that version is signed by a trusted key:
     *     a rollback never signs what the scoring instances refused
     */
    public Optional<RulesetRelease> rollback(String version, String author)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Entry> ofVersion =
                checkedHistory().stream()
                        .filter(e -> e.release().getVersion().equals(version))
                        .toList();
        if (ofVersion.isEmpty()) {
            return Optional.empty();
        }
        Optional<RulesetRelease> earlier =
                ofVersion.stream().filter(Entry::trusted).map(Entry::release).reduce((a, b) -> b);
        if (earlier.isEmpty()) {
            throw new IllegalArgumentException(
                    "release "
                            + version
                            + " was refused by the scoring instances ("
                            + ofVersion.get(ofVersion.size() - 1).refusal().message()
                            + "): it cannot be put live again; deploy its folder instead");
        }
        RulesetRelease again =
                RulesetRelease.newBuilder(earlier.get())
                        .setKind(ReleaseKind.ROLLBACK)
                        .setAuthor(author)
                        .setMessage("rollback to " + version)
                        .setReleasedAt(Instant.now())
                        .build();
        return Optional.of(publish(again, "ruleset.rollback"));
    }

    /** Signs, publishes and audits under its author; returns the release as published. */
    private RulesetRelease publish(RulesetRelease unsigned, String action)
            throws InterruptedException, ExecutionException, TimeoutException {
        return publish(unsigned, action, null);
    }

    /**
     * Signs, publishes and audits; returns the release as published.
     *
     * @param approver who approved the author's proposal (the audit event's actor), or null
     */
    private RulesetRelease publish(RulesetRelease unsigned, String action, String approver)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (signer == null) {
            throw new IllegalStateException("no release-signing key: this instance only reads");
        }
        RulesetRelease release = signer.sign(unsigned);
        releases.send(new ProducerRecord<>(topics.rulesets().name(), release.getVersion(), release))
                .get(30, TimeUnit.SECONDS);
        Map<String, String> details = new HashMap<>();
        details.put("message", release.getMessage());
        details.put("files", fileNames(release));
        details.put("cases", Integer.toString(release.getCases()));
        details.put("signedBy", release.getSigningKeyId());
        if (approver != null) {
            details.put("proposedBy", release.getAuthor());
        }
        audit.record(
                approver != null ? approver : release.getAuthor(),
                action,
                "ruleset:" + release.getVersion(),
                release.getReleasedAt(),
                details);
        return release;
    }

    /**
     * Every release still in the topic, oldest first, each with the scoring instances' judgement of
     * its signature; the last trusted one is live (unless it does not compile).
     */
    public List<Entry> checkedHistory() {
        return history().stream().map(r -> new Entry(r, trusted.check(r).orElse(null))).toList();
    }

    /** Every release still in the topic, oldest first, signed or not. */
    public List<RulesetRelease> history() {
        return readAll(kafka, topics);
    }

    /** Every release in {@code rules.rulesets}, oldest first, signed or not. */
    public static List<RulesetRelease> readAll(KafkaConnection kafka, Topics topics) {
        List<RulesetRelease> all = new ArrayList<>();
        for (ConsumerRecord<String, RulesetRelease> r : TopicIo.readAll(kafka, topics.rulesets())) {
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
