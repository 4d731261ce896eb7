package org.fraudplatform.history;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Merchant queries over the payment history ({@code payment_history}, {@code payment_events},
 * {@code merchant_balances}). Every query is scoped to one merchant and never returns another
 * merchant's rows: another merchant's payment id reads as absent.
 *
 * <p>The history is a projection and trails the ledger by the projector's lag; wait with {@link
 * Projector#awaitCaughtUp} to read one's own writes.
 */
public final class PaymentHistory {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private static final String COLUMNS =
            "id, merchant_id, instrument_key, customer_id, payment_method, status, currency,"
                    + " authorized, capturable, captured, refunded, charged_back, under_review,"
                    + " capturable_until, created_at, updated_at";

    /**
     * A search of one merchant's payments, newest first. Null filters match everything.
     *
     * @param card instrument key (card, account or wallet token)
     * @param customer customer id
     * @param status payment status, e.g. {@code captured}
     * @param from created at or after (inclusive)
     * @param to created before (exclusive)
     * @param limit page size, 1 to {@value #MAX_LIMIT}
     * @param startingAfter a payment id: the page starts after it
     * @param cursor a {@link Page#nextCursor()}: the page starts after it
     */
    public record Query(
            String card,
            String customer,
            String status,
            Instant from,
            Instant to,
            int limit,
            String startingAfter,
            String cursor) {

        public Query {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException(
                        "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
            }
            if (startingAfter != null && cursor != null) {
                throw new IllegalArgumentException("give startingAfter or cursor, not both");
            }
        }

        /** Every payment, {@value #DEFAULT_LIMIT} per page. */
        public static Query all() {
            return new Query(null, null, null, null, null, DEFAULT_LIMIT, null, null);
        }

        public Query withCard(String instrumentKey) {
            return new Query(
                    instrumentKey, customer, status, from, to, limit, startingAfter, cursor);
        }

        public Query withCustomer(String customerId) {
            return new Query(card, customerId, status, from, to, limit, startingAfter, cursor);
        }

        public Query withStatus(String paymentStatus) {
            return new Query(card, customer, paymentStatus, from, to, limit, startingAfter, cursor);
        }

        /** Created in [{@code fromInclusive}, {@code toExclusive}); either may be null. */
        public Query createdBetween(Instant fromInclusive, Instant toExclusive) {
            return new Query(
                    card,
                    customer,
                    status,
                    fromInclusive,
                    toExclusive,
                    limit,
                    startingAfter,
                    cursor);
        }

        public Query withLimit(int pageSize) {
            return new Query(card, customer, status, from, to, pageSize, startingAfter, cursor);
        }

        public Query withStartingAfter(String paymentId) {
            return new Query(card, customer, status, from, to, limit, paymentId, null);
        }

        public Query withCursor(String nextCursor) {
            return new Query(card, customer, status, from, to, limit, null, nextCursor);
        }
    }

    /**
     * One page of a search.
     *
     * @param hasMore true when more payments follow
     * @param nextCursor pass to {@link Query#withCursor} for the next page; null when none follows
     */
    public record Page(List<PaymentRecord> items, boolean hasMore, String nextCursor) {
        public Page {
            items = List.copyOf(items);
        }
    }

    private record Position(Instant createdAt, String id) {}

    private final DataSource dataSource;

