package org.fraudplatform.api.payments;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.fraudplatform.api.idempotency.IdempotencyStore;
import org.fraudplatform.workers.notifications.Contact;
import org.fraudplatform.workers.notifications.ContactStore;

/**
 * The customer's contact, written by the idempotency reservation's own statement: kept exactly when
 * the key is reserved, in the same round trip to PostgreSQL. The e-mail and phone are encrypted as
 * {@link ContactStore} stores them ({@link ContactStore#columns}) before the statement is made, so
 * the reservation waits on no cryptography.
 */
public final class ContactAlongside implements IdempotencyStore.Alongside {

    private final String merchantId;
    private final ContactStore.Columns contact;
    private final Instant now;

    private ContactAlongside(String merchantId, ContactStore.Columns contact, Instant now) {
        this.merchantId = merchantId;
        this.contact = contact;
        this.now = now;
    }

    /**
     * The contact to keep with the reservation, encrypted by {@code contacts}, or null when there
     * is nothing to keep.
     */
    public static IdempotencyStore.Alongside of(
            ContactStore contacts, String merchantId, Contact contact, Instant now) {
        return contact.isEmpty()
                ? null
                : new ContactAlongside(merchantId, contacts.columns(contact), now);
    }

    @Override
    public String sql() {
        return "INSERT INTO payment_contacts (payment_id, merchant_id, email, phone,"
                + " device_id, locale, created_at) SELECT payment_id, ?, ?, ?, ?, ?, ?"
                + " FROM reserved ON CONFLICT (payment_id) DO NOTHING";
    }

    @Override
    public void bind(PreparedStatement s, int first) throws SQLException {
        s.setString(first, merchantId);
        s.setString(first + 1, contact.email());
        s.setString(first + 2, contact.phone());
        s.setString(first + 3, contact.deviceId());
        s.setString(first + 4, contact.locale());
        s.setTimestamp(first + 5, Timestamp.from(now));
    }
}
