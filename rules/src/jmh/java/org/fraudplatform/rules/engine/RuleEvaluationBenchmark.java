package org.fraudplatform.rules.engine;

import java.util.concurrent.TimeUnit;
import org.fraudplatform.rules.facts.Features;
import org.fraudplatform.rules.facts.Transaction;
import org.fraudplatform.schemas.PaymentMethodType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One payment judged by the packaged ruleset (all starter rules and the decision table), with a
 * full feature vector: an ordinary payment no rule matches, and a risky one several rules match.
 *
 * <p>Run: {@code bin/jmh rules RuleEvaluationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleEvaluationBenchmark {

    @Param({"ordinary", "risky"})
    String payment;

    private CompiledRuleset ruleset;
    private Transaction transaction;
    private Features features;

    @Setup
    public void compile() {
        ruleset = RuleEngine.compile(RulesetSource.packaged());
        boolean risky = payment.equals("risky");
        transaction =
                Transaction.builder()
                        .paymentId("pay_1")
                        .merchantId("merchant-1")
                        .amount(risky ? 150_000 : 2_500)
                        .currency("EUR")
                        .paymentMethod(PaymentMethodType.CARD)
                        .cardCountry(risky ? "BR" : "DE")
                        .customerCountry("DE")
                        .merchantCategoryCode(risky ? "7995" : "5411")
                        .build();
        Features.Builder f = Features.builder();
        for (String window : new String[] {"10m", "1h", "1d", "7d", "30d"}) {
            f.put("card_count_" + window, risky ? 7 : 1);
            f.put("card_sum_amount_" + window, risky ? 700_000 : 2_500);
            f.put("card_avg_amount_" + window, risky ? 100_000 : 2_500);
        }
        f.put("card_distinct_merchants_1d", risky ? 6 : 1)
                .put("card_distinct_countries_1d", 1)
                .put("card_distinct_ips_1d", 1)
                .put("card_distinct_devices_1d", 1)
                .put("card_seconds_since_first_seen", risky ? 600 : 9_000_000)
                .put("card_declines_1h", risky ? 3 : 0)
                .put("ip_count_1h", 1)
                .put("ip_distinct_cards_1d", 1)
                .put("device_distinct_cards_1d", risky ? 3 : 1)
                .put("customer_distinct_cards_1d", 1)
                .put("email_distinct_cards_1d", 1)
                .put("merchant_count_7d_lag7d", 100)
                .put("merchant_fraud_rate_7d_lag7d", 0.01)
                .put("merchant_count_30d_lag7d", 400)
                .put("merchant_fraud_rate_30d_lag7d", 0.01);
        features = f.build();
    }

    @Benchmark
    public RuleDecision evaluate() {
        return ruleset.evaluate(transaction, features);
    }
}