    public PaymentHistory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The payment with its events in ledger order, when it is this merchant's. */
    public Optional<PaymentRecord> find(String merchantId, String paymentId) {
        String sql = "SELECT " + COLUMNS + " FROM payment_history WHERE merchant_id = ? AND id = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, merchantId);
            s.setString(2, paymentId);
            List<PaymentRecord> found = withEvents(c, merchantId, read(s));
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read payment " + paymentId, e);
        }
    }

    /**
     * One page of the merchant's payments matching the query, newest first (by creation time, then
     * id). Paging with {@link Page#nextCursor()} never skips nor repeats a payment.
     *
     * @throws IllegalArgumentException for a malformed cursor or an unknown {@code startingAfter}
     */
    public Page search(String merchantId, Query q) {
        StringBuilder sql =
                new StringBuilder("SELECT ")
                        .append(COLUMNS)
                        .append(" FROM payment_history WHERE merchant_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(merchantId);
        if (q.card() != null) {
            sql.append(" AND instrument_key = ?");
            args.add(q.card());
        }
        if (q.customer() != null) {
            sql.append(" AND customer_id = ?");
            args.add(q.customer());
        }
        if (q.status() != null) {
            sql.append(" AND status = ?");
            args.add(q.status());
        }
        if (q.from() != null) {
            sql.append(" AND created_at >= ?");
            args.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND created_at < ?");
            args.add(Timestamp.from(q.to()));
        }
        try (Connection c = dataSource.getConnection()) {
            Position after =
                    q.cursor() != null
                            ? decode(q.cursor())
                            : q.startingAfter() != null
                                    ? position(c, merchantId, q.startingAfter())
                                    : null;
            if (after != null) {
                sql.append(" AND (created_at, id) < (?, ?)");
                args.add(Timestamp.from(after.createdAt()));
                args.add(after.id());
            }
            sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
            args.add(q.limit() + 1);
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    s.setObject(i + 1, args.get(i));
                }
                List<PaymentRecord> rows = read(s);
                boolean hasMore = rows.size() > q.limit();
                if (hasMore) {
                    rows = rows.subList(0, q.limit());
                }
                PaymentRecord last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
                return new Page(
                        withEvents(c, merchantId, rows),
                        hasMore,
                        hasMore ? encode(new Position(last.createdAt(), last.id())) : null);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search payments: " + e.getMessage(), e);
        }
    }

    /** The merchant's payments under review, oldest first: the manual review queue. */
    public List<PaymentRecord> reviews(String merchantId, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        String sql =
                "SELECT "
                        + COLUMNS
                        + " FROM payment_history WHERE merchant_id = ? AND under_review"
                        + " ORDER BY created_at, id LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, merchantId);
            s.setInt(2, limit);
            return withEvents(c, merchantId, read(s));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the review queue: " + e.getMessage(), e);
        }
    }

    /**
     * Payments of every merchant that the ledger holds as pending since before {@code
     * updatedBefore} without knowing what the provider did: card and wallet payments whose provider
     * call timed out or whose caller died mid-call, and bank transfers whose caller died after the
     * ledger recorded the intent and before the provider's answer (a transfer the provider took is
     * pending by nature, until it settles, and is left out). Oldest first, without their events.
     */
    public List<PaymentRecord> unresolved(Instant updatedBefore, int limit) {
        String sql =
                "SELECT "
                        + COLUMNS
                        + " FROM payment_history h WHERE status = 'pending'"
                        + " AND (payment_method <> 'BANK_TRANSFER' OR NOT EXISTS (SELECT 1 FROM"
                        + " payment_events e WHERE e.payment_id = h.id AND e.type = 'PENDING'))"
                        + " AND updated_at < ?"
                        + " ORDER BY updated_at, id LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, java.sql.Timestamp.from(updatedBefore));
            s.setInt(2, limit);
            return read(s);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pending payments: " + e.getMessage(), e);
        }
    }

    /** The merchant's money per currency, the sum of its ledger events. */
    public List<Balance> balances(String merchantId) {
        String sql =
                "SELECT currency, authorized, captured, refunded, charged_back"
                        + " FROM merchant_balances WHERE merchant_id = ? ORDER BY currency";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, merchantId);
            List<Balance> balances = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    balances.add(
                            new Balance(
                                    rs.getString(1),
                                    rs.getLong(2),
                                    rs.getLong(3),
                                    rs.getLong(4),
                                    rs.getLong(5)));
                }
            }
            return balances;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read balances: " + e.getMessage(), e);
        }
    }

    private static Position position(Connection c, String merchantId, String paymentId)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT created_at FROM payment_history WHERE merchant_id = ? AND id = ?")) {
            s.setString(1, merchantId);
            s.setString(2, paymentId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no such payment: " + paymentId);
                }
                return new Position(rs.getTimestamp(1).toInstant(), paymentId);
            }
        }
    }

    /** Rows without events; {@link #withEvents} adds them. */
    private static List<PaymentRecord> read(PreparedStatement s) throws SQLException {
        List<PaymentRecord> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Timestamp capturableUntil = rs.getTimestamp(14);
                rows.add(
                        new PaymentRecord(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.getLong(8),
                                rs.getLong(9),
                                rs.getLong(10),
                                rs.getLong(11),
                                rs.getLong(12),
                                rs.getBoolean(13),
                                capturableUntil == null ? null : capturableUntil.toInstant(),
                                rs.getTimestamp(15).toInstant(),
                                rs.getTimestamp(16).toInstant(),
                                List.of()));
            }
        }
        return rows;
    }

    /** The same rows with their events, read in one query. */
    private static List<PaymentRecord> withEvents(
            Connection c, String merchantId, List<PaymentRecord> rows) throws SQLException {
        if (rows.isEmpty()) {
            return rows;
        }
        String[] ids = rows.stream().map(PaymentRecord::id).toArray(String[]::new);
        Map<String, List<EventRecord>> events = new HashMap<>();
        Array array = c.createArrayOf("text", ids);
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT payment_id, event_id, ordinal, type, amount, currency,"
                                + " operation_id, reason_code, provider, event_time"
                                + " FROM payment_events WHERE merchant_id = ? AND payment_id = ANY (?)"
                                + " ORDER BY payment_id, ordinal, event_time, event_id")) {
            s.setString(1, merchantId);
            s.setArray(2, array);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.computeIfAbsent(rs.getString(1), id -> new ArrayList<>())
                            .add(
                                    new EventRecord(
                                            rs.getString(2),
                                            rs.getInt(3),
                                            rs.getString(4),
                                            rs.getLong(5),
                                            rs.getString(6),
                                            rs.getString(7),
                                            rs.getString(8),
                                            rs.getString(9),
                                            rs.getTimestamp(10).toInstant()));
                }
            }
        } finally {
            array.free();
        }
        List<PaymentRecord> result = new ArrayList<>(rows.size());
        for (PaymentRecord r : rows) {
            result.add(
                    new PaymentRecord(
                            r.id(),
                            r.merchantId(),
                            r.instrumentKey(),
                            r.customerId(),
                            r.paymentMethod(),
                            r.status(),
                            r.currency(),
                            r.authorized(),
                            r.capturable(),
                            r.captured(),
                            r.refunded(),
                            r.chargedBack(),
                            r.underReview(),
                            r.capturableUntil(),
                            r.createdAt(),
                            r.updatedAt(),
                            events.getOrDefault(r.id(), List.of())));
        }
        return result;
    }

    /** An opaque cursor: the position (creation time and id) of the last payment of a page. */
    private static String encode(Position p) {
        String raw = p.createdAt().getEpochSecond() + ":" + p.createdAt().getNano() + ":" + p.id();
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static Position decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 3);
            if (parts.length != 3 || parts[2].isEmpty()) {
                throw new IllegalArgumentException("invalid cursor");
            }
            return new Position(
                    Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    parts[2]);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
    }
}
