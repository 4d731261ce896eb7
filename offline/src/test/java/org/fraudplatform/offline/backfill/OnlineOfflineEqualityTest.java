package org.fraudplatform.offline.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.features.FeatureInputs;
import org.fraudplatform.features.FeaturePayment;
import org.fraudplatform.features.GeneratedHistory;
import org.fraudplatform.offline.FlinkTarget;
import org.fraudplatform.risk.RiskReplay;
import org.fraudplatform.risk.RiskSettings;
import org.fraudplatform.risk.RulesRiskScorer;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One generated history, two paths: the risk topology (online, through its repartition topics and
 * state stores) and the Flink backfill (offline, on the local MiniCluster). Every payment gets the
 * same feature vector from both, value for value; a payment the online path decides on incomplete
 * features because it came later than the grace is one the backfill rejects. Payments come in
 * currencies of zero, two and three decimals, mixed on one card: both paths convert them into the
 * reference currency with the same table, online from the request, offline from the history file's
 * currency column.
 */
class OnlineOfflineEqualityTest {

    @TempDir Path dir;

    private static final List<String> CURRENCIES = List.of("EUR", "JPY", "KWD", "USD");

    private final FeatureCatalogue catalogue = FeatureCatalogue.standard();

    @Test
    void shouldComputeTheSameFeaturesOnlineAndOfflineForEveryPaymentInAnyCurrency()
            throws Exception {
        // given a history with out-of-order payments in four currencies, declines and fraud
        // chargebacks
        List<Object> history = new ArrayList<>();
        for (GeneratedHistory.Input input : GeneratedHistory.generate(20_260_302L, 600, true)) {
            if (input instanceof GeneratedHistory.PaymentInput p) {
                history.add(request(p.payment()));
            } else {
                history.add(
                        GeneratedHistory.ledgerEvent(
                                ((GeneratedHistory.OutcomeInput) input).outcome()));
            }
        }

        Map<String, RiskDecision> online = online(history);
        Path csv = writeEventsCsv(history);
        FeatureBackfill.Result result =
                FeatureBackfill.run(
                        new FeatureBackfill.Settings(
                                csv,
                                HistoryFormat.EVENTS,
                                null,
                                dir.resolve("out"),
                                catalogue,
                                RiskSettings.DEFAULTS.currencyRates(),
                                FlinkTarget.local(),
                                2),
                        new PrintStream(java.io.OutputStream.nullOutputStream()));
        Map<String, Map<String, Double>> offline =
                FeatureTable.read(result.parquet(), catalogue, id -> true);
        String rejected = Files.readString(dir.resolve("out").resolve(BackfillOutput.REJECTED));

        // then
        long payments = history.stream().filter(PaymentRequest.class::isInstance).count();
        assertThat(online).hasSize((int) payments);
        int compared = 0;
        int late = 0;
        for (Map.Entry<String, RiskDecision> entry : online.entrySet()) {
            String id = entry.getKey();
            RiskDecision decision = entry.getValue();
            boolean incomplete =
                    decision.getReasons().stream()
                            .map(ReasonCode::getCode)
                            .anyMatch("FEATURES_INCOMPLETE"::equals);
            if (incomplete) {
                late++;
                assertThat(offline).as("late payment %s", id).doesNotContainKey(id);
                assertThat(rejected).contains("transaction " + id + " is later than the grace");
                continue;
            }
            assertThat(offline).as("payment %s offline", id).containsKey(id);
            assertThat(offline.get(id))
                    .as("features of %s", id)
                    .isEqualTo(new HashMap<>(decision.getFeatures()));
            compared++;
        }
        assertThat(compared).as("payments compared").isGreaterThan(500);
        assertThat(late).as("late payments seen").isPositive();
        assertThat(result.rows()).isEqualTo(compared);
        assertThat(result.rejected()).isEqualTo(late);
    }

    private Map<String, RiskDecision> online(List<Object> history) {
        return RiskReplay.decide(RulesRiskScorer.packagedRuleset(), List.of(), history);
    }

    private Path writeEventsCsv(List<Object> history) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(HistoryFormat.EVENTS.header());
        for (Object item : history) {
            HistoryRow row;
            if (item instanceof PaymentRequest r) {
                row =
                        HistoryRow.of(
                                FeatureInputs.payment(
                                        r,
                                        org.fraudplatform.schemas.topics.Keys.instrumentKey(r),
                                        RiskSettings.DEFAULTS.currencyRates()));
                // the file keeps the amount as paid: the backfill converts it itself
                row.amountMinor = r.getAmount();
                row.currency = r.getCurrency();
            } else {
                row = HistoryRow.of(FeatureInputs.outcome((PaymentEvent) item).orElseThrow());
            }
            lines.add(HistoryFormat.eventsLine(row));
        }
        Path csv = dir.resolve("history.csv");
        Files.write(csv, lines, StandardCharsets.UTF_8);
        return csv;
    }

    private static PaymentRequest request(FeaturePayment p) {
        PaymentRequest request =
                aCardPayment()
                        .paymentId(p.transactionId())
                        .cardToken(p.card())
                        .customer(p.customer())
                        .emailHash(p.email())
                        .customerIp(p.ip())
                        .deviceId(p.device())
                        .merchant(p.merchant())
                        .customerCountry(p.country())
                        .amount(p.referenceAmount())
                        .at(Instant.ofEpochMilli(p.timeMillis()))
                        .build();
        request.setCurrency(
                CURRENCIES.get(Math.floorMod(p.transactionId().hashCode(), CURRENCIES.size())));
        return request;
    }
}
