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
 *
 * <p>A holder works under a lease ({@link #DEFAULT_LEASE} by default): a key still in flight after
 * its lease belongs to a request whose process died (or lost its database) before it could store a
 * reply. Such a key is reported {@link Abandoned}, with the payment it was reserved for, so that a
 * retry can answer with what became of that payment or {@link #takeOver} the key.
 */
public final class IdempotencyStore {

    /** What a request may do with its key. */
    public sealed interface Reservation permits Reserved, Replay, Mismatch, InFlight, Abandoned {}

    /** The key is this request's: execute it, then {@link #complete} or {@link #release}. */
    public record Reserved() implements Reservation {}

    /** Completed earlier with the same request: send exactly this reply. */
    public record Replay(int status, byte[] body) implements Reservation {}

    /** The key was used for a different request. */
    public record Mismatch() implements Reservation {}

    /** Another request with this key is executing now. */
    public record InFlight() implements Reservation {}

    /**
     * The request that held this key outlived its lease without a reply: its process died.
     *
     * @param paymentId the payment it was reserved for, or null for a command
     */
    public record Abandoned(String paymentId) implements Reservation {}

    /**
     * How long a request may hold its key: longer than a payment's decision timeout plus its
     * provider call, far shorter than a client's patience.
     */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final Duration retention;
    private final Duration lease;

    public IdempotencyStore(DataSource dataSource) {
        this(dataSource, Duration.ofHours(24), DEFAULT_LEASE);
    }

    public IdempotencyStore(DataSource dataSource, Duration retention) {
        this(dataSource, retention, DEFAULT_LEASE);
    }

    public IdempotencyStore(DataSource dataSource, Duration retention, Duration lease) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.lease = lease;
    }

    /**
     * A write that belongs with a reservation and goes in its statement (one round trip, one
     * commit): an {@code INSERT … SELECT … FROM reserved}, where {@code reserved} has the one row
     * {@code (payment_id)} when the key was reserved now and none otherwise.
     */
    public interface Alongside {
        /** The statement, reading {@code reserved}. */
        String sql();

        /** Sets its parameters from index {@code first} on. */
        void bind(PreparedStatement s, int first) throws SQLException;
    }

    /** Reserves a key for a command (no payment of its own). */
    public Reservation reserve(String merchantId, String key, String requestHash, Instant now) {
        return reserve(merchantId, key, requestHash, null, now, null);
    }

    /**
     * Reserves a key for a request, under the lease.
     *
     * @param paymentId the payment this request creates, or null
     */
    public Reservation reserve(
            String merchantId, String key, String requestHash, String paymentId, Instant now) {
        return reserve(merchantId, key, requestHash, paymentId, now, null);
    }

    /**
     * Reserves a key for a request, under the lease, and when it is reserved now also makes the
     * {@code alongside} write, in the same statement.
     *
     * @param paymentId the payment this request creates, or null
     * @param alongside a write that happens if and only if the key is reserved now, or null
     */
    public Reservation reserve(
            String merchantId,
            String key,
            String requestHash,
            String paymentId,
            Instant now,
            Alongside alongside) {
        String insert =
                "INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, state,"
                        + " created_at, expires_at, payment_id, locked_until)"
                        + " VALUES (?, ?, ?, 'in_flight', ?, ?, ?, ?)"
                        + " ON CONFLICT (merchant_id, idempotency_key) DO NOTHING";
        if (alongside != null) {
            insert =
                    "WITH reserved AS ("
                            + insert
                            + " RETURNING payment_id), alongside AS ("
                            + alongside.sql()
                            + ") SELECT count(*) FROM reserved";
        }
        String select =
                "SELECT request_hash, state, response_status, response_body, expires_at,"
                        + " payment_id, COALESCE(locked_until, created_at + ?::interval)"
                        + " FROM idempotency_keys WHERE merchant_id = ? AND idempotency_key = ?";
        try (Connection c = dataSource.getConnection()) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (PreparedStatement s = c.prepareStatement(insert)) {
                    s.setString(1, merchantId);
                    s.setString(2, key);
                    s.setString(3, requestHash);
                    s.setTimestamp(4, Timestamp.from(now));
                    s.setTimestamp(5, Timestamp.from(now.plus(retention)));
                    s.setString(6, paymentId);
                    s.setTimestamp(7, Timestamp.from(now.plus(lease)));
                    if (alongside == null) {
                        if (s.executeUpdate() == 1) {
                            return new Reserved();
                        }
                    } else {
                        alongside.bind(s, 8);
                        try (ResultSet rs = s.executeQuery()) {
                            if (rs.next() && rs.getInt(1) == 1) {
                                return new Reserved();
                            }
                        }
                    }
                }
                try (PreparedStatement s = c.prepareStatement(select)) {
                    s.setString(1, lease.toMillis() + " milliseconds");
                    s.setString(2, merchantId);
                    s.setString(3, key);
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
                            return rs.getTimestamp(7).toInstant().isBefore(now)
                                    ? new Abandoned(rs.getString(6))
                                    : new InFlight();
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

    /**
     * Takes an {@link Abandoned} key over for a new attempt, under a new lease; false when another
     * retry took it first (or it completed meanwhile).
     *
     * @param abandonedPaymentId the payment the abandoned reservation named (null for a command)
     * @param paymentId the payment the new attempt creates, or null
     */
    public boolean takeOver(
            String merchantId,
            String key,
            String abandonedPaymentId,
            String paymentId,
            Instant now) {
        String sql =
                "UPDATE idempotency_keys SET payment_id = ?, locked_until = ?"
                        + " WHERE merchant_id = ? AND idempotency_key = ? AND state = 'in_flight'"
                        + " AND payment_id IS NOT DISTINCT FROM ?"
                        + " AND COALESCE(locked_until, created_at + ?::interval) < ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, paymentId);
            s.setTimestamp(2, Timestamp.from(now.plus(lease)));
            s.setString(3, merchantId);
            s.setString(4, key);
            s.setString(5, abandonedPaymentId);
            s.setString(6, lease.toMillis() + " milliseconds");
            s.setTimestamp(7, Timestamp.from(now));
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot take over idempotency key: " + e.getMessage(), e);
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
     * The statement that stores a reply, for callers that write it together with the state it
     * describes in one statement; its parameters are set with {@link #bindComplete}.
     */
    public static final String COMPLETE =
            "UPDATE idempotency_keys SET state = 'completed', response_status = ?,"
                    + " response_body = ?, completed_at = now()"
                    + " WHERE merchant_id = ? AND idempotency_key = ?";

    /** Sets the four parameters of {@link #COMPLETE} from {@code first} on. */
    public static void bindComplete(
            PreparedStatement s, int first, String merchantId, String key, int status, byte[] body)
            throws SQLException {
        s.setInt(first, status);
        s.setBytes(first + 1, body);
        s.setString(first + 2, merchantId);
        s.setString(first + 3, key);
    }

    /**
     * Stores the reply within the caller's transaction, so that the reply and the state it
     * describes are committed together.
     */
    public void complete(Connection c, String merchantId, String key, int status, byte[] body)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(COMPLETE)) {
            bindComplete(s, 1, merchantId, key, status, body);
            s.executeUpdate();
        }
    }

    /**
     * Ends the lease of a key in flight at once: its request gave up without knowing whether its
     * payment reached the ledger, so the next retry is {@link Abandoned} and recovers that payment.
     */
    public void abandon(String merchantId, String key) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE idempotency_keys SET locked_until = created_at"
                                        + " WHERE merchant_id = ? AND idempotency_key = ?"
                                        + " AND state = 'in_flight'")) {
            s.setString(1, merchantId);
            s.setString(2, key);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot abandon idempotency key: " + e.getMessage(), e);
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
