package org.fraudplatform.api.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merchants' API keys in PostgreSQL ({@code api_keys}): issue, list, revoke, rotate, and check a
 * presented key. A key's secret is shown once, when issued; only its SHA-256 hash is stored.
 *
 * <p>Checking a key costs no database round trip per request: the answer is cached per key hash. A
 * cached key is re-read from the database once it is older than the cache TTL (5 s by default), by
 * one request while the others keep the cached answer, so a revocation or a change made by any
 * instance or by {@code fraud keys} takes effect on every instance within the TTL (on the instance
 * that revoked it, at once), and each instance reads each busy key once per TTL whatever the
 * request rate. Expiry needs no read: the cached expiry is compared with the clock on every check.
 * Unknown keys are remembered for 5 s, so a flood of bad keys does not reach the database either.
 * When the database cannot be read, a cached key keeps its last known state and is tried again a
 * second later.
 *
 * <p>Each key with a rate limit has a {@link TokenBucket} on this instance, kept across re-reads
 * while its limit stays the same, at this instance's share of the limit ({@link
 * #shareLimitsAmong}).
 */
public final class ApiKeys {

    /** How every secret starts. */
    public static final String SECRET_PREFIX = "sk_live_";

    /** How long a cached key is trusted before it is read again. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(5);

    /**
     * The limit of keys made without one, in requests per second, shared out between the API
     * instances.
     */
    public static final int DEFAULT_RATE_LIMIT = 100;

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final long NEGATIVE_TTL_NANOS = 5_000_000_000L;
    private static final long RETRY_AFTER_FAILURE_NANOS = 1_000_000_000L;
    private static final int MAX_UNKNOWN = 100_000;
    private static final String COLUMNS =
            "key_id, merchant_id, prefix, name, scopes, rate_limit, created_at, expires_at,"
                    + " revoked_at, created_by";

    /**
     * What a new key may do.
     *
     * @param scopes its scopes (at least one)
     * @param rateLimit requests per second across the API instances, or null for no limit
     * @param expiresIn how long it works, or null for until revoked
     * @param name what it is for, or null
     */
    public record NewKey(Set<Scope> scopes, Integer rateLimit, Duration expiresIn, String name) {
        public NewKey {
            scopes = scopes == null || scopes.isEmpty() ? Scope.all() : Set.copyOf(scopes);
            if (rateLimit != null && rateLimit < 1) {
                throw new IllegalArgumentException(
                        "a rate limit is at least 1 request/s, was " + rateLimit);
            }
            if (expiresIn != null && (expiresIn.isNegative() || expiresIn.isZero())) {
                throw new IllegalArgumentException("a key's lifetime must be positive");
            }
        }

        /** Every scope, the default limit, no expiry. */
        public static NewKey defaults() {
            return new NewKey(Scope.all(), DEFAULT_RATE_LIMIT, null, null);
        }
    }

    /** A key just issued: its secret, in clear, this once. */
    public record Issued(ApiKey key, String secret) {}

    /** One key rotated: the old one (now expiring) and its successor. */
    public record Rotation(ApiKey old, Issued successor) {}

    private final DataSource dataSource;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final long ttlNanos;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<String, Entry> byHash = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Long> unknownUntil = new ConcurrentHashMap<>();
    private final LongAdder lookups = new LongAdder();
    private volatile IntSupplier instances = () -> 1;

    public ApiKeys(DataSource dataSource) {
        this(dataSource, Clock.systemUTC(), System::nanoTime, DEFAULT_CACHE_TTL);
    }

