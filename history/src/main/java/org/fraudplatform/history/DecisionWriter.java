package org.fraudplatform.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.fraudplatform.database.Batches;
import org.fraudplatform.database.projection.ProjectionWriter;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskDecision;

/**
 * Applies batches of {@code payments.decisions} to {@code payment_decisions} ({@code
 * V17__decisions_links_labels}) exactly once: the action, score and reasons of each decision, the
 * feature values it used, the champion's and the shadow model's scores and the shadow rules'
 * result, for the console's case page; and adds each decision to the overview's counts per minute
 * and action and per minute and reason code ({@code decision_minutes}, {@code
 * decision_reason_minutes}) and the rules page's hits per minute, rule and mode ({@code
 * rule_hit_minutes}), in the same transaction, so each record counts once. A decision met again (a
 * replayed record) replaces the row with the same values.
 */
public final class DecisionWriter extends ProjectionWriter<RiskDecision> {

    /** The {@code projection_offsets.projection} name. */
    public static final String PROJECTION = "payment_decisions";

    private static final String UPSERT =
            "INSERT INTO payment_decisions (payment_id, merchant_id, action, score, reasons,"
                    + " ruleset_version, model_version, model_score, shadow_model_version,"
                    + " shadow_model_score, shadow_action, shadow_reasons, features,"
                    + " latency_micros, decided_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?,"
                    + " ?, ?::jsonb, ?::jsonb, ?, ?) ON CONFLICT (payment_id) DO UPDATE SET"
                    + " merchant_id = EXCLUDED.merchant_id, action = EXCLUDED.action,"
                    + " score = EXCLUDED.score, reasons = EXCLUDED.reasons,"
                    + " ruleset_version = EXCLUDED.ruleset_version,"
                    + " model_version = EXCLUDED.model_version,"
                    + " model_score = EXCLUDED.model_score,"
                    + " shadow_model_version = EXCLUDED.shadow_model_version,"
                    + " shadow_model_score = EXCLUDED.shadow_model_score,"
                    + " shadow_action = EXCLUDED.shadow_action,"
                    + " shadow_reasons = EXCLUDED.shadow_reasons, features = EXCLUDED.features,"
                    + " latency_micros = EXCLUDED.latency_micros,"
                    + " decided_at = EXCLUDED.decided_at";

    public DecisionWriter(DataSource dataSource) {
        this(dataSource, PROJECTION);
    }

    /**
     * @param projection name under which offsets are stored; two writers with different names keep
     *     separate positions (the rows are shared)
     */
    public DecisionWriter(DataSource dataSource, String projection) {
        super(dataSource, projection, "risk decisions");
    }

    @Override
    protected void write(Connection c, List<RiskDecision> fresh) throws SQLException {
        // one row per payment: the last decision in the batch wins (rows of one statement
        // batch must not conflict with each other)
        Map<String, RiskDecision> latest = new java.util.LinkedHashMap<>();
        for (RiskDecision d : fresh) {
            latest.remove(d.getPaymentId());
            latest.put(d.getPaymentId(), d);
        }
        try (PreparedStatement s = c.prepareStatement(UPSERT)) {
            for (RiskDecision d : latest.values()) {
                s.setString(1, d.getPaymentId());
                s.setString(2, d.getMerchantId());
                s.setString(3, d.getAction().name());
                s.setDouble(4, finite(d.getScore()));
                s.setString(5, reasons(d.getReasons()));
                s.setString(6, d.getRulesetVersion());
                s.setString(7, d.getModelVersion());
                setDouble(s, 8, d.getModelScore());
                s.setString(9, d.getShadowModelVersion());
                setDouble(s, 10, d.getShadowModelScore());
                s.setString(11, d.getShadowAction() == null ? null : d.getShadowAction().name());
                s.setString(12, reasons(d.getShadowReasons()));
                s.setString(13, features(d.getFeatures()));
                s.setLong(14, d.getDecisionLatencyMicros());
                s.setTimestamp(15, Timestamp.from(d.getDecidedAt()));
                s.addBatch();
            }
            if (!latest.isEmpty()) {
                Batches.execute(s);
            }
        }
        count(c, fresh);
    }

    /** Adds the batch's decisions to the per-minute counts, in a fixed order (no deadlock). */
    private static void count(Connection c, List<RiskDecision> fresh) throws SQLException {
        Map<List<Object>, Long> byAction = new java.util.TreeMap<>(KEY_ORDER);
        Map<List<Object>, Long> byReason = new java.util.TreeMap<>(KEY_ORDER);
        for (RiskDecision d : fresh) {
            long minute = d.getDecidedAt().getEpochSecond() / 60 * 60;
            byAction.merge(List.of(minute, d.getAction().name()), 1L, Long::sum);
            java.util.Set<String> codes = new java.util.TreeSet<>();
            for (ReasonCode r : d.getReasons()) {
                codes.add(r.getCode());
            }
            for (String code : codes) {
                byReason.merge(List.of(minute, code), 1L, Long::sum);
            }
        }
        add(c, "decision_minutes", "action", byAction);
        add(c, "decision_reason_minutes", "code", byReason);
        countRules(c, fresh);
    }

