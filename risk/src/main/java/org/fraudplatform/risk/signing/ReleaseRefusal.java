package org.fraudplatform.risk.signing;

import java.util.Locale;

/**
 * Why a scoring instance refused a release: the kind, for counting, and the words, for the log.
 *
 * @param reason what was wrong
 * @param message what was wrong with this release, for a person
 */
public record ReleaseRefusal(Reason reason, String message) {

    /** What can be wrong with a release. */
    public enum Reason {
        /** No signature, or no key id. */
        UNSIGNED,
        /** Signed by a key this instance does not trust. */
        UNKNOWN_KEY,
        /** The signature does not verify: changed after signing, or a forged signature. */
        BAD_SIGNATURE,
        /** Signed well, but unusable: does not decode, compile, or fit the feature catalogue. */
        INVALID;

        /** The metric tag: {@code unsigned}, {@code unknown_key}, … */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
