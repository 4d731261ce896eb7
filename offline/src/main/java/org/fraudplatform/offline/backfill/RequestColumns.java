package org.fraudplatform.offline.backfill;

import java.time.Instant;
import java.util.List;
import org.fraudplatform.schemas.BankTransfer;
import org.fraudplatform.schemas.Card;
import org.fraudplatform.schemas.CardBrand;
import org.fraudplatform.schemas.CardFunding;
import org.fraudplatform.schemas.Channel;
import org.fraudplatform.schemas.Customer;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.Wallet;
import org.fraudplatform.schemas.topics.Keys;

/**
 * What a decision reads of a payment request beyond the feature keys, as columns of a backfill's
 * output: the amount as paid and its currency, the payment method, the card's BIN, issuing country
 * and funding, the channel, the merchant category, the merchant's customer id and the customer's
 * country.
 *
 * <p>The backfill writes them next to every payment's features; the back-test turns a row back into
 * a {@link PaymentRequest} ({@link #request}) and judges it with the same {@code RiskScorer} the
 * risk topology runs, so the transaction fact is built once, by {@code Transaction.fromRequest},
 * online and offline alike. Contract: for every request {@code r}, {@code
 * Transaction.fromRequest(request(row of r))} equals {@code Transaction.fromRequest(r)}.
 *
 * <p>A row from a history that lacks these details (the handbook, an older {@code events} file) has
 * them empty: its payment is a card payment in the reference currency whose card details, channel
 * and category are unknown, and the rules that read them do not fire.
 */
public final class RequestColumns {

    /** The columns, in output order. */
    public static final List<String> NAMES =
            List.of(
                    "paid_amount_minor",
                    "paid_currency",
                    "payment_method",
                    "card_bin",
                    "card_country",
                    "card_funding",
                    "channel",
                    "mcc",
                    "customer_id",
                    "customer_country");

    private RequestColumns() {}

    /** Copies what the decision reads of {@code request} into a payment row. */
    static void copy(PaymentRequest request, HistoryRow row) {
        row.paidAmountMinor = request.getAmount();
        row.paidCurrency = request.getCurrency();
        row.paymentMethod = Keys.paymentMethod(request).name();
        if (request.getInstrument() instanceof Card card) {
            row.cardBin = card.getBin();
            row.cardCountry = card.getIssuingCountry();
            row.cardFunding = card.getFunding() == null ? null : card.getFunding().name();
        }
        row.channel = request.getChannel() == null ? null : request.getChannel().name();
        row.merchantCategoryCode = request.getMerchantCategoryCode();
        Customer c = request.getCustomer();
        if (c != null) {
            row.customerId = c.getId();
            row.customerCountry = c.getCountry();
        }
    }

    /** The row's cells of these columns, comma-separated, empty where unknown. */
    static String cells(HistoryRow row) {
        return String.join(
                ",",
                row.paidAmountMinor == null ? "" : Long.toString(row.paidAmountMinor),
                HistoryFormat.cell(row.paidCurrency),
                HistoryFormat.cell(row.paymentMethod),
                HistoryFormat.cell(row.cardBin),
                HistoryFormat.cell(row.cardCountry),
                HistoryFormat.cell(row.cardFunding),
                HistoryFormat.cell(row.channel),
                HistoryFormat.cell(row.merchantCategoryCode),
                HistoryFormat.cell(row.customerId),
                HistoryFormat.cell(row.customerCountry));
    }

    /** Reads the cells {@link #cells} wrote (empty cells are null) into a payment row. */
    static void read(String[] cells, int from, HistoryRow row) {
        String amount = blankToNull(cells[from]);
        row.paidAmountMinor = amount == null ? null : Long.parseLong(amount);
        row.paidCurrency = blankToNull(cells[from + 1]);
        readDetails(cells, from + 2, row);
    }

