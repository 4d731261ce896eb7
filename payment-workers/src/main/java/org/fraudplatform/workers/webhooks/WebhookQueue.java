package org.fraudplatform.workers.webhooks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.workers.events.LedgerEventsConsumer;

/**
 * Turns ledger events into queued webhook deliveries, one per event and subscribed endpoint, in
 * PostgreSQL. Run by a {@link LedgerEventsConsumer}, which commits only after a batch is queued; a
 * batch read again queues nothing twice (the delivery id is {@code <event id>:<endpoint id>}).
 * {@code onQueued} runs after new deliveries were queued, so the sender takes them at once instead
 * of at its next scan.
 */
public final class WebhookQueue implements LedgerEventsConsumer.Handler {

    private final WebhookStore store;
    private final Clock clock;
    private final Runnable onQueued;

    public WebhookQueue(WebhookStore store, Clock clock, Runnable onQueued) {
        this.store = store;
        this.clock = clock;
        this.onQueued = onQueued;
    }

    @Override
    public void handle(List<PaymentEvent> events) {
        Map<String, List<WebhookStore.Endpoint>> endpoints = new HashMap<>();
        List<WebhookStore.Delivery> queued = new ArrayList<>();
        for (PaymentEvent e : events) {
            var type = WebhookEvents.type(e);
            if (type.isEmpty()) {
                continue;
            }
            for (WebhookStore.Endpoint ep :
                    endpoints.computeIfAbsent(e.getMerchantId(), store::endpoints)) {
                if (ep.wants(type.get())) {
                    queued.add(
                            new WebhookStore.Delivery(
                                    e.getEventId() + ":" + ep.id(),
                                    ep.id(),
                                    e.getMerchantId(),
                                    e.getEventId(),
                                    type.get(),
                                    WebhookEvents.payload(e),
                                    "pending",
                                    0,
                                    clock.instant(),
                                    null,
                                    null,
                                    e.getEventTime(),
                                    clock.instant(),
                                    null));
                }
            }
        }
        if (store.enqueue(queued) > 0) {
            onQueued.run();
        }
    }
}
