package org.fraudplatform.risk;

import java.nio.ByteBuffer;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fraudplatform.rules.facts.Lists;

/**
 * The lists as one payment sees them: the global store of {@code rules.lists} ({@code
 * <list>:<value>} → expiry), entries that expired by the payment's event time left out.
 */
final class StoreLists implements Lists {

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final long atMillis;

    StoreLists(ReadOnlyKeyValueStore<String, byte[]> store, long atMillis) {
        this.store = store;
        this.atMillis = atMillis;
    }

    @Override
    public boolean holds(String list, String value) {
        if (value == null) {
            return false;
        }
        byte[] expiry = store.get(key(list, value));
        return expiry != null && ByteBuffer.wrap(expiry).getLong() > atMillis;
    }

    static String key(String list, String value) {
        return list + ":" + value;
    }

    /** The stored form of an entry: its expiry, {@code Long.MAX_VALUE} for never. */
    static byte[] expiry(Long expiresAtMillis) {
        return ByteBuffer.allocate(8)
                .putLong(expiresAtMillis == null ? Long.MAX_VALUE : expiresAtMillis)
                .array();
    }
}
