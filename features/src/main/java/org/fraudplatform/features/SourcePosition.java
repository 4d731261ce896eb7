package org.fraudplatform.features;

/**
 * Where a payment's request sits in the request log: its partition and offset. A replay of the same
 * request (a stream task that restarts from its last committed offset after a crash) carries the
 * same position, so state that cannot keep every payment's id can still tell a replay from a new
 * payment. Offline history has no positions, and no replays.
 *
 * @param partition the request's partition, 0 or more
 * @param offset the request's offset in that partition, 0 or more
 */
public record SourcePosition(int partition, long offset) {

    /** The most partitions a position may name: bounds the state that remembers positions. */
    public static final int MAX_PARTITIONS = 1_000;

    public SourcePosition {
        if (partition < 0 || partition >= MAX_PARTITIONS) {
            throw new IllegalArgumentException(
                    "partition must be in [0, " + MAX_PARTITIONS + "), was " + partition);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }
}
