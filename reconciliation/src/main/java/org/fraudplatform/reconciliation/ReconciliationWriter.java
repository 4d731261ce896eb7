package org.fraudplatform.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.fraudplatform.database.Batches;
import org.fraudplatform.database.projection.ProjectionWriter;
import org.fraudplatform.schemas.ReconciliationItem;
import org.fraudplatform.schemas.ReconciliationStep;

/**
 * Applies batches of {@code reconciliation.items} to {@code reconciliation_items}, exactly once.
 */
public final class ReconciliationWriter extends ProjectionWriter<ReconciliationItem> {

    public static final String PROJECTION = "reconciliation_items";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String UPSERT =
            "INSERT INTO reconciliation_items (item_id, payment_id, operation_id, merchant_id,"
                    + " provider, type, day, status, category, ledger_amount, ledger_currency,"
                    + " settled_amount, settled_currency, settlement_rows, fee, resolved_by,"
                    + " resolution, history, updated_at) VALUES"
                    + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS JSONB), ?)"
                    + " ON CONFLICT (item_id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id,"
                    + " provider = EXCLUDED.provider, type = EXCLUDED.type, day = EXCLUDED.day,"
                    + " status = EXCLUDED.status, category = EXCLUDED.category,"
                    + " ledger_amount = EXCLUDED.ledger_amount,"
                    + " ledger_currency = EXCLUDED.ledger_currency,"
                    + " settled_amount = EXCLUDED.settled_amount,"
                    + " settled_currency = EXCLUDED.settled_currency,"
                    + " settlement_rows = EXCLUDED.settlement_rows, fee = EXCLUDED.fee,"
                    + " resolved_by = EXCLUDED.resolved_by, resolution = EXCLUDED.resolution,"
                    + " history = EXCLUDED.history, updated_at = EXCLUDED.updated_at";

    public ReconciliationWriter(DataSource dataSource) {
        super(dataSource, PROJECTION, "reconciliation items");
    }

    @Override
    protected void write(Connection c, List<ReconciliationItem> fresh) throws SQLException {
        Map<String, ReconciliationItem> latest = new LinkedHashMap<>();
        for (ReconciliationItem i : fresh) {
            latest.put(i.getItemId(), i);
        }
        if (latest.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(UPSERT)) {
            for (ReconciliationItem i : latest.values()) {
                s.setString(1, i.getItemId());
                s.setString(2, i.getPaymentId());
                s.setString(3, i.getOperationId());
                s.setString(4, i.getMerchantId());
                s.setString(5, i.getProvider());
                s.setString(6, i.getType().name());
                s.setDate(7, Date.valueOf(LocalDate.parse(i.getDay())));
                s.setString(8, i.getStatus().name());
                s.setString(9, i.getCategory().name());
                setLong(s, 10, i.getLedgerAmount());
                s.setString(11, i.getLedgerCurrency());
                setLong(s, 12, i.getSettledAmount());
                s.setString(13, i.getSettledCurrency());
                s.setInt(14, i.getSettlementRows().size());
                s.setLong(15, i.getFee());
                s.setString(16, i.getResolvedBy());
                s.setString(17, i.getResolution());
                s.setString(18, history(i.getHistory()));
                s.setTimestamp(19, Timestamp.from(i.getUpdatedAt()));
                s.addBatch();
            }
            Batches.execute(s);
        }
    }

    private static void setLong(PreparedStatement s, int i, Long v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.BIGINT);
        } else {
            s.setLong(i, v);
        }
    }

    private static String history(List<ReconciliationStep> steps) {
        ArrayNode a = JSON.createArrayNode();
        for (ReconciliationStep step : steps) {
            a.addObject()
                    .put("at", step.getAt().toString())
                    .put("status", step.getStatus().name())
                    .put("category", step.getCategory().name())
                    .put("note", step.getNote());
        }
        try {
            return JSON.writeValueAsString(a);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
