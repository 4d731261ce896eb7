package org.fraudplatform.runtime.consumer;

import java.time.Instant;
import java.util.Optional;

/**
 * What a loop tells about itself, for readiness and metrics, without letting the reader stop it:
 * what the classes built on a loop expose.
 */
public interface ConsumerHealth {

    /** True while the thread runs: from the start until the close. */
    boolean isAlive();

    /** When the consumer last returned from a poll (a paused one included); empty before. */
    Optional<Instant> lastPoll();

    /** Records whose batch the loop moved past after its handler returned (dead letters not). */
    long recordsHandled();

    /** Times a batch failed and was read again. */
    long batchesRetried();

    /** Records sent to the dead-letter sink. */
    long recordsDeadLettered();

    /** Times the loop itself failed (not a handler) and went on, or started a new consumer. */
    long restarts();

    /** Records skipped because they could not be deserialized. */
    long recordsSkipped();
}
