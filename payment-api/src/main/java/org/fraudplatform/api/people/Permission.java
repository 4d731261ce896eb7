package org.fraudplatform.api.people;

/**
 * What a change needs: each command and operator route that changes something names one, and a
 * person's {@link Role} grants it or not ({@link Role#may}).
 */
public enum Permission {
    /** Approve or reject a payment in review, claim a case. */
    REVIEWS("decide reviews"),
    /** Put values on the block and allow lists, take them off. */
    LISTS("change the lists"),
    /** Deploy and roll back rule sets. */
    RULES("deploy rules"),
    /** Register, promote and shadow models. */
    MODELS("release models"),
    /** Import settlement files, resolve reconciliation exceptions. */
    RECONCILIATION("reconcile"),
    /** Relay a payment provider's notice (a chargeback, a settled bank transfer). */
    PROVIDER_NOTICES("relay provider notices"),
    /** Create merchants, issue, rotate and revoke their keys. */
    MERCHANTS("manage merchants and keys"),
    /** Create and disable people, issue their tokens. */
    PEOPLE("manage people"),
    /** Read the audit trail. */
    AUDIT("read the audit trail");

    private final String words;

    Permission(String words) {
        this.words = words;
    }

    /** The permission in words, for refusals: "deploy rules". */
    public String words() {
        return words;
    }
}
