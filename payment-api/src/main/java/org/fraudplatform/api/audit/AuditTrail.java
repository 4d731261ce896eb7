package org.fraudplatform.api.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads the audit trail as projected by {@link AuditWriter}: newest first, filtered by who, what,
 * to what and when, a page at a time.
 */
public final class AuditTrail {

    /** At most this many events in one page. */
    public static final int MAX_LIMIT = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public AuditTrail(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One event of the trail. */
    public record Entry(
            String eventId,
            Instant at,
            String actor,
            String action,
            String subject,
            Map<String, String> details) {}

    /**
     * What to read; every field but {@code limit} may be null (no filter).
     *
     * @param actor exactly this actor ({@code person:ana}, {@code merchant:m_1}, …)
     * @param action this action, or every action starting with it when it ends in {@code .} ({@code
     *     key.} for every key change)
     * @param subject exactly this subject
     * @param since at or after
     * @param until before
     * @param startingAfter the page after the one that ended with the event of this id (older
     *     events)
     * @param limit 1 to {@link #MAX_LIMIT}
     */
    public record Query(
            String actor,
            String action,
            String subject,
            Instant since,
            Instant until,
            String startingAfter,
            int limit) {
        public Query {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit is 1 to " + MAX_LIMIT + ", not " + limit);
            }
        }
    }

    /** A page of events, newest first, and whether older ones match too. */
    public record Page(List<Entry> entries, boolean hasMore) {}

    /**
     * The events that match, newest first; the next page starts after the last one ({@code
     * startingAfter}).
     */
    public Page read(Query q) {
        StringBuilder sql =
                new StringBuilder(
                        "SELECT event_id, at, actor, action, subject, details::text FROM"
                                + " audit_events WHERE true");
        List<Object> args = new ArrayList<>();
        if (q.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(q.actor());
        }
        if (q.action() != null) {
            if (q.action().endsWith(".")) {
                sql.append(" AND starts_with(action, ?)");
            } else {
                sql.append(" AND action = ?");
            }
            args.add(q.action());
        }
        if (q.subject() != null) {
            sql.append(" AND subject = ?");
            args.add(q.subject());
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            args.add(Timestamp.from(q.since()));
        }
        if (q.until() != null) {
            sql.append(" AND at < ?");
            args.add(Timestamp.from(q.until()));
        }
        if (q.startingAfter() != null) {
            sql.append(
                    " AND (at, event_id) < (SELECT at, event_id FROM audit_events WHERE event_id"
                            + " = ?)");
            args.add(q.startingAfter());
        }
        sql.append(" ORDER BY at DESC, event_id DESC LIMIT ?");
        args.add(q.limit() + 1);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(
                            new Entry(
                                    r.getString(1),
                                    r.getTimestamp(2).toInstant(),
                                    r.getString(3),
                                    r.getString(4),
                                    r.getString(5),
                                    JSON.readValue(
                                            r.getString(6),
                                            new TypeReference<Map<String, String>>() {})));
                }
            }
            boolean more = out.size() > q.limit();
            return new Page(more ? List.copyOf(out.subList(0, q.limit())) : out, more);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot read the audit trail: " + e.getMessage(), e);
        }
    }
}
