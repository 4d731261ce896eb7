package org.fraudplatform.offline.backtest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fraudplatform.rules.facts.Lists;
import org.fraudplatform.schemas.ListEntry;

/**
 * The block and allow lists through time, so a back-test judges each payment with the lists as they
 * were at its time: per {@code <list>:<value>}, the intervals [from, to) it was on its list.
 */
public final class ListTimeline implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, List<long[]>> intervals;

    private ListTimeline(Map<String, List<long[]>> intervals) {
        this.intervals = intervals;
    }

    /** No list ever held anything. */
    public static ListTimeline empty() {
        return new ListTimeline(Map.of());
    }

    /** The lists as they stood at {@code atMillis}. */
    public Lists at(long atMillis) {
        return (list, value) -> {
            if (value == null) {
                return false;
            }
            for (long[] i : intervals.getOrDefault(list + ":" + value, List.of())) {
                if (i[0] <= atMillis && atMillis < i[1]) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Entries held. */
    public int size() {
        return intervals.size();
    }

    /** Builds a timeline from the list changes in the order they happened. */
    public static final class Builder {
        private final Map<String, List<long[]>> intervals = new HashMap<>();
        private final Map<String, long[]> open = new HashMap<>();

        /**
         * A value put on its list at {@code fromMillis}, until {@code untilMillis} (its expiry,
         * {@code Long.MAX_VALUE} for none); it replaces any earlier entry of the same value.
         */
        public Builder put(String list, String value, long fromMillis, long untilMillis) {
            String key = list + ":" + value;
            close(key, fromMillis);
            long[] interval = {fromMillis, untilMillis};
            intervals.computeIfAbsent(key, k -> new ArrayList<>()).add(interval);
            open.put(key, interval);
            return this;
        }

        /**
         * One record of {@code rules.lists}, in topic order: an entry counts from the time it was
         * added to its expiry; a tombstone (null entry) takes the key off its list at the record's
         * timestamp.
         *
         * @param key the record's key, {@code <list>:<value>}
         */
        public Builder record(String key, ListEntry entry, long timestampMillis) {
            if (entry == null) {
                return remove(key, timestampMillis);
            }
            return put(
                    entry.getList(),
                    entry.getValue(),
                    entry.getAddedAt().toEpochMilli(),
                    entry.getExpiresAt() == null
                            ? Long.MAX_VALUE
                            : entry.getExpiresAt().toEpochMilli());
        }

        /** The value taken off its list at {@code atMillis}. */
        public Builder remove(String key, long atMillis) {
            close(key, atMillis);
            return this;
        }

        private void close(String key, long atMillis) {
            long[] current = open.remove(key);
            if (current != null && current[1] > atMillis) {
                current[1] = atMillis;
            }
        }

        public ListTimeline build() {
            Map<String, List<long[]>> copy = new HashMap<>();
            intervals.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return new ListTimeline(copy);
        }
    }
}
