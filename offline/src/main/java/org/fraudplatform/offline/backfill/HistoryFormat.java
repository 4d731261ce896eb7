package org.fraudplatform.offline.backfill;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The history files the backfill reads. Each parses one line into a {@link HistoryRow} or refuses
 * it with a reason ({@link IllegalArgumentException}); a refused line is reported, never skipped in
 * silence.
 */
public enum HistoryFormat {

    /**
     * The platform's own history: one payment or outcome per line, in the order they happened:
     *
     * <pre>
     * kind,transaction_id,time,amount_minor,card,customer,email,ip,device,merchant,country,payment_time,currency,payment_method,card_bin,card_country,card_funding,channel,mcc,customer_id,customer_country
     * payment,pay_1,2026-03-02T10:00:00Z,2500,tok_A,m1/c9,eh_1,203.0.113.7,dev_1,m1,DE,,EUR,CARD,424242,DE,CREDIT,ECOMMERCE,5411,c9,DE
     * payment,pay_2,2026-03-02T10:05:00Z,100000,tok_B,m1/c7,eh_2,203.0.113.9,dev_2,m1,JP,,JPY,WALLET,,,,IN_APP,5411,c7,JP
     * declined,pay_1,2026-03-02T10:00:01Z,,tok_A,,,,,m1,,2026-03-02T10:00:00Z,,,,,,,,,
     * fraud,pay_1,2026-03-20T08:00:00Z,,tok_A,,,,,m1,,2026-03-02T10:00:00Z,,,,,,,,,
     * </pre>
     *
     * {@code time} is the payment's event time, or when the outcome became known (ISO-8601); {@code
     * payment_time} is an outcome's payment's time (the merchant, counted in time buckets, needs it
     * to place a fraud label); {@code amount_minor} is in minor units of {@code currency} (ISO
     * 4217), converted into the reference currency by the rate table. A payment without currency
     * (an empty cell, or a file of the twelve columns before {@code currency}) is in the reference
     * currency. {@code card} is the instrument key (card, account or wallet token) and {@code
     * customer} the customer scoped by merchant ({@code merchant/customer}), as the features key
     * them. The last eight columns are what the decision reads besides ({@link RequestColumns}):
     * {@code payment_method} ({@code CARD}, {@code BANK_TRANSFER}, {@code WALLET}), the card's BIN,
     * issuing country and funding ({@code CREDIT}, {@code DEBIT}, {@code PREPAID}, {@code
     * UNKNOWN}), the {@code channel} ({@code ECOMMERCE}, {@code IN_APP}, {@code POS}, {@code MOTO},
     * {@code RECURRING}), the merchant category code, the merchant's own customer id and the
     * customer's country; a file of the thirteen columns before them has them all empty (a card
     * payment whose details are unknown). Empty cells are absent values. Keys are tokens and never
     * hold a comma.
     */
    EVENTS(
            "kind,transaction_id,time,amount_minor,card,customer,email,ip,device,merchant,country,"
                    + "payment_time,currency,payment_method,card_bin,card_country,card_funding,"
                    + "channel,mcc,customer_id,customer_country"),

    /**
     * The fraud handbook's simulated transactions: {@code TRANSACTION_ID, TX_DATETIME (UTC),
     * CUSTOMER_ID, TERMINAL_ID, TX_AMOUNT, TX_TIME_SECONDS, TX_TIME_DAYS, TX_FRAUD,
     * TX_FRAUD_SCENARIO}. The customer is the card, the terminal the merchant, amounts are EUR; a
     * fraud is taken as known one label delay after the payment.
     */
    HANDBOOK(
            "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,"
                    + "TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO");

    private static final int EVENTS_COLUMNS = 21;

    private static final DateTimeFormatter HANDBOOK_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final String header;

    HistoryFormat(String header) {
        this.header = header;
    }

    /** The header line this format expects first. */
    public String header() {
        return header;
    }

    public boolean isHeader(String line) {
        String trimmed = line.trim();
        if (trimmed.equalsIgnoreCase(header)) {
            return true;
        }
        if (this != EVENTS) {
            return false;
        }
        // the older files: twelve columns, then thirteen with the currency
        String[] columns = header.split(",");
        return trimmed.equalsIgnoreCase(String.join(",", List.of(columns).subList(0, 12)))
                || trimmed.equalsIgnoreCase(String.join(",", List.of(columns).subList(0, 13)));
    }

    /**
     * Parses one data line.
     *
     * @param labelDelayMillis how long after a fraudulent payment its label is known, for formats
     *     that carry the label on the payment
     */
    public HistoryRow parse(String line, long labelDelayMillis) {
        String[] f = line.split(",", -1);
        return switch (this) {
            case EVENTS -> parseEvent(f);
            case HANDBOOK -> parseHandbook(f, labelDelayMillis);
        };
    }

