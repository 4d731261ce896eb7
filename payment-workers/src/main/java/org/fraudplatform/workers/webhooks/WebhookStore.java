package org.fraudplatform.workers.webhooks;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.fraudplatform.database.Batches;
import org.fraudplatform.database.encryption.FieldCipher;

/**
 * Webhook endpoints and deliveries in PostgreSQL ({@code V7__webhooks}). An endpoint's signing
 * secret is stored encrypted with the {@link FieldCipher} ({@code V16__field_encryption}; a secret
 * kept before encryption is read as it is) and read decrypted, to sign deliveries; the merchant
 * sees it once, in what {@link #create} returns.
 */
public final class WebhookStore {

    /** The column the secret is encrypted for. */
    static final String SECRET = "webhook_endpoints.secret";

    /** A registered endpoint; {@code events} holds {@code *} for every event. */
    public record Endpoint(
            String id,
            String merchantId,
            String url,
            List<String> events,
            String secret,
            boolean enabled,
            Instant createdAt) {

        public boolean wants(String type) {
            return enabled && (events.contains("*") || events.contains(type));
        }
    }

    /** One event for one endpoint. */
    public record Delivery(
            String id,
            String endpointId,
            String merchantId,
            String eventId,
            String eventType,
            String payload,
            String status,
            int attempts,
            Instant nextAttemptAt,
            Integer lastStatus,
            String lastError,
            Instant eventTime,
            Instant createdAt,
            Instant deliveredAt) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DELIVERY_COLUMNS =
            "id, endpoint_id, merchant_id, event_id, event_type, payload, status, attempts,"
                    + " next_attempt_at, last_status, last_error, event_time, created_at,"
                    + " delivered_at";

    private final DataSource dataSource;
    private final FieldCipher cipher;

