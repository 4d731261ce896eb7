package org.fraudplatform.features;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentMethodType;

/**
 * Generates an input sequence for the feature tests: payments over a small set of keys (so keys
 * repeat and windows fill), time gaps from seconds to weeks (so windows slide, state is evicted and
 * idle entities start over), some payments out of order within and beyond the grace, and outcomes
 * (declines, fraud labels) known some time after their payment.
 */
public final class GeneratedHistory {

    /** One input: a payment or an outcome. */
    public sealed interface Input permits PaymentInput, OutcomeInput {}

    public record PaymentInput(FeaturePayment payment) implements Input {}

    public record OutcomeInput(FeatureOutcome outcome) implements Input {}

    private GeneratedHistory() {}

    /**
     * @param seed the random seed
     * @param payments how many payments
     * @param outOfOrder whether some payments go back in time (within and beyond the grace)
     */
    public static List<Input> generate(long seed, int payments, boolean outOfOrder) {
        Random r = new Random(seed);
        long clock = 1_700_000_000_000L;
        List<Input> inputs = new ArrayList<>();
        List<FeaturePayment> earlier = new ArrayList<>();
        for (int i = 0; i < payments; i++) {
            clock += gap(r);
            long t = clock;
            if (outOfOrder && r.nextInt(10) == 0) {
                // up to twice the default grace back: some are accepted, some refused
                t -= r.nextInt((int) (2 * FeatureCatalogue.DEFAULT_GRACE.toMillis()));
            }
            FeaturePayment p =
                    new FeaturePayment(
                            "tx" + i,
                            t,
                            100 + r.nextInt(r.nextInt(10) == 0 ? 200_000 : 5_000),
                            pick(r, "card", 4, 0),
                            pick(r, "customer", 3, 10),
                            pick(r, "email", 3, 20),
                            pick(r, "ip", 4, 10),
                            pick(r, "device", 3, 30),
                            pick(r, "merchant", 3, 0),
                            pick(r, "country", 3, 10),
                            null);
            inputs.add(new PaymentInput(p));
            earlier.add(p);
            if (r.nextInt(4) == 0) {
                FeaturePayment about = earlier.get(r.nextInt(earlier.size()));
                FeatureOutcome.Kind kind =
                        r.nextBoolean() ? FeatureOutcome.Kind.DECLINED : FeatureOutcome.Kind.FRAUD;
                long knownAt = clock + (r.nextBoolean() ? 0 : r.nextInt(3_600_000));
                inputs.add(
                        new OutcomeInput(
                                new FeatureOutcome(
                                        about.transactionId(),
                                        kind,
                                        knownAt,
                                        about.card(),
                                        about.merchant(),
                                        about.timeMillis())));
            }
        }
        return inputs;
    }

    private static long gap(Random r) {
        return switch (r.nextInt(20)) {
            case 0 -> Duration.ofDays(8 + r.nextInt(35)).toMillis();
            case 1, 2 -> Duration.ofHours(1 + r.nextInt(72)).toMillis();
            case 3, 4, 5 -> Duration.ofMinutes(1 + r.nextInt(120)).toMillis();
            case 6 -> 0;
            default -> 1_000L * r.nextInt(600);
        };
    }

    /** One of n keys, or null with the given percentage. */
    private static String pick(Random r, String prefix, int n, int nullPercent) {
        if (r.nextInt(100) < nullPercent) {
            return null;
        }
        return prefix + "-" + r.nextInt(n);
    }

    /** The ledger event an outcome of the history stands for, as the risk topology reads it. */
    public static PaymentEvent ledgerEvent(FeatureOutcome o) {
        boolean declined = o.kind() == FeatureOutcome.Kind.DECLINED;
        return PaymentEvent.newBuilder()
                .setEventId(o.transactionId() + "-" + o.kind() + "-" + o.knownAtMillis())
                .setPaymentId(o.transactionId())
                .setMerchantId(o.merchant())
                .setType(declined ? PaymentEventType.DECLINED : PaymentEventType.CHARGEBACK_OPENED)
                .setAmount(100)
                .setCurrency("EUR")
                .setInstrumentKey(o.card())
                .setPaymentMethod(PaymentMethodType.CARD)
                .setReasonCode(declined ? "51" : "10.4")
                .setEventTime(Instant.ofEpochMilli(o.knownAtMillis()))
                .setPaymentTime(Instant.ofEpochMilli(o.paymentTimeMillis()))
                .build();
    }
}