    /** Reads the columns from {@code payment_method} on (those after the amount and currency). */
    static void readDetails(String[] cells, int from, HistoryRow row) {
        row.paymentMethod = blankToNull(cells[from]);
        row.cardBin = blankToNull(cells[from + 1]);
        row.cardCountry = blankToNull(cells[from + 2]);
        row.cardFunding = blankToNull(cells[from + 3]);
        row.channel = blankToNull(cells[from + 4]);
        row.merchantCategoryCode = blankToNull(cells[from + 5]);
        row.customerId = blankToNull(cells[from + 6]);
        row.customerCountry = blankToNull(cells[from + 7]);
    }

    /**
     * Checks the values a row names by enum: a payment method, card funding or channel the
     * contracts do not know is refused.
     */
    static void check(HistoryRow row) {
        if (row.paymentMethod != null) {
            PaymentMethodType method = enumValue(PaymentMethodType.class, row.paymentMethod);
            if (method != PaymentMethodType.CARD
                    && (row.cardBin != null
                            || row.cardCountry != null
                            || row.cardFunding != null)) {
                throw new IllegalArgumentException(
                        "card_bin, card_country and card_funding are for card payments only");
            }
        }
        if (row.cardFunding != null) {
            enumValue(CardFunding.class, row.cardFunding);
        }
        if (row.channel != null) {
            enumValue(Channel.class, row.channel);
        }
    }

    /**
     * The request a row of a backfill's output stands for: what the decision reads is as it was;
     * what it does not read (card expiry, last four digits, idempotency key, …) is left blank.
     *
     * @param cells one output row: {@link BackfillOutput#LEADING} from its first cell, these
     *     columns from {@code from}
     * @param eventTime the payment's time
     */
    public static PaymentRequest request(String[] cells, int from, Instant eventTime) {
        HistoryRow row = new HistoryRow();
        read(cells, from, row);
        String paymentId = cells[0];
        String instrumentKey = blankToNull(cells[3]);
        Object instrument = instrument(row, instrumentKey);
        Customer customer = new Customer();
        customer.setId(row.customerId);
        customer.setEmailHash(blankToNull(cells[6]));
        customer.setIp(blankToNull(cells[7]));
        customer.setDeviceId(blankToNull(cells[8]));
        customer.setCountry(row.customerCountry);
        PaymentRequest request = new PaymentRequest();
        request.setPaymentId(paymentId);
        request.setMerchantId(cells[4]);
        request.setIdempotencyKey(paymentId);
        request.setCorrelationId(paymentId);
        request.setAmount(row.paidAmountMinor == null ? 0 : row.paidAmountMinor);
        request.setCurrency(row.paidCurrency);
        request.setInstrument(instrument);
        request.setCustomer(customer);
        request.setChannel(row.channel == null ? null : Channel.valueOf(row.channel));
        request.setMerchantCategoryCode(row.merchantCategoryCode);
        request.setEventTime(eventTime);
        return request;
    }

    private static Object instrument(HistoryRow row, String instrumentKey) {
        PaymentMethodType method =
                row.paymentMethod == null
                        ? PaymentMethodType.CARD
                        : PaymentMethodType.valueOf(row.paymentMethod);
        // setters, not builders: a detail the history lacks stays null instead of invented
        switch (method) {
            case BANK_TRANSFER -> {
                BankTransfer bank = new BankTransfer();
                bank.setAccountToken(instrumentKey);
                return bank;
            }
            case WALLET -> {
                Wallet wallet = new Wallet();
                wallet.setWalletToken(instrumentKey);
                return wallet;
            }
            default -> {
                Card card = new Card();
                card.setToken(instrumentKey);
                card.setBin(row.cardBin);
                card.setIssuingCountry(row.cardCountry);
                card.setFunding(
                        row.cardFunding == null ? null : CardFunding.valueOf(row.cardFunding));
                card.setBrand(CardBrand.UNKNOWN);
                return card;
            }
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'"
                            + value
                            + "' is no "
                            + type.getSimpleName()
                            + " ("
                            + String.join(
                                    ", ",
                                    java.util.Arrays.stream(type.getEnumConstants())
                                            .map(Enum::name)
                                            .toList())
                            + ")");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
