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