    public WebhookStore(DataSource dataSource, FieldCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    /** Registers an endpoint with a new secret; the endpoint returned has it in clear. */
    public Endpoint create(String merchantId, String url, List<String> events, Instant now) {
        byte[] id = new byte[8];
        byte[] secret = new byte[24];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        Endpoint e =
                new Endpoint(
                        "we_" + HexFormat.of().formatHex(id),
                        merchantId,
                        url,
                        List.copyOf(events),
                        "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
                        true,
                        now);
        update(
                "INSERT INTO webhook_endpoints (id, merchant_id, url, events, secret, enabled,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, TRUE, ?)",
                e.id(),
                merchantId,
                url,
                String.join(",", events),
                cipher.encrypt(SECRET, e.secret()),
                Timestamp.from(now));
        return e;
    }

    /** The merchant's enabled endpoints. */
    public List<Endpoint> endpoints(String merchantId) {
        return endpoints(
                "SELECT * FROM webhook_endpoints WHERE merchant_id = ? AND enabled ORDER BY"
                        + " created_at, id",
                merchantId);
    }

    public Optional<Endpoint> endpoint(String id) {
        return endpoints("SELECT * FROM webhook_endpoints WHERE id = ?", id).stream().findFirst();
    }

    /** Stops deliveries to the merchant's endpoint; false when it has none by that id. */
    public boolean disable(String merchantId, String id) {
        return update(
                        "UPDATE webhook_endpoints SET enabled = FALSE WHERE id = ? AND merchant_id"
                                + " = ? AND enabled",
                        id,
                        merchantId)
                == 1;
    }

    /** Queues deliveries; one already queued (same id) is left as it is. Returns how many new. */
    public int enqueue(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return 0;
        }
        String sql =
                "INSERT INTO webhook_deliveries ("
                        + DELIVERY_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, ?, ?, NULL)"
                        + " ON CONFLICT (id) DO NOTHING";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (Delivery d : deliveries) {
                s.setString(1, d.id());
                s.setString(2, d.endpointId());
                s.setString(3, d.merchantId());
                s.setString(4, d.eventId());
                s.setString(5, d.eventType());
                s.setString(6, d.payload());
                s.setTimestamp(7, Timestamp.from(d.nextAttemptAt()));
                s.setTimestamp(8, Timestamp.from(d.eventTime()));
                s.setTimestamp(9, Timestamp.from(d.createdAt()));
                s.addBatch();
            }
            int added = 0;
            for (int n : Batches.execute(s)) {
                added += Math.max(n, 0);
            }
            return added;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot queue webhook deliveries: " + e.getMessage(), e);
        }
    }

    /**
     * Takes up to {@code max} deliveries due at {@code now} and leases them for {@code lease}
     * (their next attempt moves past the lease, so another sender, or this one after a crash, takes
     * them only once the lease ran out).
     */
    public List<Delivery> claim(int max, Instant now, Duration lease) {
        String sql =
                "UPDATE webhook_deliveries d SET next_attempt_at = ? FROM (SELECT id FROM"
                        + " webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?"
                        + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due WHERE d.id"
                        + " = due.id RETURNING d.*";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(now.plus(lease)));
            s.setTimestamp(2, Timestamp.from(now));
            s.setInt(3, max);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(delivery(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot claim webhook deliveries: " + e.getMessage(), e);
        }
    }

    /** A delivery the endpoint took. */
    public record Delivered(String id, int attempts, int status, Instant at) {}

    /** Records deliveries the endpoints took, in one round trip. */
    public void delivered(List<Delivered> done) {
        if (done.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?,"
                                        + " last_status = ?, last_error = NULL, delivered_at = ?,"
                                        + " next_attempt_at = NULL WHERE id = ?")) {
            for (Delivered d : done) {
                s.setInt(1, d.attempts());
                s.setInt(2, d.status());
                s.setTimestamp(3, Timestamp.from(d.at()));
                s.setString(4, d.id());
                s.addBatch();
            }
            Batches.execute(s);
        } catch (SQLException e) {
            throw new IllegalStateException("webhook store: " + e.getMessage(), e);
        }
    }

    public void retryLater(
            String id, int attempts, Integer status, String error, Instant nextAttempt) {
        update(
                "UPDATE webhook_deliveries SET attempts = ?, last_status = ?, last_error = ?,"
                        + " next_attempt_at = ? WHERE id = ?",
                attempts,
                status,
                error,
                Timestamp.from(nextAttempt),
                id);
    }

    public void failed(String id, int attempts, Integer status, String error) {
        update(
                "UPDATE webhook_deliveries SET status = 'failed', attempts = ?, last_status = ?,"
                        + " last_error = ?, next_attempt_at = NULL WHERE id = ?",
                attempts,
                status,
                error,
                id);
    }

    /** The merchant's deliveries, newest first, of one status or all ({@code status} null). */
    public List<Delivery> deliveries(String merchantId, String status, int limit) {
        String sql =
                "SELECT "
                        + DELIVERY_COLUMNS
                        + " FROM webhook_deliveries WHERE merchant_id = ?"
                        + (status == null ? "" : " AND status = ?")
                        + " ORDER BY created_at DESC, id LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setString(i++, merchantId);
            if (status != null) {
                s.setString(i++, status);
            }
            s.setInt(i, limit);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(delivery(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read webhook deliveries: " + e.getMessage(), e);
        }
    }

    /**
     * Sends a failed delivery of the merchant again: it is pending from {@code now} with a fresh
     * round of attempts. False when the merchant has no failed delivery by that id.
     */
    public boolean resend(String merchantId, String id, Instant now) {
        return update(
                        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0,"
                                + " next_attempt_at = ? WHERE id = ? AND merchant_id = ? AND status"
                                + " = 'failed'",
                        Timestamp.from(now),
                        id,
                        merchantId)
                == 1;
    }

    private List<Endpoint> endpoints(String sql, String arg) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            List<Endpoint> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Endpoint(
                                    rs.getString("id"),
                                    rs.getString("merchant_id"),
                                    rs.getString("url"),
                                    List.of(rs.getString("events").split(",")),
                                    cipher.decrypt(SECRET, rs.getString("secret")),
                                    rs.getBoolean("enabled"),
                                    rs.getTimestamp("created_at").toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read webhook endpoints: " + e.getMessage(), e);
        }
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        int lastStatus = rs.getInt("last_status");
        boolean noStatus = rs.wasNull();
        return new Delivery(
                rs.getString("id"),
                rs.getString("endpoint_id"),
                rs.getString("merchant_id"),
                rs.getString("event_id"),
                rs.getString("event_type"),
                rs.getString("payload"),
                rs.getString("status"),
                rs.getInt("attempts"),
                instant(rs.getTimestamp("next_attempt_at")),
                noStatus ? null : lastStatus,
                rs.getString("last_error"),
                instant(rs.getTimestamp("event_time")),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("delivered_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("webhook store: " + e.getMessage(), e);
        }
    }
}
