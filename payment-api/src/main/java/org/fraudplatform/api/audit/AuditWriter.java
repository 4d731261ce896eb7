package org.fraudplatform.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.fraudplatform.database.Batches;
import org.fraudplatform.database.projection.ProjectionWriter;
import org.fraudplatform.schemas.AuditEvent;

/**
 * Applies batches of {@code audit.events} to the {@code audit_events} table exactly once (the
 * offsets commit with the rows, see {@link ProjectionWriter}); an event stored before is left as it
 * was ({@code ON CONFLICT DO NOTHING} on its id), so the trail is only ever appended to.
 */
public final class AuditWriter extends ProjectionWriter<AuditEvent> {

    /** The {@code projection_offsets.projection} name. */
    public static final String PROJECTION = "audit_events";

    private static final ObjectMapper JSON = new ObjectMapper();

    public AuditWriter(DataSource dataSource) {
        super(dataSource, PROJECTION, "audit events");
    }

    @Override
    protected void write(Connection c, List<AuditEvent> fresh) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO audit_events (event_id, at, actor, action, subject, details)"
                                + " VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (event_id) DO"
                                + " NOTHING")) {
            for (AuditEvent e : fresh) {
                s.setString(1, e.getEventId());
                s.setTimestamp(2, Timestamp.from(e.getAt()));
                s.setString(3, e.getActor());
                s.setString(4, e.getAction());
                s.setString(5, e.getSubject());
                s.setString(6, json(e.getDetails()));
                s.addBatch();
            }
            Batches.execute(s);
        }
    }

    private static String json(Map<String, String> details) {
        Map<String, String> sorted = new TreeMap<>();
        details.forEach((k, v) -> sorted.put(k.toString(), v == null ? null : v.toString()));
        try {
            return JSON.writeValueAsString(sorted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }
}
