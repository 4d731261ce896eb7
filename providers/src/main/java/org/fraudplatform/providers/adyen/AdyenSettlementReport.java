package org.fraudplatform.providers.adyen;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fraudplatform.providers.PaymentProvider;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;

/**
 * Adyen's Settlement details report (CSV, one file per payout batch, {@code
 * settlement_detail_report_batch_<n>.csv}) read strictly and turned into the platform's settlement
 * rows.
 *
 * <p>Columns are found by their header name, so Adyen's added or reordered columns are accepted;
 * the ones read here must all be present. Rows of another merchant account are left out. By {@code
 * Type}:
 *
 * <ul>
 *   <li>{@code Settled} becomes a {@code capture} row: our payment id from {@code Merchant
 *       Reference}, the capture's operation id from {@code Modification Merchant Reference} (the
 *       {@code reference} the connector sent with the capture; {@code capture} when empty: an
 *       automatic capture), {@code Gross Credit (GC)} in {@code Gross Currency}.
 *   <li>{@code Refunded} becomes a {@code refund} row: the refund's operation id from {@code
 *       Modification Merchant Reference} (required), {@code Gross Debit (GC)}.
 *   <li>Every other type (chargebacks, which reach the ledger as notifications; fees, payouts,
 *       corrections, ...) is no movement the ledger ordered and is left out.
 * </ul>
 *
 * The fee is {@code Commission} + {@code Markup} + {@code Scheme Fees} + {@code Interchange}, all
 * {@code (NC)}, turned into the gross currency with the row's {@code Exchange Rate} when the net
 * currency differs. {@code Creation Date} is in the row's {@code TimeZone} (an abbreviation such as
 * {@code CET}, {@code CEST}, or a region). The provider reference is the {@code Modification
 * Reference}, else the {@code Psp Reference}.
 *
 * <p>A report with anything this class cannot read is refused whole with the line and column, so a
 * bad report never imports half.
 */
public final class AdyenSettlementReport {

    static final String COMPANY = "Company Account";
    static final String MERCHANT = "Merchant Account";
    static final String PSP = "Psp Reference";
    static final String MERCHANT_REFERENCE = "Merchant Reference";
    static final String CREATION_DATE = "Creation Date";
    static final String TIME_ZONE = "TimeZone";
    static final String TYPE = "Type";
    static final String MODIFICATION_REFERENCE = "Modification Reference";
    static final String GROSS_CURRENCY = "Gross Currency";
    static final String GROSS_DEBIT = "Gross Debit (GC)";
    static final String GROSS_CREDIT = "Gross Credit (GC)";
    static final String EXCHANGE_RATE = "Exchange Rate";
    static final String NET_CURRENCY = "Net Currency";
    static final String COMMISSION = "Commission (NC)";
    static final String MARKUP = "Markup (NC)";
    static final String SCHEME_FEES = "Scheme Fees (NC)";
    static final String INTERCHANGE = "Interchange (NC)";
    static final String MODIFICATION_MERCHANT_REFERENCE = "Modification Merchant Reference";

    /** The columns this class reads; a report without one of them is refused. */
    static final List<String> REQUIRED =
            List.of(
                    MERCHANT,
                    PSP,
                    MERCHANT_REFERENCE,
                    CREATION_DATE,
                    TIME_ZONE,
                    TYPE,
                    MODIFICATION_REFERENCE,
                    GROSS_CURRENCY,
                    GROSS_DEBIT,
                    GROSS_CREDIT,
                    EXCHANGE_RATE,
                    NET_CURRENCY,
                    COMMISSION,
                    MARKUP,
                    SCHEME_FEES,
                    INTERCHANGE,
                    MODIFICATION_MERCHANT_REFERENCE);

    /** The standard columns in Adyen's order, as the fake writes them. */
    public static final List<String> STANDARD_COLUMNS =
            List.of(
                    COMPANY,
                    MERCHANT,
                    PSP,
                    MERCHANT_REFERENCE,
                    "Payment Method",
                    CREATION_DATE,
                    TIME_ZONE,
                    TYPE,
                    MODIFICATION_REFERENCE,
                    GROSS_CURRENCY,
                    GROSS_DEBIT,
                    GROSS_CREDIT,
                    EXCHANGE_RATE,
                    NET_CURRENCY,
                    "Net Debit (NC)",
                    "Net Credit (NC)",
                    COMMISSION,
                    MARKUP,
                    SCHEME_FEES,
                    INTERCHANGE,
                    "Payment Method Variant",
                    MODIFICATION_MERCHANT_REFERENCE,
                    "Batch Number");

    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

