package org.fraudplatform.streams.backtest;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleDecision;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RuleReason;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.rules.facts.Transaction;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.streams.backfill.BackfillProgress;
import org.fraudplatform.streams.features.FeatureCatalogue;

/**
 * Judges each row of a feature backfill (its point-in-time features and the fraud label known
 * later) with the candidate and the baseline ruleset, and emits one tally per ruleset and per rule
 * that fired. Rulesets compile once per task.
 */
final class EvaluateRulesets extends RichFlatMapFunction<String, Tally> {

    private final Map<String, byte[]> candidateFiles;
    private final Map<String, byte[]> baselineFiles;
    private final FeatureCatalogue catalogue;
    private final long fromMillis;
    private final long toMillis;
    private final String progressId;
    private transient CompiledRuleset candidate;
    private transient CompiledRuleset baseline;

    EvaluateRulesets(
            Map<String, byte[]> candidateFiles,
            Map<String, byte[]> baselineFiles,
            FeatureCatalogue catalogue,
            long fromMillis,
            long toMillis,
            String progressId) {
        this.candidateFiles = candidateFiles;
        this.baselineFiles = baselineFiles;
        this.catalogue = catalogue;
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
        this.progressId = progressId;
    }

    @Override
    public void open(OpenContext context) {
        candidate = RuleEngine.compile(RulesetSource.of(candidateFiles));
        baseline = RuleEngine.compile(RulesetSource.of(baselineFiles));
    }

    @Override
    public void flatMap(String line, Collector<Tally> out) {
        if (line.startsWith("transaction_id,")) {
            return;
        }
        BackfillProgress.add(progressId, BackfillProgress.LINES, 1);
        String[] c = line.split(",", -1);
        int n = catalogue.features().size();
        if (c.length != 5 + n + 2) {
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
        long amount = Long.parseLong(c[2]);
        Features.Builder features = Features.builder();
        for (int i = 0; i < n; i++) {
            String v = c[5 + i];
            if (!v.isEmpty()) {
                features.put(catalogue.features().get(i).name(), Double.parseDouble(v));
            }
        }
        boolean fraud = "1".equals(c[5 + n]);
        Transaction transaction =
                Transaction.builder()
                        .paymentId(c[0])
                        .merchantId(c[4].isEmpty() ? "unknown" : c[4])
                        .amount(amount)
                        .currency("EUR")
                        .paymentMethod(PaymentMethodType.CARD)
                        .build();
        Features f = features.build();
        emit("candidate", candidate.evaluate(transaction, f), fraud, amount, out);
        emit("baseline", baseline.evaluate(transaction, f), fraud, amount, out);
    }

    private static void emit(
            String side, RuleDecision decision, boolean fraud, long amount, Collector<Tally> out) {
        String action = decision.action().name();
        out.collect(Tally.of(side, action, fraud, amount));
        decision.reasons().stream()
                .map(RuleReason::ruleName)
                .distinct()
                .forEach(
                        rule ->
                                out.collect(
                                        Tally.of(side + "-rule:" + rule, action, fraud, amount)));
        // a shadow rule's hits, judged by the action it would have brought
        String wouldBe = decision.shadowAction().name();
        decision.shadowReasons().stream()
                .map(RuleReason::ruleName)
                .distinct()
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
