package org.fraudplatform.providers;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Where one provider's webhook deliveries are verified and read. */
public interface ProviderWebhooks {

    /** The provider instance's name. */
    String provider();

    /**
     * One delivery.
     *
     * @param header the delivery's request headers by name (case-insensitive), null when absent
     * @param body the body exactly as received
     * @return a receipt per event the delivery holds
     */
    CompletableFuture<List<WebhookReceipt>> receive(Function<String, String> header, byte[] body);

    /**
     * Forgets an event, so that its next delivery is handled again (the ledger did not take it).
     */
    void forget(String eventId);

    /** The body the provider expects with a 2xx answer. */
    String acknowledgement();
}
