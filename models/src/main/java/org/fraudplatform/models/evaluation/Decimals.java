package org.fraudplatform.models.evaluation;

/**
 * Parses plain decimals ({@code -12.5}, {@code 5716}, {@code 0.000}) straight from bytes, exactly:
 * with at most 15 significant digits and 22 decimals both the digits and the power of ten are exact
 * doubles, so one IEEE division rounds the value correctly, as {@link Double#parseDouble} would.
 * Anything else (exponents, long mantissas, text) is left to the caller's slow path. It exists
 * because the feature file holds tens of millions of numbers and parsing them dominates a read.
 */
final class Decimals {

    private static final double[] POWERS = new double[23];

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    private static final long EXACT = 1L << 53;

    private Decimals() {}

    /**
     * The value of {@code bytes[start, end)}, or {@link Double#NaN} when it is not a plain decimal
     * this fast path handles exactly (the caller then parses it the slow way).
     */
    static double parse(byte[] bytes, int start, int end) {
        int p = start;
        boolean negative = false;
        if (p < end && (bytes[p] == '-' || bytes[p] == '+')) {
            negative = bytes[p] == '-';
            p++;
        }
        long mantissa = 0;
        int digits = 0;
        int decimals = -1;
        boolean sawDigit = false;
        for (; p < end; p++) {
            byte b = bytes[p];
            if (b >= '0' && b <= '9') {
                sawDigit = true;
                if (mantissa != 0 || b != '0') {
                    if (++digits > 15) {
                        return Double.NaN;
                    }
                }
                mantissa = mantissa * 10 + (b - '0');
                if (decimals >= 0) {
                    decimals++;
                }
            } else if (b == '.' && decimals < 0) {
                decimals = 0;
            } else {
                return Double.NaN;
            }
        }
        int scale = Math.max(decimals, 0);
        if (!sawDigit || mantissa >= EXACT || scale >= POWERS.length) {
            return Double.NaN;
        }
        double value = mantissa / POWERS[scale];
        return negative ? -value : value;
    }
}
