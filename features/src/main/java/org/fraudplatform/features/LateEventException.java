package org.fraudplatform.features;

/**
 * A payment arrived further behind its entity's newest payment than the grace allows: the payments
 * its windows need may already be gone, so its features cannot be exact. The caller dead-letters it
 * with this message; the entity's state is unchanged.
 */
public final class LateEventException extends RuntimeException {

    public LateEventException(String message) {
        super(message);
    }
}
