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
import org.fraudplatform.schemas.Label;

/**
 * Applies batches of the {@code labels} topic to {@code payment_labels} ({@code
 * V17__decisions_links_labels}) exactly once: what became known about whether each payment was
 * fraud, for the console's linked history. The same label met twice (same id) is kept once.
 */
public final class LabelWriter extends ProjectionWriter<Label> {

    /** The {@code projection_offsets.projection} name. */
    public static final String PROJECTION = "payment_labels";

    private static final String INSERT =
            "INSERT INTO payment_labels (label_id, payment_id, merchant_id, fraud, source,"
                    + " reason_code, known_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (label_id) DO NOTHING";

    public LabelWriter(DataSource dataSource) {
        this(dataSource, PROJECTION);
    }

    /**
     * @param projection name under which offsets are stored; two writers with different names keep
     *     separate positions (the rows are shared)
     */
    public LabelWriter(DataSource dataSource, String projection) {
        super(dataSource, projection, "labels");
    }

    @Override
    protected void write(Connection c, List<Label> fresh) throws SQLException {
        Map<String, Label> once = new java.util.LinkedHashMap<>();
        for (Label l : fresh) {
            once.putIfAbsent(l.getLabelId(), l);
        }
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            for (Label l : once.values()) {
                s.setString(1, l.getLabelId());
                s.setString(2, l.getPaymentId());
                s.setString(3, l.getMerchantId());
                s.setBoolean(4, l.getFraud());
                s.setString(5, l.getSource().name());
                s.setString(6, l.getReasonCode());
                s.setTimestamp(7, Timestamp.from(l.getKnownAt()));
                s.addBatch();
            }
            if (!once.isEmpty()) {
                Batches.execute(s);
            }
        }
    }
}
