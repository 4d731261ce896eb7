package org.fraudplatform.api.payments;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.fraudplatform.api.idempotency.IdempotencyStore;

/**
 * The API's read model of payments in PostgreSQL ({@code payments} table): the latest reply body of
 * each payment, so {@code GET /v1/payments/{id}} answers after a restart. Bodies never hold card
 * data (see {@link PaymentView}).
 *
 * <p>An outcome and the idempotent reply that announces it are written in one statement: one round
 * trip and one commit per payment on the hot path, and never a stored reply without its payment.
 */
public final class PaymentRepository {

    private final DataSource dataSource;

    public PaymentRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One row of the read model. */
    record Row(
            String id,
            String merchantId,
            String status,
            long amount,
            String currency,
            String instrumentKey,
            String cardFingerprint,
            byte[] body,
            Instant at) {}

    /**
     * Records a payment's state and, when {@code replyIdempotencyKey} is set, stores the same body
     * as the reply of that idempotency key, in one statement.
     *
     * @param onlyIfAbsent true for a provisional state (pending) that must never overwrite an
     *     outcome written first by a faster thread
     */
    void record(Row row, boolean onlyIfAbsent, String replyIdempotencyKey, int replyStatus) {
        String insert =
                "INSERT INTO payments (id, merchant_id, status, amount, currency, instrument_key,"
                        + " response, created_at, updated_at, card_fingerprint)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + (onlyIfAbsent
                                ? " ON CONFLICT (id) DO NOTHING"
                                : " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status,"
                                        + " response = EXCLUDED.response,"
                                        + " updated_at = EXCLUDED.updated_at");
        // One statement, so one round trip and one commit: a data-modifying WITH runs to
        // completion whatever the main statement reads, and the two writes commit together.
        String sql =
                replyIdempotencyKey == null
                        ? insert
                        : "WITH payment AS (" + insert + ") " + IdempotencyStore.COMPLETE;
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            Timestamp ts = Timestamp.from(row.at());
            s.setString(1, row.id());
            s.setString(2, row.merchantId());
            s.setString(3, row.status());
            s.setLong(4, row.amount());
            s.setString(5, row.currency());
            s.setString(6, row.instrumentKey());
            s.setString(7, new String(row.body(), StandardCharsets.UTF_8));
            s.setTimestamp(8, ts);
            s.setTimestamp(9, ts);
            s.setString(10, row.cardFingerprint());
            if (replyIdempotencyKey != null) {
                IdempotencyStore.bindComplete(
                        s, 11, row.merchantId(), replyIdempotencyKey, replyStatus, row.body());
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save payment " + row.id(), e);
        }
    }

    /** The card token behind a merchant's card fingerprint, when the merchant has paid with it. */
    public Optional<String> instrumentForFingerprint(String merchantId, String fingerprint) {
        String sql =
                "SELECT instrument_key FROM payments WHERE merchant_id = ? AND card_fingerprint = ?"
                        + " LIMIT 1";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, merchantId);
            s.setString(2, fingerprint);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up a card fingerprint", e);
        }
    }

    /** The merchant a payment belongs to (for operators and providers, who act on any payment). */
    public Optional<String> merchantOf(String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT merchant_id FROM payments WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read payment " + id, e);
        }
    }

    /** A payment answered {@code pending} that the ledger has never heard of. */
    record Orphan(
            String id,
            String merchantId,
            long amount,
            String currency,
            String instrumentKey,
            byte[] body,
            Instant createdAt) {}

    /**
     * Payments answered {@code pending} before {@code createdBefore} of which the ledger (its
     * history) knows nothing: their risk decision was lost with the process that waited for it.
     */
    java.util.List<Orphan> orphans(Instant createdBefore, int limit) {
        String sql =
                "SELECT p.id, p.merchant_id, p.amount, p.currency, p.instrument_key, p.response,"
                        + " p.created_at FROM payments p WHERE p.status = 'pending'"
                        + " AND p.created_at < ? AND NOT EXISTS"
                        + " (SELECT 1 FROM payment_history h WHERE h.id = p.id)"
                        + " ORDER BY p.created_at LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(createdBefore));
            s.setInt(2, limit);
            java.util.List<Orphan> out = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Orphan(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getLong(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6).getBytes(StandardCharsets.UTF_8),
                                    rs.getTimestamp(7).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read orphaned payments", e);
        }
    }

    /** The payment's body, only when it belongs to this merchant. */
    public Optional<byte[]> find(String merchantId, String id) {
        String sql = "SELECT response FROM payments WHERE id = ? AND merchant_id = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            s.setString(2, merchantId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next()
                        ? Optional.of(rs.getString(1).getBytes(StandardCharsets.UTF_8))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read payment " + id, e);
        }
    }
}