    private static HistoryRow parseEvent(String[] f) {
        if (f.length != EVENTS_COLUMNS && f.length != 12 && f.length != 13) {
            throw new IllegalArgumentException(
                    "expected "
                            + EVENTS_COLUMNS
                            + " fields (13 without the request's details, 12 without currency),"
                            + " found "
                            + f.length);
        }
        HistoryRow row = new HistoryRow();
        row.kind = f[0].trim().toLowerCase(Locale.ROOT);
        row.transactionId = required(f[1], "transaction_id");
        row.timeMillis = instant(required(f[2], "time"));
        row.card = optional(f[4]);
        row.customer = optional(f[5]);
        row.email = optional(f[6]);
        row.ip = optional(f[7]);
        row.device = optional(f[8]);
        row.merchant = optional(f[9]);
        row.country = optional(f[10]);
        String paymentTime = optional(f[11]);
        row.paymentTime = paymentTime == null ? null : instant(paymentTime);
        row.currency = f.length >= 13 ? optional(f[12]) : null;
        if (f.length == EVENTS_COLUMNS) {
            for (int i = 13; i < EVENTS_COLUMNS; i++) {
                f[i] = f[i].trim();
            }
            RequestColumns.readDetails(f, 13, row);
            RequestColumns.check(row);
        }
        switch (row.kind) {
            case HistoryRow.PAYMENT -> {
                row.amountMinor = positiveLong(required(f[3], "amount_minor"), "amount_minor");
                if (row.card == null) {
                    throw new IllegalArgumentException("a payment needs a card");
                }
            }
            case HistoryRow.DECLINED -> {
                if (row.card == null) {
                    throw new IllegalArgumentException("a decline needs the payment's card");
                }
            }
            case HistoryRow.FRAUD -> {
                if (row.merchant == null) {
                    throw new IllegalArgumentException(
                            "a fraud label needs the payment's merchant");
                }
            }
            default ->
                    throw new IllegalArgumentException(
                            "kind must be payment, declined or fraud, was '" + f[0] + "'");
        }
        return row;
    }

    private static HistoryRow parseHandbook(String[] f, long labelDelayMillis) {
        if (f.length != 9) {
            throw new IllegalArgumentException("expected 9 fields, found " + f.length);
        }
        HistoryRow row = new HistoryRow();
        row.kind = HistoryRow.PAYMENT;
        row.transactionId = required(f[0], "TRANSACTION_ID");
        try {
            row.timeMillis =
                    LocalDateTime.parse(required(f[1], "TX_DATETIME"), HANDBOOK_TIME)
                            .toInstant(ZoneOffset.UTC)
                            .toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("TX_DATETIME is not yyyy-MM-dd HH:mm:ss: " + f[1]);
        }
        row.card = required(f[2], "CUSTOMER_ID");
        row.merchant = required(f[3], "TERMINAL_ID");
        // The handbook has a few zero amounts; zero-amount authorizations (card checks) are real.
        row.amountMinor = cents(required(f[4], "TX_AMOUNT"));
        row.currency = "EUR";
        // the handbook's customer is a card
        row.paymentMethod = "CARD";
        String fraud = f[7].trim();
        if (fraud.equals("1")) {
            row.fraudKnownAt = row.timeMillis + labelDelayMillis;
        } else if (!fraud.equals("0")) {
            throw new IllegalArgumentException("TX_FRAUD must be 0 or 1, was '" + fraud + "'");
        }
        return row;
    }

    /**
     * Writes a row as a line of the {@link #EVENTS} format (without line break): a payment's amount
     * as paid, in its currency, when the row knows it.
     */
    public static String eventsLine(HistoryRow row) {
        boolean paid = row.isPayment() && row.paidCurrency != null;
        String amount =
                !row.isPayment() ? "" : Long.toString(paid ? row.paidAmountMinor : row.amountMinor);
        return String.join(
                ",",
                row.kind,
                cell(row.transactionId),
                Instant.ofEpochMilli(row.timeMillis).toString(),
                amount,
                cell(row.card),
                cell(row.customer),
                cell(row.email),
                cell(row.ip),
                cell(row.device),
                cell(row.merchant),
                cell(row.country),
                row.paymentTime == null ? "" : Instant.ofEpochMilli(row.paymentTime).toString(),
                cell(paid ? row.paidCurrency : row.currency),
                cell(row.paymentMethod),
                cell(row.cardBin),
                cell(row.cardCountry),
                cell(row.cardFunding),
                cell(row.channel),
                cell(row.merchantCategoryCode),
                cell(row.customerId),
                cell(row.customerCountry));
    }

    static String cell(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('"') >= 0) {
            throw new IllegalArgumentException(
                    "a key must not hold a comma, quote or line break: " + value);
        }
        return value;
    }

    private static String required(String value, String name) {
        String v = value.trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        return v;
    }

    private static String optional(String value) {
        String v = value.trim();
        return v.isEmpty() ? null : v;
    }

    private static long instant(String value) {
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "time is not ISO-8601 (2026-03-02T10:00:00Z): " + value);
        }
    }

    private static long positiveLong(String value, String name) {
        try {
            long n = Long.parseLong(value);
            if (n <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a whole number: " + value);
        }
    }

    /** "57.16" → 5716; at most two decimals, not negative. */
    static long cents(String amount) {
        try {
            java.math.BigDecimal d = new java.math.BigDecimal(amount);
            if (d.signum() < 0) {
                throw new IllegalArgumentException("TX_AMOUNT must not be negative, was " + amount);
            }
            return d.movePointRight(2).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "TX_AMOUNT is not an amount with at most two decimals: " + amount);
        }
    }
}
