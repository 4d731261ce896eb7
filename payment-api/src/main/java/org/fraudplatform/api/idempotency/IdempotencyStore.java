package org.fraudplatform.api.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Idempotency keys in PostgreSQL, scoped per merchant, where every API instance meets: the first
 * {@code INSERT … ON CONFLICT DO NOTHING} for a key wins, so two concurrent requests with one key
 * never both execute. A completed key replays its stored reply byte for byte; the same key with a
 * different request is refused; a key whose holder is still working is reported in flight. Keys are
 * kept for the retention (24 h by default) and then purged.
 */
public final class IdempotencyStore {

    /** What a request may do with its key. */
    public sealed interface Reservation permits Reserved, Replay, Mismatch, InFlight {}

    /** The key is this request's: execute it, then {@link #complete} or {@link #release}. */
    public record Reserved() implements Reservation {}

    /** Completed earlier with the same request: send exactly this reply. */
    public record Replay(int status, byte[] body) implements Reservation {}

    /** The key was used for a different request. */
    public record Mismatch() implements Reservation {}

    /** Another request with this key is executing now. */
    public record InFlight() implements Reservation {}

    private final DataSource dataSource;
    private final Duration retention;

    public IdempotencyStore(DataSource dataSource) {
        this(dataSource, Duration.ofHours(24));
    }

    public IdempotencyStore(DataSource dataSource, Duration retention) {
        this.dataSource = dataSource;
        this.retention = retention;
    }

    public Reservation reserve(String merchantId, String key, String requestHash, Instant now) {
        String insert =
                "INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, state,"
                        + " created_at, expires_at) VALUES (?, ?, ?, 'in_flight', ?, ?)"
                        + " ON CONFLICT (merchant_id, idempotency_key) DO NOTHING";
        String select =
                "SELECT request_hash, state, response_status, response_body, expires_at"
                        + " FROM idempotency_keys WHERE merchant_id = ? AND idempotency_key = ?";
        try (Connection c = dataSource.getConnection()) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (PreparedStatement s = c.prepareStatement(insert)) {
                    s.setString(1, merchantId);
                    s.setString(2, key);
                    s.setString(3, requestHash);
                    s.setTimestamp(4, Timestamp.from(now));
                    s.setTimestamp(5, Timestamp.from(now.plus(retention)));
                    if (s.executeUpdate() == 1) {
                        return new Reserved();
                    }
                }
                try (PreparedStatement s = c.prepareStatement(select)) {
                    s.setString(1, merchantId);
                    s.setString(2, key);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            continue; // released between our insert and select: try again
                        }
                        if (rs.getTimestamp(5).toInstant().isBefore(now)) {
                            delete(c, merchantId, key);
                            continue;
                        }
                        if (!rs.getString(1).equals(requestHash)) {
                            return new Mismatch();
                        }
                        if (rs.getString(2).equals("in_flight")) {
                            return new InFlight();
                        }
                        return new Replay(rs.getInt(3), rs.getBytes(4));
                    }
                }
            }
            return new InFlight();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reserve idempotency key: " + e.getMessage(), e);
        }
    }

    /** Stores the reply of an executed request for replay. */
    public void complete(String merchantId, String key, int status, byte[] body) {
        try (Connection c = dataSource.getConnection()) {
            complete(c, merchantId, key, status, body);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot complete idempotency key: " + e.getMessage(), e);
        }
    }

    /**
     * Stores the reply within the caller's transaction, so that the reply and the state it
     * describes are committed together.
     */
    public void complete(Connection c, String merchantId, String key, int status, byte[] body)
            throws SQLException {
        String sql =
                "UPDATE idempotency_keys SET state = 'completed', response_status = ?,"
                        + " response_body = ?, completed_at = now()"
                        + " WHERE merchant_id = ? AND idempotency_key = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, status);
            s.setBytes(2, body);
            s.setString(3, merchantId);
            s.setString(4, key);
            s.executeUpdate();
        }
    }

    /** Frees a key whose request did nothing, so a retry may execute. */
    public void release(String merchantId, String key) {
        try (Connection c = dataSource.getConnection()) {
            delete(c, merchantId, key);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot release idempotency key: " + e.getMessage(), e);
        }
    }

    /** Deletes keys past their retention; returns how many. */
    public int purgeExpired(Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("DELETE FROM idempotency_keys WHERE expires_at < ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot purge idempotency keys: " + e.getMessage(), e);
        }
    }

    private static void delete(Connection c, String merchantId, String key) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "DELETE FROM idempotency_keys WHERE merchant_id = ? AND idempotency_key = ?")) {
            s.setString(1, merchantId);
            s.setString(2, key);
            s.executeUpdate();
        }
    }
}
