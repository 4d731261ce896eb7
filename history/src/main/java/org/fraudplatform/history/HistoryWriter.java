package org.fraudplatform.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.fraudplatform.database.Batches;
import org.fraudplatform.database.projection.ProjectionWriter;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentSnapshot;

/**
 * Applies batches of {@code payments.snapshots} records to the history tables ({@code V4__history})
 * exactly once.
 *
 * <p>One transaction per batch: each payment's row is upserted, its events not yet stored are
 * inserted ({@code ON CONFLICT DO NOTHING} on the event id), and {@code projection_offsets} is
 * moved to the last applied offset + 1 of each partition. Rows and offsets commit together, so a
 * restart that resumes from {@link #storedOffsets()} neither loses nor repeats a snapshot.
 *
 * <p>The offset rows are locked ({@code FOR UPDATE}) first, in a fixed order, and records below the
 * stored offset are skipped: a batch applied twice (a retry after a lost commit acknowledgement, or
 * two projectors writing to one database) changes nothing the second time, and a partition's
 * snapshots are always applied in offset order.
 */
public final class HistoryWriter extends ProjectionWriter<PaymentSnapshot> {

    /** The {@code projection_offsets.projection} name used by default. */
    public static final String PROJECTION = "payment_history";

    private static final String UPSERT_PAYMENT =
            "INSERT INTO payment_history (id, merchant_id, instrument_key, customer_id,"
                    + " payment_method, status, currency, authorized, capturable, captured,"
                    + " refunded, charged_back, under_review, capturable_until, created_at,"
                    + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id,"
                    + " instrument_key = EXCLUDED.instrument_key,"
                    + " customer_id = EXCLUDED.customer_id,"
                    + " payment_method = EXCLUDED.payment_method, status = EXCLUDED.status,"
                    + " currency = EXCLUDED.currency, authorized = EXCLUDED.authorized,"
                    + " capturable = EXCLUDED.capturable, captured = EXCLUDED.captured,"
                    + " refunded = EXCLUDED.refunded, charged_back = EXCLUDED.charged_back,"
                    + " under_review = EXCLUDED.under_review,"
                    + " capturable_until = EXCLUDED.capturable_until,"
                    + " created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at";

    private static final String INSERT_EVENT =
            "INSERT INTO payment_events (event_id, payment_id, merchant_id, ordinal, type, amount,"
                    + " currency, operation_id, reason_code, provider, event_time)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING";

    public HistoryWriter(DataSource dataSource) {
        this(dataSource, PROJECTION);
    }

    /**
     * @param projection name under which offsets are stored; two writers with different names keep
     *     separate positions (the rows are shared)
     */
    public HistoryWriter(DataSource dataSource, String projection) {
        super(dataSource, projection, "payment snapshots");
    }

    @Override
    protected void write(Connection c, List<PaymentSnapshot> fresh) throws SQLException {
        // The newest snapshot of each payment in this batch: each carries the whole payment.
        Map<String, PaymentSnapshot> latest = new LinkedHashMap<>();
        // Every snapshot's events, first occurrence first, in case a snapshot does not repeat all.
        Map<String, Event> events = new LinkedHashMap<>();
        for (PaymentSnapshot s : fresh) {
            latest.remove(s.getPaymentId()); // keep insertion order = order of newest
            latest.put(s.getPaymentId(), s);
            List<PaymentEvent> list = s.getEvents();
            for (int i = 0; i < list.size(); i++) {
                events.putIfAbsent(list.get(i).getEventId(), new Event(s, list.get(i), i));
            }
        }
        upsertPayments(c, latest.values());
        insertEvents(c, events.values());
    }

    private record Event(PaymentSnapshot payment, PaymentEvent event, int ordinal) {}

    private void upsertPayments(Connection c, Iterable<PaymentSnapshot> snapshots)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(UPSERT_PAYMENT)) {
            int n = 0;
            for (PaymentSnapshot p : snapshots) {
                s.setString(1, p.getPaymentId());
                s.setString(2, p.getMerchantId());
                s.setString(3, p.getInstrumentKey());
                s.setString(4, p.getCustomerId());
                s.setString(5, p.getPaymentMethod().name());
                s.setString(6, p.getStatus());
                s.setString(7, p.getCurrency());
                s.setLong(8, p.getAuthorized());
                s.setLong(9, p.getCapturable());
                s.setLong(10, p.getCaptured());
                s.setLong(11, p.getRefunded());
                s.setLong(12, p.getChargedBack());
                s.setBoolean(13, p.getUnderReview());
                s.setTimestamp(14, timestamp(p.getCapturableUntil()));
                s.setTimestamp(15, timestamp(p.getCreatedAt()));
                s.setTimestamp(16, timestamp(p.getUpdatedAt()));
                s.addBatch();
                n++;
            }
            if (n > 0) {
                Batches.execute(s);
            }
        }
    }

    private static void insertEvents(Connection c, Iterable<Event> events) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_EVENT)) {
            int n = 0;
            for (Event e : events) {
                PaymentEvent ev = e.event();
                s.setString(1, ev.getEventId());
                s.setString(2, e.payment().getPaymentId());
                s.setString(3, e.payment().getMerchantId());
                s.setInt(4, e.ordinal());
                s.setString(5, ev.getType().name());
                s.setLong(6, ev.getAmount());
                s.setString(7, ev.getCurrency());
                s.setString(8, ev.getOperationId());
                s.setString(9, ev.getReasonCode());
                s.setString(10, ev.getProvider());
                s.setTimestamp(11, timestamp(ev.getEventTime()));
                s.addBatch();
                n++;
            }
            if (n > 0) {
                Batches.execute(s);
            }
        }
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }
}
