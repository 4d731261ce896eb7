package org.fraudplatform.schemas.money;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Serializable;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that turns an amount in minor units of any currency into minor units of the
 * reference currency, so that thresholds and amount features mean the same money whatever the
 * payment's currency: 100000 JPY is about 600.00 EUR, not 1 000.00.
 *
 * <p>Minor-unit exponents are ISO 4217's (from the JDK's currency data: JPY 0, EUR 2, BHD 3); a
 * code without a minor unit (gold, test codes) is no currency payments are made in. Rates come from
 * a table, a text file of {@code CODE = rate} lines, one unit of the currency worth {@code rate}
 * units of the reference currency:
 *
 * <pre>
 * # comment
 * reference = EUR
 * USD = 0.92
 * JPY = 0.0060
 * </pre>
 *
 * The reference currency's own rate is 1 (listed or not). A payment in a currency the table lacks
 * cannot be judged and is refused where it enters. The table is read once and checked whole: every
 * problem is reported as {@code file:line: message}, and a file with any problem gives no table.
 * {@link #packaged()} is the table shipped with the platform (indicative rates, {@value
 * #PACKAGED}); a deployment replaces it with its own file.
 *
 * <p>Conversion rounds half to even to whole minor units of the reference currency. Immutable,
 * thread-safe and serializable (Flink functions carry it).
 */
public final class CurrencyRates implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Resource of the packaged table. */
    public static final String PACKAGED = "org/fraudplatform/schemas/money/currency-rates.txt";

    private static final Pattern LINE = Pattern.compile("\\s*([^=\\s]+)\\s*=\\s*(\\S+)\\s*");
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");
    private static final String REFERENCE_KEY = "reference";

    private static volatile CurrencyRates packaged;

    private final String reference;
    private final TreeMap<String, BigDecimal> rates;
    // per currency: reference minor units per minor unit of the currency
    private final TreeMap<String, BigDecimal> factors;

    private CurrencyRates(String reference, Map<String, BigDecimal> rates) {
        this.reference = reference;
        this.rates = new TreeMap<>(rates);
        this.rates.put(reference, BigDecimal.ONE);
        this.factors = new TreeMap<>();
        int referenceDigits = minorUnitDigits(reference);
        this.rates.forEach(
                (code, rate) ->
                        factors.put(
                                code,
                                rate.movePointRight(referenceDigits - minorUnitDigits(code))));
    }

    /** The table shipped with the platform: reference EUR, indicative rates. */
    public static CurrencyRates packaged() {
        CurrencyRates table = packaged;
        if (table == null) {
            try (InputStream in =
                    CurrencyRates.class.getClassLoader().getResourceAsStream(PACKAGED)) {
                if (in == null) {
                    throw new IllegalStateException(PACKAGED + " is missing from the classpath");
                }
                table =
                        parse(
                                PACKAGED,
                                new StringReader(
                                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            packaged = table;
        }
        return table;
    }

    /**
     * Reads a rate table file.
     *
     * @throws IllegalArgumentException listing every problem as {@code file:line: message}
     */
    public static CurrencyRates read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), reader);
        }
    }

    /**
     * Reads a rate table's text.
     *
     * @param name how problems name the file
     * @throws IllegalArgumentException listing every problem as {@code name:line: message}
     */
    public static CurrencyRates parse(String name, Reader text) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, BigDecimal> rates = new TreeMap<>();
        String reference = null;
        int number = 0;
        for (String line : new java.io.BufferedReader(text).lines().toList()) {
            number++;
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            String at = name + ":" + number + ": ";
            Matcher m = LINE.matcher(content);
            if (!m.matches()) {
                problems.add(
                        at + "expected 'CODE = rate' or 'reference = CODE', was '" + line + "'");
                continue;
            }
            String key = m.group(1);
            String value = m.group(2);
            if (key.equals(REFERENCE_KEY)) {
                String problem = currencyProblem(value);
                if (reference != null) {
                    problems.add(at + "the reference currency is given twice");
                } else if (problem != null) {
                    problems.add(at + "reference " + problem);
                } else {
                    reference = value;
                }
                continue;
            }
            String problem = currencyProblem(key);
            if (problem != null) {
                problems.add(at + problem);
                continue;
            }
            BigDecimal rate;
            try {
                rate = new BigDecimal(value).stripTrailingZeros();
            } catch (NumberFormatException e) {
                problems.add(at + key + ": the rate must be a decimal number, was '" + value + "'");
                continue;
            }
            if (rate.signum() <= 0) {
                problems.add(at + key + ": the rate must be positive, was " + value);
            } else if (rates.put(key, rate) != null) {
                problems.add(at + key + " has a rate already");
            }
        }
        if (reference == null) {
            problems.add(name + ": no 'reference = CODE' line names the reference currency");
        } else if (rates.containsKey(reference)
                && rates.get(reference).compareTo(BigDecimal.ONE) != 0) {
            problems.add(
                    name
                            + ": the reference currency "
                            + reference
                            + " must have rate 1, was "
                            + rates.get(reference).toPlainString());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid currency rate table: " + String.join("; ", problems));
        }
        return new CurrencyRates(reference, rates);
    }

    /**
     * ISO 4217 minor-unit exponent of a currency: 2 for EUR (cents), 0 for JPY, 3 for BHD.
     *
     * @throws IllegalArgumentException for a code that is not ISO 4217, or one without a minor unit
     *     (XAU, XXX)
     */
    public static int minorUnitDigits(String currency) {
        String problem = currencyProblem(currency);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return Currency.getInstance(currency).getDefaultFractionDigits();
    }

    private static String currencyProblem(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            return "'" + code + "' is not an ISO 4217 code (three capital letters)";
        }
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            return code + " is not an ISO 4217 currency";
        }
        if (currency.getDefaultFractionDigits() < 0) {
            return code + " has no minor unit: it is no currency payments are made in";
        }
        return null;
    }

    /** The currency every converted amount is in (EUR in the packaged table). */
    public String reference() {
        return reference;
    }

    /** Whether the table has a rate for the currency. */
    public boolean supports(String currency) {
        return currency != null && rates.containsKey(currency);
    }

    /** The currencies the table converts, the reference among them, sorted. */
    public Set<String> currencies() {
        return Collections.unmodifiableSet(rates.keySet());
    }

    /**
     * What one unit of the currency is worth in units of the reference currency.
     *
     * @throws IllegalArgumentException when the table has no rate for it
     */
    public BigDecimal rate(String currency) {
        require(currency);
        return rates.get(currency);
    }

    /**
     * The amount in minor units of the reference currency, rounded half to even: with the packaged
     * table, 100000 JPY is 60000 (600.00 EUR) and 1000 BHD (1.000) is 245 (2.45 EUR).
     *
     * @param amountMinor the amount in minor units of {@code currency}
     * @throws IllegalArgumentException when the table has no rate for the currency, or the result
     *     does not fit a long
     */
    public long toReference(long amountMinor, String currency) {
        require(currency);
        try {
            return BigDecimal.valueOf(amountMinor)
                    .multiply(factors.get(currency))
                    .setScale(0, RoundingMode.HALF_EVEN)
                    .longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    amountMinor + " " + currency + " is too large to convert", e);
        }
    }

    private void require(String currency) {
        if (!supports(currency)) {
            throw new IllegalArgumentException(
                    "currency "
                            + currency
                            + " has no rate in the currency rate table (reference "
                            + reference
                            + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CurrencyRates other
                && reference.equals(other.reference)
                && rates.equals(other.rates);
    }

    @Override
    public int hashCode() {
        return reference.hashCode() * 31 + rates.hashCode();
    }

    @Override
    public String toString() {
        return "CurrencyRates{reference=" + reference + ", " + rates.size() + " currencies}";
    }
}
