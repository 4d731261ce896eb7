package org.fraudplatform.schemas.cards;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds card numbers (PANs) in text: the one detector behind every place the platform refuses or
 * masks them. The payment API's validation, the console and the command line refuse free text that
 * holds one; the providers' answers and the log lines have theirs masked. All of them ask this
 * class, so what the edge refuses and what is masked further in are the same numbers.
 *
 * <p>A card number is 13 to 19 digits that pass the Luhn check, written in one piece or in groups
 * with a single separator between two groups: a space (any Unicode space, such as a no-break
 * space), a dash (any Unicode dash), a dot, a slash or an underscore, the same one throughout or
 * not ({@code 4111 1111-1111.1111}). It must not be part of a longer run of digits, and it may be
 * glued to punctuation or to letters on one side ({@code card=4111111111111111;}, {@code
 * x4111111111111111}, {@code "number":"4111 1111 1111 1111"}); digits with letters glued to both
 * sides are part of a word, such as a hexadecimal hash or id ({@code 3f9a4111111111111111b2c0}),
 * and no card number. Inside a longer chain of digit groups (a date before the number, an amount
 * after it) every run of whole groups is tried. A single run of more than 19 digits is no card
 * number. Digits are any Unicode decimal digits, so full-width digits count too.
 *
 * <p>The Luhn check lets 1 in 10 arbitrary digit strings through: an order id or a timestamp of 13
 * to 19 digits that fails it is left alone, one that happens to pass it is taken for a card number.
 * That is the trade-off for free text: a card number in clear in Kafka, a table or a log costs far
 * more than asking for one such number in ten to be written differently. Identifiers (a customer
 * id, an idempotency key, a provider's reference) are not free text and not checked: numeric and
 * timestamped ids of that length are common, and one in ten would be refused at random.
 *
 * <p>Masking keeps the first six and the last four digits ({@code 411111******1111}) and drops the
 * separators; numbers that overlap (two ways to read one chain of groups) are masked as one.
 *
 * <p>It lives in {@code schemas} because every module may use {@code schemas} and it is part of
 * every topic's contract that no event carries a card number in clear (only the provider instrument
 * of a payment, which never reaches a topic, holds one); {@code runtime} is out of reach of the
 * {@code providers} module, whose answers are masked with it. Plain Java, no state, thread-safe.
 */
public final class CardNumberDetector {

    /** What a refused field is told, wherever free text is refused. */
    public static final String REFUSAL =
            "must not contain a card number (13 to 19 digits that pass the Luhn check)";

    private static final int MIN_DIGITS = 13;
    private static final int MAX_DIGITS = 19;

    /** One card number, or several overlapping ones: its place in the text and its digits. */
    private record Span(int start, int end, String digits) {}

    private CardNumberDetector() {}

    /** Whether {@code text} holds a card number anywhere; false for null. */
    public static boolean contains(CharSequence text) {
        return !find(text, true).isEmpty();
    }

    /**
     * {@code text} with every card number in it masked to its first six and last four digits, the
     * rest of the text unchanged; null stays null.
     */
    public static String mask(String text) {
        List<Span> spans = find(text, false);
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        for (Span s : spans) {
            String d = s.digits();
            out.append(text, last, s.start())
                    .append(d, 0, 6)
                    .append("*".repeat(d.length() - 10))
                    .append(d, d.length() - 4, d.length());
            last = s.end();
        }
        return out.append(text, last, text.length()).toString();
    }

    /**
     * Whether {@code digits} (decimal digits only) pass the Luhn check; false for anything else.
     */
    public static boolean passesLuhn(CharSequence digits) {
        if (digits == null || digits.length() == 0) {
            return false;
        }
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = Character.digit(digits.charAt(i), 10);
            if (d < 0) {
                return false;
            }
            if (doubleIt) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    /**
     * The card numbers in {@code text}, in order and not overlapping.
     *
     * @param first stop at the first one (enough to refuse the text)
     */
    private static List<Span> find(CharSequence text, boolean first) {
        if (text == null || text.length() < MIN_DIGITS) {
            return List.of();
        }
        List<Span> found = new ArrayList<>(0);
        List<int[]> groups = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!Character.isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            // a chain: digit groups with one separator between two of them
            groups.clear();
            int digits = 0;
            int j = i;
            while (true) {
                int start = j;
                while (j < n && Character.isDigit(text.charAt(j))) {
                    j++;
                }
                groups.add(new int[] {start, j});
                digits += j - start;
                if (j + 1 < n
                        && isSeparator(text.charAt(j))
                        && Character.isDigit(text.charAt(j + 1))) {
                    j++;
                } else {
                    break;
                }
            }
            if (digits >= MIN_DIGITS) {
                inChain(text, groups, found, first);
                if (first && !found.isEmpty()) {
                    return found;
                }
            }
            i = j;
        }
        return found;
    }

    /**
     * Tries every run of whole groups of 13 to 19 digits in a chain; runs that pass Luhn and
     * overlap are merged into one span.
     */
    private static void inChain(
            CharSequence text, List<int[]> groups, List<Span> found, boolean first) {
        int spanFirst = -1;
        int spanLast = -1;
        for (int s = 0; s < groups.size(); s++) {
            int digits = 0;
            for (int e = s; e < groups.size(); e++) {
                digits += groups.get(e)[1] - groups.get(e)[0];
                if (digits > MAX_DIGITS) {
                    break;
                }
                if (digits < MIN_DIGITS
                        || insideAWord(text, groups.get(s)[0], groups.get(e)[1])
                        || !passesLuhn(digitsOf(text, groups, s, e))) {
                    continue;
                }
                if (spanFirst >= 0 && s <= spanLast) {
                    spanLast = Math.max(spanLast, e);
                } else {
                    if (spanFirst >= 0) {
                        found.add(span(text, groups, spanFirst, spanLast));
                    }
                    spanFirst = s;
                    spanLast = e;
                }
                if (first) {
                    found.add(span(text, groups, spanFirst, spanLast));
                    return;
                }
            }
        }
        if (spanFirst >= 0) {
            found.add(span(text, groups, spanFirst, spanLast));
        }
    }

    private static Span span(CharSequence text, List<int[]> groups, int first, int last) {
        return new Span(
                groups.get(first)[0], groups.get(last)[1], digitsOf(text, groups, first, last));
    }

    /** The digits of groups {@code first..last}, as ASCII. */
    private static String digitsOf(CharSequence text, List<int[]> groups, int first, int last) {
        StringBuilder out = new StringBuilder(MAX_DIGITS + 4);
        for (int g = first; g <= last; g++) {
            for (int c = groups.get(g)[0]; c < groups.get(g)[1]; c++) {
                out.append((char) ('0' + Character.digit(text.charAt(c), 10)));
            }
        }
        return out.toString();
    }

    /** Whether the digits from {@code start} to {@code end} have a letter glued to both sides. */
    private static boolean insideAWord(CharSequence text, int start, int end) {
        return start > 0
                && end < text.length()
                && Character.isLetter(text.charAt(start - 1))
                && Character.isLetter(text.charAt(end));
    }

    private static boolean isSeparator(char c) {
        return c == '-'
                || c == '.'
                || c == '/'
                || c == '_'
                || Character.isSpaceChar(c)
                || Character.getType(c) == Character.DASH_PUNCTUATION;
    }
}
