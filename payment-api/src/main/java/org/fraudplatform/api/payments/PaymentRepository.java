package org.fraudplatform.api.payments;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The API's read model of payments in PostgreSQL ({@code payments} table): the latest reply body of
 * each payment, so {@code GET /v1/payments/{id}} answers after a restart. Bodies never hold card
 * data (see {@link PaymentView}).
 */
public final class PaymentRepository {

    private final DataSource dataSource;

    public PaymentRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts the payment or, when it exists, replaces its status and body. */
    public void save(
            String id,
            String merchantId,
            String status,
            long amount,
            String currency,
            String instrumentKey,
            byte[] body,
            Instant now) {
        String sql =
                "INSERT INTO payments (id, merchant_id, status, amount, currency, instrument_key,"
                        + " response, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status,"
                        + " response = EXCLUDED.response, updated_at = EXCLUDED.updated_at";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            Timestamp ts = Timestamp.from(now);
            s.setString(1, id);
            s.setString(2, merchantId);
            s.setString(3, status);
            s.setLong(4, amount);
            s.setString(5, currency);
            s.setString(6, instrumentKey);
            s.setString(7, new String(body, java.nio.charset.StandardCharsets.UTF_8));
            s.setTimestamp(8, ts);
            s.setTimestamp(9, ts);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save payment " + id, e);
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
                        ? Optional.of(
                                rs.getString(1).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read payment " + id, e);
        }
    }
}
