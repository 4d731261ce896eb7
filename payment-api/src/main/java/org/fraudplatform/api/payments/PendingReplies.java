package org.fraudplatform.api.payments;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Requests waiting for their reply (a risk decision, a ledger result), by correlation id. The reply
 * listener completes them; no thread waits.
 *
 * <p>A reply for an unknown correlation id (already completed, or for another instance) is ignored
 * and counted by the listener.
 *
 * @param <V> the reply type
 */
public final class PendingReplies<V> {

    private final ConcurrentMap<String, CompletableFuture<V>> waiting = new ConcurrentHashMap<>();
    private final Function<V, String> correlationId;

    /**
     * @param correlationId how a reply names the request it answers
     */
    public PendingReplies(Function<V, String> correlationId) {
        this.correlationId = correlationId;
    }

    /** Registers a request before it is published, so its decision cannot arrive unseen. */
    public CompletableFuture<V> register(String correlationId) {
        CompletableFuture<V> future = new CompletableFuture<>();
        if (waiting.putIfAbsent(correlationId, future) != null) {
            throw new IllegalStateException("correlation id already waiting: " + correlationId);
        }
        return future;
    }

    /** Completes the waiting request; false when nobody waits for this reply. */
    public boolean complete(V reply) {
        CompletableFuture<V> future = waiting.remove(correlationId.apply(reply));
        return future != null && future.complete(reply);
    }

    /** Gives up on a request (its hold expired or publishing failed). */
    public void abandon(String correlationId) {
        waiting.remove(correlationId);
    }

    public int size() {
        return waiting.size();
    }
}
