package org.fraudplatform.risk;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.schemas.PendingDecision;

/**
 * Where a payment waits for its entities' features while its request is being processed.
 *
 * <p>The fan-out opens a payment here, before it asks any entity. Entities on the request's own
 * partition answer within the same call (forwarded in place), so a payment whose entities all
 * answer in place is decided before the fan-out returns and never touches {@link
 * RiskTopology#PENDING_STORE}: no encoding of the parked request, no changelog record. When the
 * fan-out returns and the payment still waits for other partitions, it is written to the store
 * once, and later parts find it there. Entries live only during one {@code process} call of one
 * task, which one thread runs at a time; they are kept per task so tasks never see each other's.
 */
final class Parking {

    private final Map<TaskId, Map<String, PendingDecision>> open = new ConcurrentHashMap<>();

    private Map<String, PendingDecision> of(TaskId task) {
        return open.computeIfAbsent(task, t -> new HashMap<>());
    }

    /** The fan-out starts asking for a payment's features. */
    void open(TaskId task, String paymentId, PendingDecision waiting) {
        of(task).put(paymentId, waiting);
    }

    /**
     * The fan-out has asked every entity: a payment still waiting is stored for the parts from
     * other partitions; one already decided is gone.
     */
    void close(TaskId task, String paymentId, KeyValueStore<String, PendingDecision> store) {
        PendingDecision still = of(task).remove(paymentId);
        if (still != null) {
            store.put(paymentId, still);
        }
    }

    /** The payment being asked for in this call, or null when it is not (look in the store). */
    PendingDecision opened(TaskId task, String paymentId) {
        return of(task).get(paymentId);
    }

    /** A payment opened in this call has all its features and is decided. */
    void decided(TaskId task, String paymentId) {
        of(task).remove(paymentId);
    }

    /** Forgets a closed task's entries (none outlive a call; this is for tidiness). */
    void release(TaskId task) {
        open.remove(task);
    }
}
