package org.fraudplatform.providers;

/**
 * What a connector made of one webhook delivery. The provider is answered 2xx for everything but
 * {@link Refused} (and for a {@link Relay} only once the ledger took it), so it stops resending.
 */
public sealed interface WebhookReceipt {

    /** The event's id at the provider. */
    String eventId();

    /** A notice for the ledger. */
    record Relay(String eventId, ProviderNotice notice) implements WebhookReceipt {}

    /**
     * A genuine event the ledger needs nothing from (it started the operation itself, or it is a
     * step the platform does not model), with the reason.
     */
    record Acknowledged(String eventId, String type, String reason) implements WebhookReceipt {}

    /** An event already received: nothing is done twice. */
    record Duplicate(String eventId) implements WebhookReceipt {}

    /** Not from the provider, or too old: answered 400 and ignored. */
    record Refused(String eventId, String reason) implements WebhookReceipt {}
}
