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
import org.fraudplatform.database.encryption.FieldCipher;

/**
 * Customers' contacts per payment, and the notifications decided ({@code V8__notifications}). The
 * API writes a payment's contact with its idempotency reservation ({@code
 * org.fraudplatform.api.payments.ContactAlongside}, from {@link #columns}); the notifier reads it
 * here.
 *
 * <p>At rest ({@code V16__field_encryption}): the e-mail address and the phone number are encrypted
 * with the {@link FieldCipher}, each bound to its column (values kept before encryption are read as
 * they are); the device id and the locale are kept as given. A notification's recipient is kept
 * only as its blind index, which is all the hourly limit per recipient compares.
 */
public final class ContactStore {

    // what the cipher binds each value to (a value moved to another column does not decrypt)
    static final String EMAIL = "payment_contacts.email";
    static final String PHONE = "payment_contacts.phone";
    static final String RECIPIENT = "customer_notifications.recipient";

    /** What became of a notification. */
    public enum Outcome {
        SENT,
        RATE_LIMITED,
        FAILED
    }

    private final DataSource dataSource;
    private final FieldCipher cipher;

    public ContactStore(DataSource dataSource, FieldCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    /** A contact as its row in {@code payment_contacts} holds it: e-mail and phone encrypted. */
    public record Columns(String email, String phone, String deviceId, String locale) {}

    /** The values {@code c} is stored as. */
    public Columns columns(Contact c) {
        return new Columns(
                cipher.encrypt(EMAIL, c.email()),
                cipher.encrypt(PHONE, c.phone()),
                c.deviceId(),
                c.locale());
    }

    /** Keeps the payment's contact (a repeated call changes nothing). */
    public void remember(String merchantId, String paymentId, Contact c, Instant now) {
        if (c.isEmpty()) {
            return;
        }
        Columns row = columns(c);
        try (Connection conn = dataSource.getConnection();
                PreparedStatement s =
                        conn.prepareStatement(
                                "INSERT INTO payment_contacts (payment_id, merchant_id, email,"
                                        + " phone, device_id, locale, created_at) VALUES (?, ?, ?,"
                                        + " ?, ?, ?, ?) ON CONFLICT (payment_id) DO NOTHING")) {
            s.setString(1, paymentId);
            s.setString(2, merchantId);
            s.setString(3, row.email());
            s.setString(4, row.phone());
            s.setString(5, row.deviceId());
            s.setString(6, row.locale());
            s.setTimestamp(7, Timestamp.from(now));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot store the customer contact: " + e.getMessage(), e);
        }
    }

    /**
     * The payment's contact and its merchant, if the merchant gave one, decrypted.
     *
     * @throws FieldCipher.Unreadable when a stored e-mail or phone fails authentication
     */
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
                                        cipher.decrypt(EMAIL, rs.getString(2)),
                                        cipher.decrypt(PHONE, rs.getString(3)),
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
     * decides whether the recipient is over {@code perHour} messages in the last hour. The
     * recipient is recorded and compared as its blind index, so one address however capitalised is
     * one recipient, and the address itself is not stored.
     */
    public Optional<Outcome> claim(
            String paymentId,
            String eventType,
            Channel channel,
            String recipient,
            int perHour,
            Instant now) {
        String index = cipher.blindIndex(RECIPIENT, recipient);
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                // one recipient's claims one after another, so two cannot both pass the limit
                try (PreparedStatement lock =
                        conn.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, index);
                    lock.execute();
                }
                int recent;
                try (PreparedStatement count =
                        conn.prepareStatement(
                                "SELECT count(*) FROM customer_notifications WHERE recipient = ?"
                                        + " AND status = 'sent' AND created_at > ?")) {
                    count.setString(1, index);
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
                    s.setString(4, index);
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
