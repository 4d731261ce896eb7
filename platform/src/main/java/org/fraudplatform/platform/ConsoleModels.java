package org.fraudplatform.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fraudplatform.api.console.ModelStages;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.risk.models.ModelProposals;
import org.fraudplatform.risk.models.ModelRegistry;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The model registry for the console's models page, through {@link ModelRegistry} as {@code
 * bin/fraud models list|promote|shadow|rollback} do: a change from the console is signed with the
 * platform's release-signing key and audited under the person's name. The registry is read again at
 * most every few seconds (its records carry the models themselves), and after every change.
 */
final class ConsoleModels implements ModelStages, AutoCloseable {

    private static final Duration KEEP = Duration.ofSeconds(5);

    private final ModelRegistry registry;
    private final ModelProposals proposals;
    private List<Model> last;
    private long readAtNanos;

    ConsoleModels(
            KafkaConnection kafka,
            Topics topics,
            FeatureCatalogue catalogue,
            ReleaseSigner signer,
            TrustedKeys trusted,
            javax.sql.DataSource dataSource) {
        this.registry = new ModelRegistry(kafka, topics, catalogue, signer, trusted);
        this.proposals = new ModelProposals(dataSource, java.time.Clock.systemUTC());
    }

    @Override
    public List<Proposal> proposals() {
        return proposals.pending().stream()
                .map(p -> new Proposal(p.version(), p.proposedBy(), p.proposedAt()))
                .toList();
    }

    @Override
    public synchronized Model propose(String version, String person) {
        return change(
                () ->
                        registry.proposePromotion(
                                version, person, () -> proposals.propose(version, person)));
    }

    @Override
    public synchronized Model approve(String version, String person) {
        return change(
                () ->
                        proposals.approve(
                                version,
                                person,
                                p ->
                                        registry.promoteApproved(
                                                p.version(), person, p.proposedBy())));
    }

    @Override
    public synchronized List<Model> models() {
        if (last == null || System.nanoTime() - readAtNanos > KEEP.toNanos()) {
            List<Model> out = new ArrayList<>();
            for (ModelRelease r : registry.list()) {
                out.add(model(r));
            }
            last = List.copyOf(out);
            readAtNanos = System.nanoTime();
        }
        return last;
    }

    @Override
    public synchronized Model promote(String version, String person) {
        return change(() -> registry.promote(version, person));
    }

    @Override
    public synchronized Model shadow(String version, String person) {
        return change(() -> registry.shadow(version, person));
    }

    @Override
    public synchronized Optional<Model> rollback(String person) {
        try {
            Optional<ModelRelease> r = registry.rollback(person);
            last = null;
            return r.map(ConsoleModels::model);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while changing the registry", e);
        } catch (Exception e) {
            throw new IllegalStateException("the registry did not change: " + e.getMessage(), e);
        }
    }

    private interface Change {
        ModelRelease run() throws Exception;
    }

    private Model change(Change change) {
        try {
            Model m = model(change.run());
            last = null;
            return m;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while changing the registry", e);
        } catch (Exception e) {
            throw new IllegalStateException("the registry did not change: " + e.getMessage(), e);
        }
    }

    private static Model model(ModelRelease r) {
        return new Model(
                r.getVersion(),
                r.getName(),
                r.getKind(),
                r.getStage().name(),
                java.util.Map.copyOf(r.getMetrics()),
                r.getTestedFrom(),
                r.getTestedTo(),
                r.getAuthor(),
                r.getMessage(),
                r.getStageChangedAt(),
                r.getStageChangedBy());
    }

    @Override
    public void close() {
        registry.close();
    }
}
