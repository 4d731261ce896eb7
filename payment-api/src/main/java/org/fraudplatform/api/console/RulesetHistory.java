package org.fraudplatform.api.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The ruleset releases as the risk role takes them up, for the console's rules pages: implemented
 * where the releases are published (the platform), so that the console needs nothing of the risk
 * role.
 */
public interface RulesetHistory {

    /** Every release, newest first; the first one not refused is live. */
    List<Release> releases();

    /**
     * Puts an earlier release live again, audited under the person's name.
     *
     * @throws IllegalArgumentException when no release has that version, or none of that version is
     *     signed by a trusted key
     */
    Release rollback(String version, String person);

    /**
     * The releases proposed with four eyes ({@code rules deploy --require-approval}) that wait for
     * a second person, oldest first.
     *
     * <p>The default: nothing waits.
     */
    default List<Proposal> proposals() {
        return List.of();
    }

    /**
     * Puts live a release another person proposed: signed, published and audited under this
     * person's name with who proposed it.
     *
     * @throws IllegalArgumentException when no proposal of that version waits, or this person
     *     proposed it
     */
    default Release approve(String version, String person) {
        throw new UnsupportedOperationException("these rules take no proposals");
    }

    /**
     * A release waiting for a second person.
     *
     * @param files its files by name, to be read before it is approved
     */
    record Proposal(
            String version,
            String message,
            int cases,
            Map<String, String> files,
            String proposedBy,
            Instant proposedAt) {

        /** The proposal as a release of kind {@code proposal}, for the release and diff page. */
        public Release asRelease() {
            return new Release(
                    version, "proposal", proposedBy, message, proposedAt, cases, files, null);
        }
    }

    /**
     * A ruleset release: its content hash, what made it, who, when, why, and its files.
     *
     * @param refusal why the scoring instances refuse it (unsigned, signed by a key they do not
     *     trust, a signature that does not verify); null when they take it up
     */
    record Release(
            String version,
            String kind,
            String author,
            String message,
            Instant releasedAt,
            int cases,
            Map<String, String> files,
            String refusal) {

        public boolean refused() {
            return refusal != null;
        }
    }
}
