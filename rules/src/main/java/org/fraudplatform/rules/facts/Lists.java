package org.fraudplatform.rules.facts;

import java.util.Map;
import java.util.Set;

/**
 * The block and allow lists as they stand at the payment's time (entries past their expiry are
 * gone), given to every evaluation as a fact. Rules ask for membership by list name:
 *
 * <pre>{@code
 * $lists : Lists()
 * Transaction( ip != null, $lists.holds("blocked_ips", ip) )
 * }</pre>
 *
 * List names are snake_case; by convention {@code blocked_*} and {@code allowed_*} of cards
 * (instrument tokens), emails (keyed hashes), ips, devices, bins and countries.
 */
public interface Lists {

    /**
     * Whether {@code list} holds {@code value}; false for a null value. (Not {@code contains}: that
     * is a DRL operator.)
     */
    boolean holds(String list, String value);

    /** No list holds anything. */
    static Lists none() {
        return (list, value) -> false;
    }

    /** Fixed lists (tests, rule cases). */
    static Lists of(Map<String, Set<String>> lists) {
        Map<String, Set<String>> copy = Map.copyOf(lists);
        return (list, value) -> value != null && copy.getOrDefault(list, Set.of()).contains(value);
    }
}
