package org.fraudplatform.api.keys;

import java.util.Set;

/**
 * The outcome of checking a presented API key.
 *
 * @param status valid, or why not
 * @param key the key when it is known (valid, expired or revoked), else null
 * @param bucket the key's rate limit on this instance, or null when it has none
 */
public record KeyCheck(Status status, ApiKey key, TokenBucket bucket) {

    /** Why a key was accepted or refused. */
    public enum Status {
        VALID,
        /** Malformed, or no key with that secret exists. */
        UNKNOWN,
        EXPIRED,
        REVOKED
    }

    static final KeyCheck UNKNOWN_KEY = new KeyCheck(Status.UNKNOWN, null, null);

    public boolean valid() {
        return status == Status.VALID;
    }

    public String merchantId() {
        return key.merchantId();
    }

    public boolean allows(Scope scope) {
        return key != null && key.scopes().contains(scope);
    }

    public Set<Scope> scopes() {
        return key == null ? Set.of() : key.scopes();
    }
}
