package org.fraudplatform.models.training;

import java.util.List;
import java.util.Random;

/**
 * Generated payments for the trainers' tests and benchmarks: ten features shaped like the
 * catalogue's (amounts, velocity counts, ratios, ages, a country mismatch), some missing, and about
 * 2 % frauds whose odds follow a known pattern with thresholds and an interaction, so trees, a
 * network and a linear model all have something to learn. Same rows and seed, same data.
 */
public final class SyntheticFraud {

    /** The features, in column order. */
    public static final List<String> FEATURES =
            List.of(
                    "amount_log",
                    "hour_of_day",
                    "card_age_days",
                    "card_payments_1h",
                    "card_payments_24h",
                    "amount_vs_card_mean",
                    "card_merchants_24h",
                    "country_mismatch",
                    "card_declines_24h",
                    "device_age_days");

    private static final double BASE_LOGIT = -6.0;

    private SyntheticFraud() {}

    /** {@code rows} payments from {@code seed}. */
    public static TrainingData generate(int rows, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[rows][];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            double amountLog = 3.5 + random.nextGaussian();
            double hour = random.nextInt(24);
            double cardAge = random.nextInt(20) == 0 ? Double.NaN : exponential(random, 400);
            double payments1h = poisson(random, 0.4);
            double payments24h = payments1h + poisson(random, 2);
            double ratio =
                    random.nextInt(7) == 0 ? Double.NaN : Math.exp(0.5 * random.nextGaussian());
            double merchants = Math.min(payments24h, poisson(random, 1.5));
            double mismatch = random.nextInt(20) == 0 ? 1 : 0;
            double declines = poisson(random, 0.1);
            double deviceAge = random.nextInt(5) == 0 ? Double.NaN : exponential(random, 200);

            double logit = BASE_LOGIT;
            logit += payments1h >= 3 ? 3.0 : 0;
            logit += Double.isNaN(ratio) ? 0.8 : 2.5 * Math.log(ratio);
            logit += mismatch == 1 && hour < 6 ? 4.5 : 0.5 * mismatch;
            logit += 1.5 * Math.min(declines, 4);
            logit += 0.9 * (amountLog - 3.5);
            logit += !Double.isNaN(cardAge) && cardAge < 30 ? 2.5 : 0;
            logit += Double.isNaN(deviceAge) ? 1.0 : deviceAge > 90 ? -1.0 : 0;
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
            x[i] =
                    new double[] {
                        amountLog,
                        hour,
                        cardAge,
                        payments1h,
                        payments24h,
                        ratio,
                        merchants,
                        mismatch,
                        declines,
                        deviceAge
                    };
        }
        return new TrainingData(FEATURES, x, y);
    }

    private static double exponential(Random random, double mean) {
        return Math.floor(-mean * Math.log(1 - random.nextDouble()));
    }

    private static double poisson(Random random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