    /**
     * Time zone abbreviations Adyen writes, as the offsets they stand for (an abbreviation names
     * summer or winter time, so it is a fixed offset; Java's own short ids read some of them as
     * other places).
     */
    private static final Map<String, ZoneOffset> ABBREVIATIONS =
            Map.ofEntries(
                    Map.entry("UTC", ZoneOffset.UTC),
                    Map.entry("GMT", ZoneOffset.UTC),
                    Map.entry("WET", ZoneOffset.UTC),
                    Map.entry("WEST", ZoneOffset.ofHours(1)),
                    Map.entry("BST", ZoneOffset.ofHours(1)),
                    Map.entry("CET", ZoneOffset.ofHours(1)),
                    Map.entry("CEST", ZoneOffset.ofHours(2)),
                    Map.entry("EET", ZoneOffset.ofHours(2)),
                    Map.entry("EEST", ZoneOffset.ofHours(3)),
                    Map.entry("EST", ZoneOffset.ofHours(-5)),
                    Map.entry("EDT", ZoneOffset.ofHours(-4)),
                    Map.entry("CST", ZoneOffset.ofHours(-6)),
                    Map.entry("CDT", ZoneOffset.ofHours(-5)),
                    Map.entry("MST", ZoneOffset.ofHours(-7)),
                    Map.entry("MDT", ZoneOffset.ofHours(-6)),
                    Map.entry("PST", ZoneOffset.ofHours(-8)),
                    Map.entry("PDT", ZoneOffset.ofHours(-7)),
                    Map.entry("HKT", ZoneOffset.ofHours(8)),
                    Map.entry("SGT", ZoneOffset.ofHours(8)),
                    Map.entry("JST", ZoneOffset.ofHours(9)),
                    Map.entry("AEST", ZoneOffset.ofHours(10)),
                    Map.entry("AEDT", ZoneOffset.ofHours(11)));

    private AdyenSettlementReport() {}

    /** What a report held for the platform: its rows, and how many rows it left out. */
    public record Read(List<SettlementReportFile.Row> rows, int leftOut) {}

