package org.fraudplatform.features;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The feature state of one entity (one card, one IP, one merchant …), kept by the risk topology in
 * a state store and by the backfill in Flink state, as the same bytes. Two forms:
 *
 * <ul>
 *   <li>{@link EntityHistory}: every payment inside the retention; exact.
 *   <li>{@link BucketedHistory}: payment counts, amounts and fraud labels per time bucket, for
 *       entities the catalogue buckets (the merchant): state bounded by the retention divided by
 *       the bucket, whatever the entity's volume; windows count whole buckets.
 * </ul>
 *
 * <p>Both share a header (format, first seen, newest, payments held), so a clean-up pass can tell
 * expired state from its first bytes. Not thread-safe; one instance belongs to one key of one task.
 */
public interface EntityState {

    /**
     * Records a payment and returns this entity's features as of its event time, the payment
     * included, in catalogue order; absent values are left out. A payment already recorded (a
     * replay) is not counted again.
     *
     * @throws LateEventException if the payment is further behind the entity's newest than the
     *     grace; it is not counted, but the state may remember the refusal (a bucketed state
     *     ignores that payment's later outcomes), so store the state after a refusal too
     */
    default Map<String, Double> record(
            FeaturePayment payment, Entity entity, FeatureCatalogue catalogue) {
        return record(payment, entity, catalogue, null);
    }

    /**
     * {@link #record(FeaturePayment, Entity, FeatureCatalogue)} for a payment read from the request
     * log at {@code position}: a payment whose request this state has already counted (the same
     * position, or an earlier one of the same partition) is a replay and is not counted again,
     * however many payments came between. Null for history without positions (no replays).
     */
    Map<String, Double> record(
            FeaturePayment payment,
            Entity entity,
            FeatureCatalogue catalogue,
            SourcePosition position);

    /**
     * Records an outcome of a payment this entity holds; false, and nothing changes, when it holds
     * no such payment (never seen, refused, or out of every window).
     */
    boolean apply(FeatureOutcome outcome);

    /**
     * Whether nothing in this state can affect a feature of a payment at {@code nowMillis} or
     * later.
     */
    boolean expired(long nowMillis, Entity entity, FeatureCatalogue catalogue);

    /** Payments the state counts. */
    int storedPayments();

    /** The stored form, read back by {@link #fromBytes}. */
    byte[] toBytes();

    /** A new, empty state of the form the catalogue gives the entity. */
    static EntityState empty(Entity entity, FeatureCatalogue catalogue) {
        return catalogue.bucket(entity).isZero()
                ? EntityHistory.empty()
                : BucketedHistory.empty(catalogue.bucket(entity));
    }

    /**
     * Reads either form.
     *
     * @throws IllegalArgumentException for bytes of an unknown format, truncated or corrupt
     */
    static EntityState fromBytes(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("empty entity state");
        }
        return switch (bytes[0]) {
            case EntityHistory.FORMAT_VERSION -> EntityHistory.fromBytes(bytes);
            case BucketedHistory.FORMAT_VERSION, BucketedHistory.FORMAT_VERSION_2 ->
                    BucketedHistory.fromBytes(bytes);
            default ->
                    throw new IllegalArgumentException(
                            "unknown entity history format version " + bytes[0]);
        };
    }

    /**
     * {@link #expired} on the stored form, reading only its header: the clean-up pass over a whole
     * store need not decode every state.
     *
     * @throws IllegalArgumentException if the bytes are not an entity state
     */
    static boolean expired(
            byte[] bytes, long nowMillis, Entity entity, FeatureCatalogue catalogue) {
        if (bytes.length < 21
                || (bytes[0] != EntityHistory.FORMAT_VERSION
                        && bytes[0] != BucketedHistory.FORMAT_VERSION
                        && bytes[0] != BucketedHistory.FORMAT_VERSION_2)) {
            throw new IllegalArgumentException("not an entity state");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes);
        long newest = header.getLong(9);
        int size = header.getInt(17);
        return size == 0 || newest < nowMillis - catalogue.retention(entity).toMillis();
    }
}
