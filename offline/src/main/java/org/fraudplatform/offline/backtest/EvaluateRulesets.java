package org.fraudplatform.offline.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.offline.backfill.BackfillOutput;
import org.fraudplatform.offline.backfill.BackfillProgress;
import org.fraudplatform.offline.backfill.RequestColumns;
import org.fraudplatform.risk.RiskScorer;
import org.fraudplatform.risk.RulesRiskScorer;
import org.fraudplatform.risk.models.LiveModels;
import org.fraudplatform.risk.models.LoadedModel;
import org.fraudplatform.risk.models.ModelRiskScorer;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.fraudplatform.schemas.serde.AvroSupport;

/**
 * Judges each row of a feature backfill (its point-in-time features, the request as the decision
 * reads it, and the fraud label known later) as the risk topology would have: the row becomes the
 * payment request ({@link RequestColumns#request}) and is scored by the same {@link RiskScorer} the
 * platform runs (a {@link ModelRiskScorer} over a {@link RulesRiskScorer}, with the chosen model as
 * champion, or none), once with the candidate and once with the baseline. Emits one tally per side
 * and per rule that fired, and, when asked, every payment's two decisions as a JSON line on {@link
 * #DECISIONS}. Rulesets compile and models load once per task.
 */
final class EvaluateRulesets extends ProcessFunction<String, Tally> {

    /** One JSON object per payment: its candidate and baseline decisions. */
    static final OutputTag<String> DECISIONS = new OutputTag<>("decisions", Types.STRING);

    private final Map<String, byte[]> candidateFiles;
    private final Map<String, byte[]> baselineFiles;
    private final byte[] candidateModel;
    private final byte[] baselineModel;
    private final FeatureCatalogue catalogue;
    private final CurrencyRates rates;
    private final ListTimeline lists;
    private final long fromMillis;
    private final long toMillis;
    private final boolean decisions;
    private final String progressId;
    private transient RiskScorer candidate;
    private transient RiskScorer baseline;
    private transient ObjectMapper json;

    EvaluateRulesets(
            RuleBacktest.Settings s,
            Map<String, byte[]> candidateFiles,
            Map<String, byte[]> baselineFiles,
            String progressId) {
        this.candidateFiles = candidateFiles;
        this.baselineFiles = baselineFiles;
        this.candidateModel = bytes(s.candidateModel());
        this.baselineModel = bytes(s.baselineModel());
        this.catalogue = s.catalogue();
        this.rates = s.rates();
        this.lists = s.lists();
        this.fromMillis = s.from() == null ? Long.MIN_VALUE : s.from().toEpochMilli();
        this.toMillis = s.to() == null ? Long.MAX_VALUE : s.to().toEpochMilli();
        this.decisions = s.decisions();
        this.progressId = progressId;
    }

    @Override
    public void open(OpenContext context) {
        candidate = scorer(candidateFiles, candidateModel);
        baseline = scorer(baselineFiles, baselineModel);
        json = new ObjectMapper();
    }

    /** The scorer the platform runs: the champion's score reaches the rules as model_score. */
    private RiskScorer scorer(Map<String, byte[]> ruleset, byte[] model) {
        LiveModels models = new LiveModels();
        if (model != null) {
            models.set(LoadedModel.load(release(model), catalogue), null);
        }
        return new ModelRiskScorer(
                new RulesRiskScorer(RuleEngine.compile(RulesetSource.of(ruleset)), rates),
                models,
                rates);
    }

