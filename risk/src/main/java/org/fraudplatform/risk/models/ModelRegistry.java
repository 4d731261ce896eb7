package org.fraudplatform.risk.models;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.runtime.AuditLog;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The model registry on the compacted {@code models} topic: register a trained model as a
 * candidate, put one in shadow, promote one to champion, roll back to the champion before. A model
 * whose inputs do not fit the running feature catalogue is refused with the reason; every change is
 * signed with the release-signing key and is an {@code AuditEvent}. The risk topology's watcher
 * picks each change up without a restart. The registry as read here holds only the records a
 * trusted key signed, as the watchers see it: a record published around the registry, unsigned or
 * signed by another key, can be neither listed nor promoted.
 */
public final class ModelRegistry implements AutoCloseable {

    private final KafkaConnection kafka;
    private final Topics topics;
    private final FeatureCatalogue catalogue;
    private final ReleaseSigner signer;
    private final TrustedKeys trusted;
    private final KafkaProducer<String, ModelRelease> producer;
    private final AuditLog audit;

    /**
     * @param signer signs every change this publishes; null for a registry that only reads (every
     *     change then refuses)
     * @param trusted the keys the scoring instances trust: the records they refuse are not part of
     *     the registry
     */
    public ModelRegistry(
            KafkaConnection kafka,
            Topics topics,
            FeatureCatalogue catalogue,
            ReleaseSigner signer,
            TrustedKeys trusted) {
        this.kafka = kafka;
        this.topics = topics;
        this.catalogue = catalogue;
        this.signer = signer;
        this.trusted = Objects.requireNonNull(trusted, "trusted");
        java.util.Properties p = new java.util.Properties();
        p.putAll(kafka.map());
        p.put(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all");
        p.put(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(
                org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                16 * 1024 * 1024);
        p.put(org.apache.kafka.clients.producer.ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        this.producer =
                new KafkaProducer<>(
                        p,
                        topics.models().keySerde().serializer(),
                        topics.models().valueSerde().serializer());
        this.audit = new AuditLog(kafka, topics.audit());
    }

    /** The registry as it stands: the records a trusted key signed. */
    public ModelRegistryView view() {
        ModelRegistryView view = new ModelRegistryView();
        TopicIo.readAll(kafka, topics.models()).stream()
                .filter(r -> r.value() != null && trusted.check(r.value()).isEmpty())
                .forEach(r -> view.apply(r.value()));
        return view;
    }

    /**
     * Registers a trained model as a candidate.
     *
     * @throws IllegalArgumentException when it does not fit the running catalogue (the reason says
     *     why)
     */
    public ModelRelease register(ModelArtifact artifact, String author, String message)
            throws Exception {
        ModelRelease release =
                artifact.release(ModelStage.CANDIDATE, author, message, Instant.now());
        refuseIfUnfit(release);
        Optional<ModelRelease> existing = view().version(release.getVersion());
        if (existing.isPresent()) {
            return existing.get(); // the same content is the same model: registering is idempotent
        }
        return publish(
                release,
                author,
                "model.register",
                Map.of("name", artifact.name(), "message", message));
    }

    /** Makes {@code version} the champion; the current champion retires. */
    public ModelRelease promote(String version, String author) throws Exception {
        return moveTo(
                version,
                ModelStage.CHAMPION,
                "model.promote",
                ModelStage.RETIRED,
                "model.retire",
                author,
                Map.of());
    }

    /**
     * Makes {@code version} the champion on the approval of a promotion another person proposed
     * (four eyes): audited as {@code model.promote} by the approver, with {@code proposedBy}.
     */
    public ModelRelease promoteApproved(String version, String approver, String proposedBy)
            throws Exception {
        return moveTo(
                version,
                ModelStage.CHAMPION,
                "model.promote",
                ModelStage.RETIRED,
                "model.retire",
                approver,
                Map.of("proposedBy", proposedBy));
    }

    /**
     * Checks that {@code version} could be promoted (registered, fitting the catalogue), records
     * the proposal with {@code record} (which may refuse it by throwing) and audits it ({@code
     * model.propose}); nothing changes on the models topic.
     *
     * @throws IllegalArgumentException for an unknown or unfit version
     */
    public ModelRelease proposePromotion(String version, String author, Runnable record)
            throws Exception {
        ModelRelease release = find(view(), version);
        refuseIfUnfit(release);
        record.run();
        audit.record(
                author,
                "model.propose",
                version,
                Instant.now(),
                Map.of("name", release.getName(), "stage", "champion"));
        return release;
    }

    /** Puts {@code version} in shadow: scored on every payment and recorded, deciding nothing. */
    public ModelRelease shadow(String version, String author) throws Exception {
        return moveTo(
                version,
                ModelStage.SHADOW,
                "model.shadow",
                ModelStage.CANDIDATE,
                "model.unshadow",
                author,
                Map.of());
    }

    /**
     * Moves {@code version} into a one-model stage; every other model in it (normally one; more if
     * someone raced or bypassed the registry) moves to {@code displacedTo}.
     */
    private ModelRelease moveTo(
            String version,
            ModelStage stage,
            String action,
            ModelStage displacedTo,
            String displacedAction,
            String author,
            Map<String, String> details)
            throws Exception {
        ModelRegistryView view = view();
        ModelRelease release = find(view, version);
        refuseIfUnfit(release);
        Map<String, String> movedDetails = new HashMap<>(details);
        movedDetails.put("name", release.getName());
        ModelRelease moved = publish(restage(release, stage, author), author, action, movedDetails);
        for (ModelRelease old : view.inStage(stage)) {
            if (!old.getVersion().equals(version)) {
                publish(
                        restage(old, displacedTo, author),
                        author,
                        displacedAction,
                        Map.of("replacedBy", version));
            }
        }
        return moved;
    }

    /**
     * Makes the champion before the current one champion again; the current one goes back to the
     * candidates. When there was none before (that still fits the catalogue), the registry goes
     * back to the state before the first promotion: no champion, the rules alone decide; the result
     * is then empty.
     *
     * @throws IllegalArgumentException when there is no champion to roll back
     */
    public Optional<ModelRelease> rollback(String author) throws Exception {
        ModelRegistryView view = view();
        List<ModelRelease> current = view.inStage(ModelStage.CHAMPION);
        if (current.isEmpty()) {
            throw new IllegalArgumentException(
                    "no model is champion: the rules alone decide, there is nothing to roll back");
        }
        // the champion before is the retired model whose stage changed last (one that no longer
        // fits the catalogue cannot come back)
        Optional<ModelRelease> previous =
                view.inStage(ModelStage.RETIRED).stream()
                        .filter(r -> LoadedModel.problem(r, catalogue).isEmpty())
                        .findFirst();
        if (previous.isEmpty()) {
            for (ModelRelease champion : current) {
                publish(
                        restage(champion, ModelStage.CANDIDATE, author),
                        author,
                        "model.rollback",
                        Map.of("name", champion.getName(), "rolledBackTo", "no model"));
            }
            return Optional.empty();
        }
        ModelRelease restored =
                publish(
                        restage(previous.get(), ModelStage.CHAMPION, author),
                        author,
                        "model.rollback",
                        Map.of("name", previous.get().getName()));
        for (ModelRelease demoted : current) {
            publish(
                    restage(demoted, ModelStage.CANDIDATE, author),
                    author,
                    "model.demote",
                    Map.of("rolledBackTo", restored.getVersion()));
        }
        return Optional.of(restored);
    }

    private void refuseIfUnfit(ModelRelease release) {
        LoadedModel.problem(release, catalogue)
                .ifPresent(
                        p -> {
                            throw new IllegalArgumentException(
                                    "model " + release.getVersion() + " refused: " + p);
                        });
    }

    private static ModelRelease find(ModelRegistryView view, String version) {
        return view.version(version)
                .orElseThrow(
                        () -> new IllegalArgumentException("no model with version " + version));
    }

    private static ModelRelease restage(ModelRelease r, ModelStage stage, String author) {
        return ModelRelease.newBuilder(r)
                .setStage(stage)
                .setStageChangedAt(Instant.now())
                .setStageChangedBy(author)
                .build();
    }

    /** Signs, publishes and audits; returns the record as published. */
    private ModelRelease publish(
            ModelRelease unsigned, String author, String action, Map<String, String> details)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (signer == null) {
            throw new IllegalStateException("no release-signing key: this registry only reads");
        }
        ModelRelease release = signer.sign(unsigned);
        producer.send(new ProducerRecord<>(topics.models().name(), release.getVersion(), release))
                .get(30, TimeUnit.SECONDS);
        Map<String, String> signed = new HashMap<>(details);
        signed.put("signedBy", release.getSigningKeyId());
        audit.record(author, action, release.getVersion(), release.getStageChangedAt(), signed);
        return release;
    }

    /** All versions, newest stage change first. */
    public List<ModelRelease> list() {
        return view().all();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        audit.close();
    }
}