    /**
     * Keys on these clocks.
     *
     * @param clock for expiry and the times written
     * @param nanoClock for the cache's ages (as {@link System#nanoTime()})
     * @param cacheTtl how long a cached key is trusted before it is read again
     */
    public ApiKeys(DataSource dataSource, Clock clock, LongSupplier nanoClock, Duration cacheTtl) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.ttlNanos = cacheTtl.toNanos();
    }

    /** A cached key: what the database said when it was last read. */
    private static final class Entry {
        final ApiKey key;
        final long expiresAtMillis;
        final TokenBucket bucket;
        volatile long loadedAt;
        final AtomicBoolean refreshing = new AtomicBoolean();

        Entry(ApiKey key, TokenBucket bucket, long loadedAt) {
            this.key = key;
            this.expiresAtMillis =
                    key.expiresAt() == null ? Long.MAX_VALUE : key.expiresAt().toEpochMilli();
            this.bucket = bucket;
            this.loadedAt = loadedAt;
        }
    }

    /**
     * Issues a key for the merchant.
     *
     * @param createdBy who asked, for the record
     * @throws IllegalArgumentException when there is no such merchant
     */
    public Issued issue(String merchantId, NewKey spec, String createdBy) {
        try (Connection c = dataSource.getConnection()) {
            if (!merchantExists(c, merchantId)) {
                throw new IllegalArgumentException("no merchant " + merchantId);
            }
            return insert(
                    c,
                    merchantId,
                    spec.scopes(),
                    spec.rateLimit(),
                    lifetimeEnd(spec.expiresIn()),
                    spec.name(),
                    createdBy);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot issue a key: " + e.getMessage(), e);
        }
    }

    /** The merchant's keys, oldest first, revoked and expired ones included. */
    public List<ApiKey> list(String merchantId) {
        String sql =
                "SELECT "
                        + COLUMNS
                        + " FROM api_keys WHERE merchant_id = ? ORDER BY created_at, id";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, merchantId);
            List<ApiKey> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list keys: " + e.getMessage(), e);
        }
    }

    /** One key by its id. */
    public Optional<ApiKey> find(String keyId) {
        String sql = "SELECT " + COLUMNS + " FROM api_keys WHERE key_id = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, keyId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read key " + keyId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Revokes a key: at once on this instance, within the cache TTL on every other. Revoking a
     * revoked key changes nothing.
     *
     * @return the key as it is now
     * @throws IllegalArgumentException when there is no such key
     */
    public ApiKey revoke(String keyId, String revokedBy) {
        String sql =
                "UPDATE api_keys SET revoked_at = ?, revoked_by = ? WHERE key_id = ? AND revoked_at"
                        + " IS NULL RETURNING key_hash";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, revokedBy);
            s.setString(3, keyId);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    byHash.remove(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot revoke key " + keyId + ": " + e.getMessage(), e);
        }
        return find(keyId).orElseThrow(() -> new IllegalArgumentException("no key " + keyId));
    }

    /**
     * Rotates the merchant's active keys: each gets a successor with the same scopes, limit, name
     * and lifetime, and expires after {@code overlap} (or sooner, if it was to expire sooner), so
     * that clients can switch to the new keys meanwhile. One transaction.
     *
     * @throws IllegalArgumentException when the merchant has no active key
     */
    public List<Rotation> rotate(String merchantId, Duration overlap, String rotatedBy) {
        if (overlap.isNegative()) {
            throw new IllegalArgumentException("the overlap must not be negative");
        }
        Instant now = clock.instant();
        Instant oldEnd = now.plus(overlap);
        String select =
                "SELECT "
                        + COLUMNS
                        + " FROM api_keys WHERE merchant_id = ? AND revoked_at IS NULL AND"
                        + " (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id FOR"
                        + " UPDATE";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<ApiKey> active = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(select)) {
                    s.setString(1, merchantId);
                    s.setTimestamp(2, Timestamp.from(now));
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            active.add(row(rs));
                        }
                    }
                }
                if (active.isEmpty()) {
                    throw new IllegalArgumentException(
                            "merchant " + merchantId + " has no active key to rotate");
                }
                List<Rotation> out = new ArrayList<>();
                for (ApiKey old : active) {
                    Instant successorEnd =
                            old.expiresAt() == null
                                    ? null
                                    : now.plus(Duration.between(old.createdAt(), old.expiresAt()));
                    Issued successor =
                            insert(
                                    c,
                                    merchantId,
                                    old.scopes(),
                                    old.rateLimit(),
                                    successorEnd,
                                    old.name(),
                                    rotatedBy);
                    Instant end =
                            old.expiresAt() != null && old.expiresAt().isBefore(oldEnd)
                                    ? old.expiresAt()
                                    : oldEnd;
                    try (PreparedStatement u =
                            c.prepareStatement(
                                    "UPDATE api_keys SET expires_at = ? WHERE key_id = ?")) {
                        u.setTimestamp(1, Timestamp.from(end));
                        u.setString(2, old.keyId());
                        u.executeUpdate();
                    }
                    out.add(
                            new Rotation(
                                    new ApiKey(
                                            old.keyId(),
                                            old.merchantId(),
                                            old.prefix(),
                                            old.name(),
                                            old.scopes(),
                                            old.rateLimit(),
                                            old.createdAt(),
                                            end,
                                            null,
                                            old.createdBy()),
                                    successor));
                }
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot rotate keys: " + e.getMessage(), e);
        }
    }

    /** Checks a presented key, reading the database on a cache miss or a stale entry. */
    public KeyCheck check(String secret) {
        return check(secret, true);
    }

    /**
     * Checks a presented key.
     *
     * @param mayQueryDatabase false for callers that are being slowed down: a key not cached is
     *     then unknown without a database read (a cached one is still re-read once per TTL)
     */
    public KeyCheck check(String secret, boolean mayQueryDatabase) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX) || secret.length() > 128) {
            return KeyCheck.UNKNOWN_KEY;
        }
        String hash = hash(secret);
        Entry entry = byHash.get(hash);
        if (entry != null) {
            // a known key is re-read even for a caller being slowed down: at most once per TTL,
            // and a revocation must never wait for the caller to stop failing
            if (nanoClock.getAsLong() - entry.loadedAt >= ttlNanos
                    && entry.refreshing.compareAndSet(false, true)) {
                entry = refresh(hash, entry);
                if (entry == null) {
                    return KeyCheck.UNKNOWN_KEY;
                }
            }
            return verdict(entry);
        }
        if (!mayQueryDatabase) {
            return KeyCheck.UNKNOWN_KEY;
        }
        Long until = unknownUntil.get(hash);
        if (until != null && until - nanoClock.getAsLong() > 0) {
            return KeyCheck.UNKNOWN_KEY;
        }
        ApiKey key = load(hash);
        if (key == null) {
            if (unknownUntil.size() > MAX_UNKNOWN) {
                unknownUntil.clear();
            }
            unknownUntil.put(hash, nanoClock.getAsLong() + NEGATIVE_TTL_NANOS);
            return KeyCheck.UNKNOWN_KEY;
        }
        unknownUntil.remove(hash);
        Entry fresh = new Entry(key, bucketFor(key, null), nanoClock.getAsLong());
        Entry raced = byHash.putIfAbsent(hash, fresh);
        return verdict(raced != null ? raced : fresh);
    }

    /** Key reads from the database on the authentication path since start. */
    public long databaseLookups() {
        return lookups.sum();
    }

    private Entry refresh(String hash, Entry old) {
        try {
            ApiKey key = load(hash);
            if (key == null) {
                byHash.remove(hash, old);
                return null;
            }
            Entry fresh = new Entry(key, bucketFor(key, old), nanoClock.getAsLong());
            byHash.replace(hash, old, fresh);
            return fresh;
        } catch (RuntimeException e) {
            log.warn(
                    "cannot re-read API key {}; its cached state holds for another second: {}",
                    old.key.keyId(),
                    e.getMessage());
            old.loadedAt = nanoClock.getAsLong() - ttlNanos + RETRY_AFTER_FAILURE_NANOS;
            return old;
        } finally {
            old.refreshing.set(false);
        }
    }

    /**
     * Shares each key's rate limit out between the API instances alive: each allows the limit
     * divided by their number (at least 1 request/s), so together they never allow more than the
     * limit. Without it this instance allows the whole limit.
     */
    public void shareLimitsAmong(IntSupplier instances) {
        this.instances = java.util.Objects.requireNonNull(instances);
    }

    /** This instance's share of a key's limit. */
    int share(int limit) {
        return Math.max(1, limit / Math.max(1, instances.getAsInt()));
    }

    private KeyCheck verdict(Entry e) {
        if (e.bucket != null) {
            e.bucket.rateTo(share(e.key.rateLimit()));
        }
        if (e.key.revokedAt() != null) {
            return new KeyCheck(KeyCheck.Status.REVOKED, e.key, null);
        }
        if (clock.millis() >= e.expiresAtMillis) {
            return new KeyCheck(KeyCheck.Status.EXPIRED, e.key, null);
        }
        return new KeyCheck(KeyCheck.Status.VALID, e.key, e.bucket);
    }

    private TokenBucket bucketFor(ApiKey key, Entry previous) {
        if (key.rateLimit() == null) {
            return null;
        }
        if (previous != null
                && previous.bucket != null
                && key.rateLimit().equals(previous.key.rateLimit())) {
            return previous.bucket;
        }
        return new TokenBucket(share(key.rateLimit()), nanoClock);
    }

    private ApiKey load(String hash) {
        lookups.increment();
        String sql = "SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, hash);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check an API key", e);
        }
    }

    private Issued insert(
            Connection c,
            String merchantId,
            Set<Scope> scopes,
            Integer rateLimit,
            Instant expiresAt,
            String name,
            String createdBy)
            throws SQLException {
        String secret = SECRET_PREFIX + randomBase62(32);
        String keyId = "key_" + randomBase62(20);
        String prefix = secret.substring(0, SECRET_PREFIX.length() + 4);
        Instant now = clock.instant();
        String sql =
                "INSERT INTO api_keys (key_id, merchant_id, key_hash, prefix, name, scopes,"
                        + " rate_limit, created_at, expires_at, created_by) VALUES (?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?, ?)";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, keyId);
            s.setString(2, merchantId);
            s.setString(3, hash(secret));
            s.setString(4, prefix);
            s.setString(5, name);
            Array array =
                    c.createArrayOf(
                            "text", scopes.stream().map(Scope::wireName).sorted().toArray());
            s.setArray(6, array);
            if (rateLimit == null) {
                s.setNull(7, Types.INTEGER);
            } else {
                s.setInt(7, rateLimit);
            }
            s.setTimestamp(8, Timestamp.from(now));
            s.setTimestamp(9, expiresAt == null ? null : Timestamp.from(expiresAt));
            s.setString(10, createdBy);
            s.executeUpdate();
        }
        return new Issued(
                new ApiKey(
                        keyId,
                        merchantId,
                        prefix,
                        name,
                        scopes,
                        rateLimit,
                        now,
                        expiresAt,
                        null,
                        createdBy),
                secret);
    }

    private Instant lifetimeEnd(Duration expiresIn) {
        return expiresIn == null ? null : clock.instant().plus(expiresIn);
    }

    private static boolean merchantExists(Connection c, String merchantId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM merchants WHERE id = ?")) {
            s.setString(1, merchantId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static ApiKey row(ResultSet rs) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Array array = rs.getArray("scopes");
        for (Object name : (Object[]) array.getArray()) {
            for (Scope s : Scope.values()) {
                // a scope this version does not know grants nothing here
                if (s.wireName().equals(name)) {
                    scopes.add(s);
                }
            }
        }
        int limit = rs.getInt("rate_limit");
        Integer rateLimit = rs.wasNull() ? null : limit;
        return new ApiKey(
                rs.getString("key_id"),
                rs.getString("merchant_id"),
                rs.getString("prefix"),
                rs.getString("name"),
                scopes,
                rateLimit,
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("expires_at")),
                instant(rs.getTimestamp("revoked_at")),
                Objects.requireNonNullElse(rs.getString("created_by"), "unknown"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private String randomBase62(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = BASE62[random.nextInt(BASE62.length)];
        }
        return new String(chars);
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
}
