package org.fraudplatform.api.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.api.http.ApiServer;
import org.fraudplatform.api.http.HttpReply;
import org.fraudplatform.api.http.Json;
import org.fraudplatform.api.http.Problem;
import org.fraudplatform.api.validation.ControlCharacters;
import org.fraudplatform.api.validation.FreeText;
import org.fraudplatform.schemas.ReconciliationCategory;
import org.fraudplatform.schemas.ReconciliationResolution;
import org.fraudplatform.schemas.ReconciliationStatus;
import org.fraudplatform.schemas.topics.Topic;

/**
 * {@code GET /v1/reconciliation?date=…} (a merchant sees its own items, an operator all) and {@code
 * POST /v1/reconciliation/resolutions} (operators): reads the projection, sends resolutions to the
 * reconciliation topology, which applies and audits them. A resolution's note holding a card number
 * is refused with 400 naming {@code note} ({@link FreeText}).
 */
public final class ReconciliationService implements ApiServer.Reconciliation {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NOTE = 2_000;

    private final DataSource dataSource;
    private final Producer<String, ReconciliationResolution> producer;
    private final Topic<String, ReconciliationResolution> resolutions;
    private final Clock clock;

    public ReconciliationService(
            DataSource dataSource,
            Producer<String, ReconciliationResolution> producer,
            Topic<String, ReconciliationResolution> resolutions,
            Clock clock) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.resolutions = resolutions;
        this.clock = clock;
    }

    @Override
    public HttpReply items(String merchantId, Map<String, String> query) {
        List<Problem.FieldProblem> problems = new ArrayList<>();
        LocalDate day = null;
        String date = query.get("date");
        if (date == null) {
            problems.add(new Problem.FieldProblem("date", "is required (yyyy-MM-dd)"));
        } else {
            try {
                day = LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                problems.add(new Problem.FieldProblem("date", "must be yyyy-MM-dd, was " + date));
            }
        }
        String status = upper(query.get("status"));
        if (status != null && !isIn(status, ReconciliationStatus.values())) {
            problems.add(
                    new Problem.FieldProblem(
                            "status", "must be open, matched, exception or resolved"));
        }
        String category = upper(query.get("category"));
        if (category != null && !isIn(category, ReconciliationCategory.values())) {
            problems.add(new Problem.FieldProblem("category", "is not a reconciliation category"));
        }
        if (!problems.isEmpty()) {
            return HttpReply.problem(Problem.invalidFields(problems));
        }
        List<Map<String, Object>> data = query(day, merchantId, status, category);
        Map<String, Integer> counts = new TreeMap<>();
        for (Map<String, Object> item : data) {
            counts.merge((String) item.get("category"), 1, Integer::sum);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("date", day.toString());
        body.put("counts", counts);
        body.put("data", data);
        return HttpReply.json(200, Json.write(body));
    }

    @Override
    public CompletableFuture<HttpReply> resolve(String operator, byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(
                    HttpReply.problem(Problem.malformedJson(e.getMessage())));
        }
        List<String> controls = ControlCharacters.fieldsWith(json);
        if (!controls.isEmpty()) {
            return CompletableFuture.completedFuture(
                    HttpReply.problem(Problem.controlCharacters(controls)));
        }
        String itemId = json == null ? null : json.path("item_id").asText(null);
        String note = json == null ? null : json.path("note").asText(null);
        List<Problem.FieldProblem> problems = new ArrayList<>();
        if (itemId == null || itemId.isBlank()) {
            problems.add(new Problem.FieldProblem("item_id", "is required"));
        }
        if (note == null || note.isBlank()) {
            problems.add(new Problem.FieldProblem("note", "is required: say how it was resolved"));
        } else if (note.length() > MAX_NOTE) {
            problems.add(
                    new Problem.FieldProblem(
                            "note", "must be at most " + MAX_NOTE + " characters"));
        } else if (FreeText.holdsCardNumber(note)) {
            problems.add(new Problem.FieldProblem("note", FreeText.REFUSAL));
        }
        if (!problems.isEmpty()) {
            return CompletableFuture.completedFuture(
                    HttpReply.problem(Problem.invalidFields(problems)));
        }
        Optional<Map<String, Object>> item = find(itemId);
        if (item.isEmpty()) {
            return CompletableFuture.completedFuture(
                    HttpReply.problem(Problem.notFound("No reconciliation item " + itemId)));
        }
        if (!"EXCEPTION".equals(item.get().get("status"))) {
            return CompletableFuture.completedFuture(
                    HttpReply.problem(
                            Problem.of(
                                    409,
                                    "not-an-exception",
                                    "Only exceptions are resolved",
                                    itemId + " is " + item.get().get("status"))));
        }
        ReconciliationResolution resolution =
                ReconciliationResolution.newBuilder()
                        .setItemId(itemId)
                        .setResolvedBy(operator)
                        .setNote(note)
                        .setAt(clock.instant())
                        .build();
        CompletableFuture<HttpReply> reply = new CompletableFuture<>();
        producer.send(
                new ProducerRecord<>(
                        resolutions.name(), (String) item.get().get("payment_id"), resolution),
                (metadata, failure) -> {
                    if (failure != null) {
                        reply.complete(
                                HttpReply.problem(
                                        Problem.unavailable(
                                                "could not record the resolution: "
                                                        + failure.getMessage())));
                    } else {
                        Map<String, Object> accepted = new LinkedHashMap<>();
                        accepted.put("item_id", itemId);
                        accepted.put("status", "resolving");
                        accepted.put("resolved_by", operator);
                        reply.complete(HttpReply.json(202, Json.write(accepted)));
                    }
                });
        return reply;
    }

    private List<Map<String, Object>> query(
            LocalDate day, String merchantId, String status, String category) {
        StringBuilder sql = new StringBuilder("SELECT * FROM reconciliation_items WHERE day = ?");
        List<Object> args = new ArrayList<>();
        args.add(Date.valueOf(day));
        if (merchantId != null) {
            sql.append(" AND merchant_id = ?");
            args.add(merchantId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (category != null) {
            sql.append(" AND category = ?");
            args.add(category);
        }
        sql.append(" ORDER BY category, item_id");
        return select(sql.toString(), args);
    }

    private Optional<Map<String, Object>> find(String itemId) {
        return select("SELECT * FROM reconciliation_items WHERE item_id = ?", List.of(itemId))
                .stream()
                .findFirst();
    }

    private List<Map<String, Object>> select(String sql, List<Object> args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(
                    "cannot read reconciliation items: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> row(ResultSet rs) throws SQLException, IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("item_id", rs.getString("item_id"));
        m.put("payment_id", rs.getString("payment_id"));
        m.put("operation_id", rs.getString("operation_id"));
        m.put("merchant_id", rs.getString("merchant_id"));
        m.put("provider", rs.getString("provider"));
        m.put("type", rs.getString("type"));
        m.put("day", rs.getDate("day").toLocalDate().toString());
        m.put("status", rs.getString("status"));
        m.put("category", rs.getString("category"));
        m.put("ledger", money(rs, "ledger_amount", "ledger_currency"));
        m.put("settled", money(rs, "settled_amount", "settled_currency"));
        m.put("settlement_rows", rs.getInt("settlement_rows"));
        m.put("fee", rs.getLong("fee"));
        m.put("resolved_by", rs.getString("resolved_by"));
        m.put("resolution", rs.getString("resolution"));
        m.put("history", JSON.readTree(rs.getString("history")));
        m.put("updated_at", rs.getTimestamp("updated_at").toInstant().toString());
        return m;
    }

    private static Map<String, Object> money(ResultSet rs, String amount, String currency)
            throws SQLException {
        long a = rs.getLong(amount);
        if (rs.wasNull()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("amount", a);
        m.put("currency", rs.getString(currency));
        return m;
    }

    private static String upper(String s) {
        return s == null || s.isBlank() ? null : s.trim().toUpperCase(java.util.Locale.ROOT);
    }

    private static boolean isIn(String name, Enum<?>[] values) {
        for (Enum<?> v : values) {
            if (v.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
