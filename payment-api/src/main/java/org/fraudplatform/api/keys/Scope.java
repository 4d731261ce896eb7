package org.fraudplatform.api.keys;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a merchant's API key may do. Every merchant route of the API needs exactly one scope (see
 * {@code RouteScopes}); a key without it gets {@code 403}.
 *
 * <ul>
 *   <li>{@code payments:write}: authorize payments, capture and void them (what a checkout and its
 *       fulfilment do with an authorization);
 *   <li>{@code payments:read}: read payments, their events, balances, the review queue and the
 *       merchant's reconciliation items;
 *   <li>{@code refunds:write}: refunds, the one call that sends money back to a card (a leaked
 *       checkout key without it cannot pay out);
 *   <li>{@code reviews:write}: decide reviews and report fraud (the risk team's calls, which become
 *       labels);
 *   <li>{@code webhooks:write}: manage webhook endpoints, read and re-send deliveries.
 * </ul>
 */
public enum Scope {
    PAYMENTS_WRITE("payments:write"),
    PAYMENTS_READ("payments:read"),
    REFUNDS_WRITE("refunds:write"),
    REVIEWS_WRITE("reviews:write"),
    WEBHOOKS_WRITE("webhooks:write");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    /** The name users see and give, e.g. {@code payments:write}. */
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }

    /** Every scope: what a key has when none are named. */
    public static Set<Scope> all() {
        return EnumSet.allOf(Scope.class);
    }

    /**
     * A scope by its name.
     *
     * @throws IllegalArgumentException naming the scopes there are
     */
    public static Scope of(String name) {
        String trimmed = name == null ? "" : name.trim();
        for (Scope s : values()) {
            if (s.wireName.equals(trimmed)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown scope '" + trimmed + "'; the scopes are " + names(all()));
    }

    /** Scopes from a comma-separated list such as {@code payments:write,payments:read}. */
    public static Set<Scope> parse(String commaSeparated) {
        Set<Scope> out = EnumSet.noneOf(Scope.class);
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                out.add(of(part));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no scope given; the scopes are " + names(all()));
        }
        return out;
    }

    /** The scopes' names, comma-separated, in declaration order. */
    public static String names(Set<Scope> scopes) {
        return Arrays.stream(values())
                .filter(scopes::contains)
                .map(Scope::wireName)
                .collect(Collectors.joining(","));
    }
}
