package org.fraudplatform.api.merchants;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;

/**
 * Merchants and their API keys in PostgreSQL. A key is shown once, when issued; only its SHA-256
 * hash is stored. Authentication looks the hash up and caches the answer in memory (hits for as
 * long as the key is valid, misses for a short time so a flood of bad keys does not reach the
 * database); revoking through this store drops the cached entry.
 */
public final class MerchantStore {

    private static final String KEY_PREFIX = "sk_live_";
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final long NEGATIVE_TTL_NANOS = 5_000_000_000L;

    private final DataSource dataSource;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<String, String> merchantByKeyHash = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Long> unknownUntil = new ConcurrentHashMap<>();

    public MerchantStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void createMerchant(String id, String name) {
        update("INSERT INTO merchants (id, name) VALUES (?, ?)", id, name);
    }

    public Optional<String> findMerchant(String id) {
        String sql = "SELECT name FROM merchants WHERE id = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read merchant " + id, e);
        }
    }

    /** Issues a new key for the merchant and returns it in clear: the only time it is visible. */
    public String issueApiKey(String merchantId) {
        char[] chars = new char[32];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = BASE62[random.nextInt(BASE62.length)];
        }
        String key = KEY_PREFIX + new String(chars);
        update(
                "INSERT INTO api_keys (merchant_id, key_hash, prefix) VALUES (?, ?, ?)",
                merchantId,
                hash(key),
                key.substring(0, KEY_PREFIX.length() + 4));
        return key;
    }

    /** The merchant this key belongs to, when the key is known and not revoked. */
    public Optional<String> authenticate(String apiKey) {
        if (apiKey == null || !apiKey.startsWith(KEY_PREFIX) || apiKey.length() > 128) {
            return Optional.empty();
        }
        String hash = hash(apiKey);
        String cached = merchantByKeyHash.get(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        Long until = unknownUntil.get(hash);
        if (until != null && until - System.nanoTime() > 0) {
            return Optional.empty();
        }
        String sql = "SELECT merchant_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, hash);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    String merchant = rs.getString(1);
                    merchantByKeyHash.put(hash, merchant);
                    unknownUntil.remove(hash);
                    return Optional.of(merchant);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check an API key", e);
        }
        if (unknownUntil.size() > 100_000) {
            unknownUntil.clear();
        }
        unknownUntil.put(hash, System.nanoTime() + NEGATIVE_TTL_NANOS);
        return Optional.empty();
    }

    /** Revokes a key; it stops working at once on this instance. */
    public void revoke(String apiKey) {
        String hash = hash(apiKey);
        update(
                "UPDATE api_keys SET revoked_at = now() WHERE key_hash = ? AND revoked_at IS NULL",
                hash);
        merchantByKeyHash.remove(hash);
    }

    static String hash(String key) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void update(String sql, String... values) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("merchant store update failed: " + e.getMessage(), e);
        }
    }
}
