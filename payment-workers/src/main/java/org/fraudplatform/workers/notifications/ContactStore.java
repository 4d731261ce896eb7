package org.fraudplatform.workers.notifications;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Customers' contacts per payment, and the notifications decided ({@code V8__notifications}). The
 * API writes a payment's contact with its idempotency reservation ({@code
 * org.fraudplatform.api.payments.ContactAlongside}); the notifier reads it here.
 */
public final class ContactStore {

    /** What became of a notification. */
    public enum Outcome {
        SENT,
        RATE_LIMITED,
        FAILED
    }

    private final DataSource dataSource;

    public ContactStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Keeps the payment's contact (a repeated call changes nothing). */
    public void remember(String merchantId, String paymentId, Contact c, Instant now) {
        if (c.isEmpty()) {
            return;
        }
        try (Connection conn = dataSource.getConnection();
                PreparedStatement s =
                        conn.prepareStatement(
                                "INSERT INTO payment_contacts (payment_id, merchant_id, email,"
                                        + " phone, device_id, locale, created_at) VALUES (?, ?, ?,"
                                        + " ?, ?, ?, ?) ON CONFLICT (payment_id) DO NOTHING")) {
            s.setString(1, paymentId);
            s.setString(2, merchantId);
            s.setString(3, c.email());
            s.setString(4, c.phone());
            s.setString(5, c.deviceId());
            s.setString(6, c.locale());
            s.setTimestamp(7, Timestamp.from(now));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot store the customer contact: " + e.getMessage(), e);
        }
    }

    /** The payment's contact and its merchant, if the merchant gave one. */
    public Optional<Stored> find(String paymentId) {
        try (Connection conn = dataSource.getConnection();
                PreparedStatement s =
                        conn.prepareStatement(
                                "SELECT merchant_id, email, phone, device_id, locale FROM"
                                        + " payment_contacts WHERE payment_id = ?")) {
            s.setString(1, paymentId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new Stored(
                                rs.getString(1),
                                new Contact(
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4),
                                        rs.getString(5))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read the customer contact: " + e.getMessage(), e);
        }
    }

    /** A payment's contact with its merchant. */
    public record Stored(String merchantId, Contact contact) {}

    /**
     * Claims the notification of one payment, event and channel: false when it was decided before
     * (the event was read again), so each is sent at most once. Within the same transaction,
     * decides whether the recipient is over {@code perHour} messages in the last hour.
     */
    public Optional<Outcome> claim(
            String paymentId,
            String eventType,
            Channel channel,
            String recipient,
            int perHour,
            Instant now) {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                // one recipient's claims one after another, so two cannot both pass the limit
                try (PreparedStatement lock =
                        conn.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, recipient);
                    lock.execute();
                }
                int recent;
                try (PreparedStatement count =
                        conn.prepareStatement(
                                "SELECT count(*) FROM customer_notifications WHERE recipient = ?"
                                        + " AND status = 'sent' AND created_at > ?")) {
                    count.setString(1, recipient);
                    count.setTimestamp(2, Timestamp.from(now.minus(Duration.ofHours(1))));
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        recent = rs.getInt(1);
                    }
                }
                Outcome outcome = recent >= perHour ? Outcome.RATE_LIMITED : Outcome.SENT;
                int inserted;
                try (PreparedStatement s =
                        conn.prepareStatement(
                                "INSERT INTO customer_notifications (payment_id, event_type,"
                                        + " channel, recipient, status, created_at) VALUES (?, ?,"
                                        + " ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    s.setString(1, paymentId);
                    s.setString(2, eventType);
                    s.setString(3, channel.label());
                    s.setString(4, recipient);
                    s.setString(5, outcome.name().toLowerCase(java.util.Locale.ROOT));
                    s.setTimestamp(6, Timestamp.from(now));
                    inserted = s.executeUpdate();
                }
                conn.commit();
                return inserted == 1 ? Optional.of(outcome) : Optional.empty();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record a notification: " + e.getMessage(), e);
        }
    }

    /** Records that sending failed. */
    public void failed(String paymentId, String eventType, Channel channel, String detail) {
        try (Connection conn = dataSource.getConnection();
                PreparedStatement s =
                        conn.prepareStatement(
                                "UPDATE customer_notifications SET status = 'failed', detail = ?"
                                        + " WHERE payment_id = ? AND event_type = ? AND channel = ?")) {
            s.setString(1, detail);
            s.setString(2, paymentId);
            s.setString(3, eventType);
            s.setString(4, channel.label());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record a notification: " + e.getMessage(), e);
        }
    }
}
