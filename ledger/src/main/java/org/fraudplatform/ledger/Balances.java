package org.fraudplatform.ledger;

import java.util.Map;
import java.util.TreeMap;
import org.fraudplatform.schemas.PaymentEvent;

/**
 * Money per merchant and currency, derived from the same ledger events as each payment's state:
 * authorized, captured, refunded and charged back (opened minus won). A bank transfer's settlement
 * is authorized and captured at once; its return is refunded.
 */
public final class Balances {

    /** One merchant's totals in one currency, minor units. */
    public record Totals(long authorized, long captured, long refunded, long chargedBack) {
        Totals plus(Totals o) {
            return new Totals(
                    authorized + o.authorized,
                    captured + o.captured,
                    refunded + o.refunded,
                    chargedBack + o.chargedBack);
        }
    }

    private final Map<String, Totals> totals = new TreeMap<>();

    /** Adds one event's money. */
    public void apply(PaymentEvent e) {
        long a = e.getAmount();
        Totals delta =
                switch (e.getType()) {
                    case AUTHORIZED -> new Totals(a, 0, 0, 0);
                    case SETTLED -> new Totals(a, a, 0, 0); // a transfer: both at once
                    case CAPTURED -> new Totals(0, a, 0, 0);
                    case REFUNDED, RETURNED -> new Totals(0, 0, a, 0);
                    case CHARGEBACK_OPENED -> new Totals(0, 0, 0, a);
                    case CHARGEBACK_WON -> new Totals(0, 0, 0, -a);
                    default -> null;
                };
        if (delta != null) {
            totals.merge(key(e.getMerchantId(), e.getCurrency()), delta, Totals::plus);
        }
    }

    public Totals of(String merchant, String currency) {
        return totals.getOrDefault(key(merchant, currency), new Totals(0, 0, 0, 0));
    }

    /** Every merchant and currency, {@code merchant/currency} → totals. */
    public Map<String, Totals> all() {
        return Map.copyOf(totals);
    }

    private static String key(String merchant, String currency) {
        return merchant + "/" + currency;
    }
}