    /**
     * Adds the batch's decisions to the rule hits per minute ({@code rule_hit_minutes}): once per
     * decision and rule named by its reasons' source {@code rule:<name>}, live and shadow apart.
     */
    private static void countRules(Connection c, List<RiskDecision> fresh) throws SQLException {
        Map<List<Object>, Long> hits = new java.util.TreeMap<>(RULE_KEY_ORDER);
        for (RiskDecision d : fresh) {
            long minute = d.getDecidedAt().getEpochSecond() / 60 * 60;
            for (String rule : rules(d.getReasons())) {
                hits.merge(List.of(minute, rule, "live"), 1L, Long::sum);
            }
            for (String rule : rules(d.getShadowReasons())) {
                hits.merge(List.of(minute, rule, "shadow"), 1L, Long::sum);
            }
        }
        if (hits.isEmpty()) {
            return;
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO rule_hit_minutes (minute, rule, mode, decisions) VALUES (?,"
                                + " ?, ?, ?) ON CONFLICT (minute, rule, mode) DO UPDATE SET"
                                + " decisions = rule_hit_minutes.decisions +"
                                + " EXCLUDED.decisions")) {
            for (Map.Entry<List<Object>, Long> e : hits.entrySet()) {
                s.setTimestamp(
                        1,
                        Timestamp.from(java.time.Instant.ofEpochSecond((Long) e.getKey().get(0))));
                s.setString(2, (String) e.getKey().get(1));
                s.setString(3, (String) e.getKey().get(2));
                s.setLong(4, e.getValue());
                s.addBatch();
            }
            Batches.execute(s);
        }
    }

    /** The rules among reasons, each once: their sources' names after {@code rule:}. */
    static java.util.Set<String> rules(List<ReasonCode> reasons) {
        java.util.Set<String> rules = new java.util.TreeSet<>();
        for (ReasonCode r : reasons == null ? List.<ReasonCode>of() : reasons) {
            String source = r.getSource();
            if (source != null && source.startsWith("rule:") && source.length() > 5) {
                rules.add(source.substring(5));
            }
        }
        return rules;
    }

    private static final java.util.Comparator<List<Object>> KEY_ORDER =
            java.util.Comparator.<List<Object>>comparingLong(k -> (Long) k.get(0))
                    .thenComparing(k -> (String) k.get(1));

    private static final java.util.Comparator<List<Object>> RULE_KEY_ORDER =
            KEY_ORDER.thenComparing(k -> (String) k.get(2));

    private static void add(
            Connection c, String table, String column, Map<List<Object>, Long> counts)
            throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO "
                                + table
                                + " (minute, "
                                + column
                                + ", decisions) VALUES (?, ?, ?) ON CONFLICT (minute, "
                                + column
                                + ") DO UPDATE SET decisions = "
                                + table
                                + ".decisions + EXCLUDED.decisions")) {
            for (Map.Entry<List<Object>, Long> e : counts.entrySet()) {
                s.setTimestamp(
                        1,
                        Timestamp.from(java.time.Instant.ofEpochSecond((Long) e.getKey().get(0))));
                s.setString(2, (String) e.getKey().get(1));
                s.setLong(3, e.getValue());
                s.addBatch();
            }
            Batches.execute(s);
        }
    }

    static String reasons(List<ReasonCode> reasons) {
        StringBuilder out = new StringBuilder("[");
        for (ReasonCode r : reasons) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append("{\"code\":");
            string(out, r.getCode());
            out.append(",\"message\":");
            string(out, r.getMessage());
            out.append(",\"source\":");
            string(out, r.getSource());
            out.append('}');
        }
        return out.append(']').toString();
    }

    /** Feature values by name; a value that is not a finite number (JSON has none) is null. */
    static String features(Map<String, Double> features) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Double> f : features.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            string(out, f.getKey());
            Double v = f.getValue();
            out.append(':').append(v == null || !Double.isFinite(v) ? "null" : v.toString());
        }
        return out.append('}').toString();
    }

    /** A JSON string. */
    private static void string(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void setDouble(PreparedStatement s, int i, Double value) throws SQLException {
        if (value == null || value.isNaN() || value.isInfinite()) {
            s.setNull(i, Types.DOUBLE);
        } else {
            s.setDouble(i, value);
        }
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 1.0;
    }
}
