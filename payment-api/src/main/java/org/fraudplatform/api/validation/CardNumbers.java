package org.fraudplatform.api.validation;

import java.util.Map;
import org.fraudplatform.schemas.CardBrand;
import org.fraudplatform.schemas.CardFunding;
import org.fraudplatform.schemas.cards.CardNumberDetector;

/**
 * Card-number facts: the Luhn check, the brand from the issuer ranges, and the funding type.
 *
 * <p>Funding comes from a small stand-in table of well-known test BINs (debit and prepaid); every
 * other card is reported as credit. A production deployment replaces it with a licensed BIN table,
 * which also gives the issuing country (left unknown here).
 */
public final class CardNumbers {

    private static final Map<String, CardFunding> FUNDING_BY_BIN =
            Map.of(
                    "400005", CardFunding.DEBIT,
                    "520082", CardFunding.DEBIT,
                    "510510", CardFunding.PREPAID);

    private CardNumbers() {}

    /** {@code partial} with the Luhn check digit appended: a valid number for tests and loads. */
    public static String withCheckDigit(String partial) {
        int sum = 0;
        boolean doubleIt = true;
        for (int i = partial.length() - 1; i >= 0; i--) {
            int d = partial.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return partial + ((10 - sum % 10) % 10);
    }

    /** Whether {@code digits} (digits only) pass the Luhn check. */
    public static boolean passesLuhn(String digits) {
        return CardNumberDetector.passesLuhn(digits);
    }

    public static CardBrand brand(String digits) {
        int two = Integer.parseInt(digits.substring(0, 2));
        int four = Integer.parseInt(digits.substring(0, 4));
        int three = Integer.parseInt(digits.substring(0, 3));
        if (digits.startsWith("4")) {
            return CardBrand.VISA;
        }
        if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) {
            return CardBrand.MASTERCARD;
        }
        if (two == 34 || two == 37) {
            return CardBrand.AMEX;
        }
        if (digits.startsWith("6011") || two == 65 || (three >= 644 && three <= 649)) {
            return CardBrand.DISCOVER;
        }
        if (four >= 3528 && four <= 3589) {
            return CardBrand.JCB;
        }
        if (two == 36 || two == 38 || (three >= 300 && three <= 305)) {
            return CardBrand.DINERS;
        }
        if (two == 62) {
            return CardBrand.UNIONPAY;
        }
        if (two == 50 || (two >= 56 && two <= 58) || two == 63 || two == 67) {
            return CardBrand.MAESTRO;
        }
        return CardBrand.UNKNOWN;
    }

    public static CardFunding funding(String digits) {
        CardFunding known = FUNDING_BY_BIN.get(digits.substring(0, 6));
        if (known != null) {
            return known;
        }
        return brand(digits) == CardBrand.MAESTRO ? CardFunding.DEBIT : CardFunding.CREDIT;
    }
}
