package org.fraudplatform.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.fraudplatform.database.Batches;
import org.fraudplatform.database.projection.ProjectionWriter;
import org.fraudplatform.schemas.Customer;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.topics.Keys;

/**
 * Applies batches of {@code payments.requests} to {@code payment_links} ({@code
 * V17__decisions_links_labels}) exactly once: each payment's instrument token, customer, e-mail
 * hash, IP and device, the keys its features are counted per, so that a case page links the other
 * payments that share one. The first request of a payment is kept.
 */
public final class LinkWriter extends ProjectionWriter<PaymentRequest> {

    /** The {@code projection_offsets.projection} name. */
    public static final String PROJECTION = "payment_links";

    private static final String INSERT =
            "INSERT INTO payment_links (payment_id, merchant_id, instrument_key, customer_id,"
                    + " email_hash, ip, device_id, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (payment_id) DO NOTHING";

    public LinkWriter(DataSource dataSource) {
        this(dataSource, PROJECTION);
    }

    /**
     * @param projection name under which offsets are stored; two writers with different names keep
     *     separate positions (the rows are shared)
     */
    public LinkWriter(DataSource dataSource, String projection) {
        super(dataSource, projection, "payment requests");
    }

    @Override
    protected void write(Connection c, List<PaymentRequest> fresh) throws SQLException {
        Map<String, PaymentRequest> first = new java.util.LinkedHashMap<>();
        for (PaymentRequest r : fresh) {
            first.putIfAbsent(r.getPaymentId(), r);
        }
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            for (PaymentRequest r : first.values()) {
                Customer who = r.getCustomer();
                s.setString(1, r.getPaymentId());
                s.setString(2, r.getMerchantId());
                s.setString(3, Keys.instrumentKey(r));
                s.setString(4, blankToNull(who == null ? null : who.getId()));
                s.setString(5, blankToNull(who == null ? null : who.getEmailHash()));
                s.setString(6, blankToNull(who == null ? null : who.getIp()));
                s.setString(7, blankToNull(who == null ? null : who.getDeviceId()));
                s.setTimestamp(8, Timestamp.from(r.getEventTime()));
                s.addBatch();
            }
            if (!first.isEmpty()) {
                Batches.execute(s);
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
