package org.fraudplatform.platform.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks anything in a text that looks like a card number: 13 to 19 digits, optionally separated by
 * single spaces or dashes, that pass the Luhn check. Only the first six and last four digits stay
 * ({@code 424242******4242}); numbers failing Luhn (ids, timestamps) are left alone.
 */
public final class CardNumberMasking {

    private static final Pattern CANDIDATE =
            Pattern.compile("(?<![\\d])\\d(?:[ -]?\\d){12,18}(?![\\d])");

    private CardNumberMasking() {}

    public static String mask(String text) {
        if (text == null || text.length() < 13) {
            return text;
        }
        Matcher m = CANDIDATE.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String digits = m.group().replaceAll("[ -]", "");
            if (digits.length() < 13 || digits.length() > 19 || !luhn(digits)) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start())
                    .append(digits, 0, 6)
                    .append("*".repeat(digits.length() - 10))
                    .append(digits, digits.length() - 4, digits.length());
            last = m.end();
        }
        if (out == null) {
            return text;
        }
        return out.append(text, last, text.length()).toString();
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
