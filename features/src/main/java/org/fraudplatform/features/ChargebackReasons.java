package org.fraudplatform.features;

import java.util.Locale;
import java.util.Set;

/** Chargeback reason codes, as the card schemes send them. */
public final class ChargebackReasons {

    /**
     * Codes that mean fraud besides Visa's fraud group (10.x): Mastercard 4837, 4840, 4849, 4863,
     * 4870, 4871, American Express F24, F29, and the platform's own {@code fraud}.
     */
    private static final Set<String> FRAUD =
            Set.of("4837", "4840", "4849", "4863", "4870", "4871", "F24", "F29", "FRAUD");

    private ChargebackReasons() {}

    /** Whether the card holder disputes the payment as fraud (not as a service dispute). */
    public static boolean isFraud(String code) {
        if (code == null) {
            return false;
        }
        String c = code.trim().toUpperCase(Locale.ROOT);
        return c.startsWith("10.") || FRAUD.contains(c);
    }
}