    @Override
    public void processElement(String line, Context ctx, Collector<Tally> out) throws Exception {
        if (line.startsWith("transaction_id,")) {
            return;
        }
        BackfillProgress.add(progressId, BackfillProgress.LINES, 1);
        String[] c = line.split(",", -1);
        int n = catalogue.features().size();
        int lead = BackfillOutput.LEADING.size();
        int request = lead + n + BackfillOutput.TRAILING.size();
        if (c.length != request + RequestColumns.NAMES.size()) {
            throw new IllegalArgumentException(
                    "not a feature backfill row of this catalogue ("
                            + c.length
                            + " columns): "
                            + line);
        }
        long time =
                LocalDateTime.parse(c[1].replace(' ', 'T'))
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
        if (time < fromMillis || time >= toMillis) {
            return;
        }
        // the backfill's amount_minor is in the reference currency, as the tallies count money
        long amount = Long.parseLong(c[2]);
        Map<String, Double> features = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String v = c[lead + i];
            if (!v.isEmpty()) {
                features.put(catalogue.features().get(i).name(), Double.parseDouble(v));
            }
        }
        boolean fraud = "1".equals(c[lead + n]);
        PaymentRequest payment = RequestColumns.request(c, request, Instant.ofEpochMilli(time));
        var listsThen = lists.at(time);
        RiskScorer.Verdict byCandidate = candidate.score(payment, features, listsThen);
        RiskScorer.Verdict byBaseline = baseline.score(payment, features, listsThen);
        emit("candidate", byCandidate, fraud, amount, out);
        emit("baseline", byBaseline, fraud, amount, out);
        if (decisions) {
            ObjectNode d = json.createObjectNode();
            d.put("transaction_id", c[0]);
            d.put("event_time", Instant.ofEpochMilli(time).toString());
            d.put("is_fraud", fraud);
            d.set("candidate", verdict(byCandidate));
            d.set("baseline", verdict(byBaseline));
            ctx.output(DECISIONS, json.writeValueAsString(d));
        }
    }

    private ObjectNode verdict(RiskScorer.Verdict v) {
        ObjectNode o = json.createObjectNode();
        o.put("action", v.action().name());
        o.put("score", v.score());
        o.set("reasons", reasons(v.reasons()));
        o.put("shadow_action", v.shadowAction() == null ? null : v.shadowAction().name());
        o.set("shadow_reasons", reasons(v.shadowReasons()));
        o.put("ruleset_version", v.rulesetVersion());
        o.put("model_version", v.modelVersion());
        o.put("model_score", v.models() == null ? null : v.models().champion());
        return o;
    }

    private ArrayNode reasons(List<ReasonCode> reasons) {
        ArrayNode a = json.createArrayNode();
        for (ReasonCode r : reasons) {
            a.addObject()
                    .put("code", r.getCode())
                    .put("message", r.getMessage())
                    .put("source", r.getSource());
        }
        return a;
    }

    private static void emit(
            String side, RiskScorer.Verdict v, boolean fraud, long amount, Collector<Tally> out) {
        String action = v.action().name();
        out.collect(Tally.of(side, action, fraud, amount));
        ruleNames(v.reasons())
                .forEach(
                        rule ->
                                out.collect(
                                        Tally.of(side + "-rule:" + rule, action, fraud, amount)));
        // a shadow rule's hits, judged by the action it would have brought
        if (v.shadowAction() != null) {
            String wouldBe = v.shadowAction().name();
            ruleNames(v.shadowReasons())
                    .forEach(
                            rule ->
                                    out.collect(
                                            Tally.of(
                                                    side + "-rule:" + rule + " (shadow)",
                                                    wouldBe,
                                                    fraud,
                                                    amount)));
        }
    }

    /** The rules behind the reasons (a model's reasons name no rule). */
    private static List<String> ruleNames(List<ReasonCode> reasons) {
        return reasons.stream()
                .map(ReasonCode::getSource)
                .filter(s -> s != null && s.startsWith("rule:"))
                .map(s -> s.substring("rule:".length()))
                .distinct()
                .toList();
    }

    private static byte[] bytes(ModelRelease release) {
        if (release == null) {
            return null;
        }
        try {
            ByteBuffer b = release.toByteBuffer();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ModelRelease release(byte[] bytes) {
        AvroSupport.trustProjectPackages();
        try {
            return ModelRelease.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
