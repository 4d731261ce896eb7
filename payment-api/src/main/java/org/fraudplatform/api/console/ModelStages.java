package org.fraudplatform.api.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry for the console's models page, implemented where the registry is (the
 * platform), through the same code as {@code bin/fraud models list|promote|shadow|rollback}, so
 * that the console needs nothing of the risk role. Every change is signed with the platform's
 * release-signing key and audited under the person's name.
 */
public interface ModelStages {

    /** Every registered model a trusted key signed, newest stage change first. */
    List<Model> models();

    /**
     * Makes the model the champion; the current champion retires.
     *
     * @throws IllegalArgumentException when no model has that version, or it does not fit the
     *     running feature catalogue
     */
    Model promote(String version, String person);

    /** Puts the model in shadow: scored on every payment and recorded, deciding nothing. */
    Model shadow(String version, String person);

    /**
     * Makes the champion before the current one champion again.
     *
     * @return the champion now, or empty when the rules decide alone again
     * @throws IllegalArgumentException when there is no champion to roll back
     */
    Optional<Model> rollback(String person);

    /**
     * The promotions proposed with four eyes that wait for a second person, oldest first.
     *
     * <p>The default: a registry without four eyes, where nothing waits.
     */
    default List<Proposal> proposals() {
        return List.of();
    }

    /**
     * Proposes the promotion of a model to champion (four eyes): nothing changes until another
     * person approves it; audited.
     *
     * @throws IllegalArgumentException when no model has that version, it does not fit the
     *     catalogue, or its promotion already waits
     */
    default Model propose(String version, String person) {
        throw new UnsupportedOperationException("this registry takes no proposals");
    }

    /**
     * Makes the promotion another person proposed; audited under this person's name with who
     * proposed it.
     *
     * @throws IllegalArgumentException when no promotion of that version waits, or this person
     *     proposed it
     */
    default Model approve(String version, String person) {
        throw new UnsupportedOperationException("this registry takes no proposals");
    }

    /** A promotion to champion waiting for a second person. */
    record Proposal(String version, String proposedBy, Instant proposedAt) {}

    /** A registered model: what it is, its stage and who put it there, its test metrics. */
    record Model(
            String version,
            String name,
            String kind,
            String stage,
            Map<String, Double> metrics,
            Instant testedFrom,
            Instant testedTo,
            String author,
            String message,
            Instant stageChangedAt,
            String stageChangedBy) {}
}
