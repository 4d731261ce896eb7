package org.fraudplatform.api.payments;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.fraudplatform.schemas.RiskDecision;

/**
 * Requests waiting for their risk decision, by correlation id. The decision listener completes
 * them; no thread waits.
 *
 * <p>A decision for an unknown correlation id (already completed, or for another instance) is
 * ignored and counted.
 */
public final class PendingDecisions {

    private final ConcurrentMap<String, CompletableFuture<RiskDecision>> waiting =
            new ConcurrentHashMap<>();

    /** Registers a request before it is published, so its decision cannot arrive unseen. */
    public CompletableFuture<RiskDecision> register(String correlationId) {
        CompletableFuture<RiskDecision> future = new CompletableFuture<>();
        if (waiting.putIfAbsent(correlationId, future) != null) {
            throw new IllegalStateException("correlation id already waiting: " + correlationId);
        }
        return future;
    }

    /** Completes the waiting request; false when nobody waits for this decision. */
    public boolean complete(RiskDecision decision) {
        CompletableFuture<RiskDecision> future = waiting.remove(decision.getCorrelationId());
        return future != null && future.complete(decision);
    }

    /** Gives up on a request (its hold expired or publishing failed). */
    public void abandon(String correlationId) {
        waiting.remove(correlationId);
    }

    public int size() {
        return waiting.size();
    }
}
