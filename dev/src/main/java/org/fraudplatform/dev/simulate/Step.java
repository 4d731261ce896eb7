package org.fraudplatform.dev.simulate;

/** How a request after the authorization went: a capture, a refund, a review decision, a label. */
public enum Step {
    /** Not sent: not planned, or not possible (nothing was captured). */
    NOT_SENT,
    /** The platform took it (2xx). */
    ACCEPTED,
    /** The platform refused it, or did not answer. */
    REFUSED;

    static Step of(ApiClient.Reply reply) {
        return reply.status() >= 200 && reply.status() < 300 ? ACCEPTED : REFUSED;
    }

    /** Whether it was sent at all. */
    public boolean sent() {
        return this != NOT_SENT;
    }
}
