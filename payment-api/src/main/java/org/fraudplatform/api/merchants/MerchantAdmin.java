package org.fraudplatform.api.merchants;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.fraudplatform.api.keys.ApiKey;
import org.fraudplatform.api.keys.ApiKeys;
import org.fraudplatform.api.keys.Scope;

/**
 * Merchants and their API keys as an administrator manages them: every change is made in PostgreSQL
 * and then written to the audit trail with who made it and from where. Secrets are returned once,
 * never stored nor audited.
 */
public final class MerchantAdmin {

    /** Where changes are recorded ({@code audit.events} in the platform). */
    @FunctionalInterface
    public interface Audit {
        void record(String actor, String action, String subject, Map<String, String> details)
                throws Exception;
    }

    private final MerchantStore merchants;
    private final ApiKeys keys;
    private final Audit audit;
    private final String via;

    /**
     * @param via where changes come from, for the audit trail (e.g. {@code fraud keys on host1})
     */
    public MerchantAdmin(DataSource dataSource, ApiKeys keys, Audit audit, String via) {
        this.merchants = new MerchantStore(dataSource);
        this.keys = keys;
        this.audit = audit;
        this.via = via;
    }

    /** A merchant id made of a name: lower case letters, digits and dashes. */
    public static String idFor(String name) {
        String id =
                name.toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "-")
                        .replaceAll("^-+|-+$", "");
        if (id.isEmpty()) {
            throw new IllegalArgumentException(
                    "cannot make a merchant id of '" + name + "': give --id");
        }
        return id.length() > 64 ? id.substring(0, 64) : id;
    }

    /** Creates a merchant with its first key. */
    public ApiKeys.Issued createMerchant(String id, String name, ApiKeys.NewKey key, String actor)
            throws Exception {
        if (!id.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException(
                    "a merchant id is 1 to 64 lower case letters, digits, '-' or '_': " + id);
        }
        merchants.createMerchant(id, name);
        Map<String, String> details = details();
        details.put("name", name);
        audit.record(actor, "merchant.create", "merchant:" + id, details);
        return createKey(id, key, actor);
    }

    /** Issues a key for a merchant. */
    public ApiKeys.Issued createKey(String merchantId, ApiKeys.NewKey key, String actor)
            throws Exception {
        ApiKeys.Issued issued = keys.issue(merchantId, key, actor);
        audit.record(actor, "key.create", "key:" + issued.key().keyId(), describe(issued.key()));
        return issued;
    }

    public List<ApiKey> keys(String merchantId) {
        if (merchants.findMerchant(merchantId).isEmpty()) {
            throw new IllegalArgumentException("no merchant " + merchantId);
        }
        return keys.list(merchantId);
    }

    /** Revokes a key; every API instance refuses it within its cache TTL. */
    public ApiKey revoke(String keyId, String actor) throws Exception {
        ApiKey key = keys.revoke(keyId, actor);
        audit.record(actor, "key.revoke", "key:" + keyId, describe(key));
        return key;
    }

    /** Rotates the merchant's active keys, the old ones expiring after {@code overlap}. */
    public List<ApiKeys.Rotation> rotate(String merchantId, Duration overlap, String actor)
            throws Exception {
        List<ApiKeys.Rotation> rotations = keys.rotate(merchantId, overlap, actor);
        for (ApiKeys.Rotation r : rotations) {
            Map<String, String> details = describe(r.successor().key());
            details.put("replaces", r.old().keyId());
            details.put("old_expires_at", String.valueOf(r.old().expiresAt()));
            audit.record(actor, "key.rotate", "key:" + r.successor().key().keyId(), details);
        }
        return rotations;
    }

    private Map<String, String> describe(ApiKey key) {
        Map<String, String> d = details();
        d.put("merchant", key.merchantId());
        d.put("prefix", key.prefix());
        d.put("scopes", Scope.names(key.scopes()));
        d.put("rate_limit", key.rateLimit() == null ? "none" : key.rateLimit() + "/s");
        d.put("expires_at", key.expiresAt() == null ? "never" : key.expiresAt().toString());
        if (key.name() != null) {
            d.put("name", key.name());
        }
        if (key.revokedAt() != null) {
            d.put("revoked_at", key.revokedAt().toString());
        }
        return d;
    }

    private Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("via", via);
        d.put("at", Instant.now().toString());
        return d;
    }
}
