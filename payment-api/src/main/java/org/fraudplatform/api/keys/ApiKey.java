package org.fraudplatform.api.keys;

import java.time.Instant;
import java.util.Set;

/**
 * What is known of an API key besides its secret, which is never stored.
 *
 * @param keyId the id shown to users ({@code key_…}); revocation names it
 * @param merchantId the merchant the key acts for
 * @param prefix the secret's first characters, to recognise it
 * @param name a note of what the key is for, or null
 * @param scopes what the key may do
 * @param rateLimit requests per second across the API instances (each allows its share), or null
 *     for no limit
 * @param createdAt when it was issued
 * @param expiresAt when it stops working, or null for never
 * @param revokedAt when it was revoked, or null
 * @param createdBy who issued it
 */
public record ApiKey(
        String keyId,
        String merchantId,
        String prefix,
        String name,
        Set<Scope> scopes,
        Integer rateLimit,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        String createdBy) {

    public ApiKey {
        scopes = Set.copyOf(scopes);
    }

    /** Whether the key is neither revoked nor expired at {@code now}. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
