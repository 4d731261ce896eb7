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
import org.fraudplatform.streams.backfill.BackfillOutput;
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
    private final ListTimeline lists;
    private final long fromMillis;
    private final long toMillis;
    private final String progressId;
    private transient CompiledRuleset candidate;
    private transient CompiledRuleset baseline;

    EvaluateRulesets(
            Map<String, byte[]> candidateFiles,
            Map<String, byte[]> baselineFiles,
            FeatureCatalogue catalogue,
            ListTimeline lists,
            long fromMillis,
            long toMillis,
            String progressId) {
        this.candidateFiles = candidateFiles;
        this.baselineFiles = baselineFiles;
        this.catalogue = catalogue;
        this.lists = lists;
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
        int lead = BackfillOutput.LEADING.size();
        if (c.length != lead + n + 2) {
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
            String v = c[lead + i];
            if (!v.isEmpty()) {
                features.put(catalogue.features().get(i).name(), Double.parseDouble(v));
            }
        }
        boolean fraud = "1".equals(c[lead + n]);
        Transaction transaction =
                Transaction.builder()
                        .paymentId(c[0])
                        .merchantId(c[4].isEmpty() ? "unknown" : c[4])
                        // the backfill's amount_minor is already in the reference currency
                        .amount(amount)
                        .currency("EUR")
                        .paymentMethod(PaymentMethodType.CARD)
                        .instrumentToken(blankToNull(c[3]))
                        .customerId(blankToNull(c[5]))
                        .emailHash(blankToNull(c[6]))
                        .ip(blankToNull(c[7]))
                        .deviceId(blankToNull(c[8]))
                        .customerCountry(blankToNull(c[9]))
                        .build();
        Features f = features.build();
        var listsThen = lists.at(time);
        emit("candidate", candidate.evaluate(transaction, f, listsThen), fraud, amount, out);
        emit("baseline", baseline.evaluate(transaction, f, listsThen), fraud, amount, out);
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
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