    /**
     * Reads one report.
     *
     * @param fileName the report's name, in error messages
     * @param content the CSV's bytes (UTF-8, a byte order mark and CRLF accepted)
     * @param provider the provider's name for the rows
     * @param merchantAccount the merchant account whose rows are taken
     * @param day the settlement date the rows are given
     * @throws IllegalArgumentException naming the file, the line and the column of the first thing
     *     that cannot be read; then no row of the report is taken
     */
    public static Read read(
            String fileName,
            byte[] content,
            String provider,
            String merchantAccount,
            LocalDate day) {
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\n", -1);
        List<String> header = fields(strip(lines[0]), fileName, 1);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip();
            if (index.putIfAbsent(name, i) != null) {
                throw new IllegalArgumentException(
                        fileName + " line 1: the column '" + name + "' appears twice");
            }
        }
        List<String> absent = REQUIRED.stream().filter(c -> !index.containsKey(c)).toList();
        if (!absent.isEmpty()) {
            throw new IllegalArgumentException(
                    fileName
                            + " line 1: not a Settlement details report, it lacks the column(s) "
                            + String.join(", ", absent.stream().map(c -> "'" + c + "'").toList()));
        }
        List<SettlementReportFile.Row> rows = new ArrayList<>();
        int leftOut = 0;
        for (int i = 1; i < lines.length; i++) {
            String raw = strip(lines[i]);
            if (raw.isBlank()) {
                continue;
            }
            int line = i + 1;
            List<String> f = fields(raw, fileName, line);
            if (f.size() != header.size()) {
                throw new IllegalArgumentException(
                        fileName
                                + " line "
                                + line
                                + ": "
                                + f.size()
                                + " fields where the header has "
                                + header.size());
            }
            Line l = new Line(fileName, line, f, index);
            SettlementReportFile.Row row = l.row(provider, merchantAccount, day);
            if (row == null) {
                leftOut++;
            } else {
                rows.add(row);
            }
        }
        return new Read(List.copyOf(rows), leftOut);
    }

    /** One line of the report, its fields found by column name. */
    private record Line(String file, int number, List<String> fields, Map<String, Integer> index) {

        String get(String column) {
            return fields.get(index.get(column)).strip();
        }

        IllegalArgumentException problem(String column, String message) {
            return new IllegalArgumentException(
                    file + " line " + number + ", column '" + column + "': " + message);
        }

        SettlementReportFile.Row row(String provider, String merchantAccount, LocalDate day) {
            String type = get(TYPE);
            if (type.isEmpty()) {
                throw problem(TYPE, "is empty");
            }
            boolean capture = type.equals("Settled");
            if ((!capture && !type.equals("Refunded")) || !get(MERCHANT).equals(merchantAccount)) {
                return null;
            }
            String paymentId = required(MERCHANT_REFERENCE);
            String modification = get(MODIFICATION_MERCHANT_REFERENCE);
            String operationId;
            if (!modification.isEmpty()) {
                operationId = modification;
            } else if (capture) {
                operationId = PaymentProvider.AUTOMATIC_CAPTURE;
            } else {
                throw problem(
                        MODIFICATION_MERCHANT_REFERENCE,
                        "is empty on a Refunded row: the refund's operation id is unknown");
            }
            String currency = currency(GROSS_CURRENCY);
            String amountColumn = capture ? GROSS_CREDIT : GROSS_DEBIT;
            String otherColumn = capture ? GROSS_DEBIT : GROSS_CREDIT;
            if (!get(otherColumn).isEmpty()) {
                throw problem(
                        otherColumn,
                        "must be empty on a " + type + " row, is '" + get(otherColumn) + "'");
            }
            long amount = minor(amountColumn, decimal(amountColumn, true), currency);
            if (amount <= 0) {
                throw problem(amountColumn, "must be positive on a " + type + " row");
            }
            String netCurrency = currency(NET_CURRENCY);
            BigDecimal fee = BigDecimal.ZERO;
            for (String column : List.of(COMMISSION, MARKUP, SCHEME_FEES, INTERCHANGE)) {
                BigDecimal part = decimal(column, false);
                if (part.signum() < 0) {
                    throw problem(column, "is negative: '" + get(column) + "'");
                }
                fee = fee.add(part);
            }
            if (!netCurrency.equals(currency)) {
                BigDecimal rate = decimal(EXCHANGE_RATE, true);
                if (rate.signum() <= 0) {
                    throw problem(
                            EXCHANGE_RATE, "must be positive, is '" + get(EXCHANGE_RATE) + "'");
                }
                fee = fee.divide(rate, digits(currency), RoundingMode.HALF_UP);
            }
            long feeMinor =
                    fee.setScale(digits(currency), RoundingMode.HALF_UP)
                            .movePointRight(digits(currency))
                            .longValueExact();
            String modificationReference = get(MODIFICATION_REFERENCE);
            String reference = modificationReference.isEmpty() ? get(PSP) : modificationReference;
            Instant bookedAt = created();
            try {
                return new SettlementReportFile.Row(
                        provider,
                        day,
                        capture ? "capture" : "refund",
                        paymentId,
                        operationId,
                        reference.isEmpty() ? null : reference,
                        amount,
                        currency,
                        feeMinor,
                        bookedAt);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        file + " line " + number + ": " + e.getMessage(), e);
            }
        }

        private String required(String column) {
            String v = get(column);
            if (v.isEmpty()) {
                throw problem(column, "is empty");
            }
            for (int i = 0; i < v.length(); i++) {
                if (Character.isWhitespace(v.charAt(i))) {
                    throw problem(column, "'" + v + "' holds whitespace");
                }
            }
            return v;
        }

        private String currency(String column) {
            String v = get(column);
            try {
                if (v.matches("[A-Z]{3}")) {
                    Currency.getInstance(v);
                    return v;
                }
            } catch (IllegalArgumentException e) {
                // below
            }
            throw problem(column, "'" + v + "' is not an ISO 4217 currency code");
        }

        private BigDecimal decimal(String column, boolean required) {
            String v = get(column);
            if (v.isEmpty()) {
                if (required) {
                    throw problem(column, "is empty");
                }
                return BigDecimal.ZERO;
            }
            if (!v.matches("-?\\d{1,15}(\\.\\d{1,12})?")) {
                throw problem(column, "'" + v + "' is not a decimal number (e.g. 12.34)");
            }
            return new BigDecimal(v);
        }

        private long minor(String column, BigDecimal value, String currency) {
            int digits = digits(currency);
            if (value.stripTrailingZeros().scale() > digits) {
                throw problem(
                        column,
                        "'"
                                + get(column)
                                + "' has more decimals than "
                                + currency
                                + " has ("
                                + digits
                                + ")");
            }
            return value.movePointRight(digits).longValueExact();
        }

        private Instant created() {
            String zone = get(TIME_ZONE);
            ZoneId id = ABBREVIATIONS.get(zone);
            if (id == null) {
                try {
                    id = ZoneId.of(zone);
                } catch (DateTimeException e) {
                    throw problem(TIME_ZONE, "'" + zone + "' is no time zone");
                }
            }
            try {
                return LocalDateTime.parse(get(CREATION_DATE), CREATED).atZone(id).toInstant();
            } catch (DateTimeParseException e) {
                throw problem(
                        CREATION_DATE,
                        "'"
                                + get(CREATION_DATE)
                                + "' is not a date and time (yyyy-MM-dd HH:mm:ss)");
            }
        }
    }

    private static int digits(String currency) {
        return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    }

    /** Splits one CSV line; a field may be quoted, with {@code ""} for a quote inside. */
    static List<String> fields(String line, String file, int number) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '"' || wasQuoted) {
                throw new IllegalArgumentException(
                        file
                                + " line "
                                + number
                                + ", field "
                                + (out.size() + 1)
                                + ": a stray double quote");
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(
                    file
                            + " line "
                            + number
                            + ", field "
                            + (out.size() + 1)
                            + ": a quote never closed");
        }
        out.add(field.toString());
        return out;
    }

    private static String strip(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
