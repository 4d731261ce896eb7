package org.fraudplatform.offline.backfill;

import org.fraudplatform.features.FeatureInputs;
import org.fraudplatform.features.FeatureOutcome;
import org.fraudplatform.features.FeaturePayment;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.fraudplatform.schemas.topics.Keys;

/**
 * One input of the backfill, a payment or an outcome, with its position in the input. A Flink POJO
 * (public fields, no-argument constructor) so that no generic serializer is needed.
 */
public class HistoryRow {

    public static final String PAYMENT = "payment";
    public static final String DECLINED = "declined";
    public static final String FRAUD = "fraud";

    /** Position in the input, from 1: the order in which the online path would have seen it. */
    public long sequence;

    /** {@link #PAYMENT}, {@link #DECLINED} or {@link #FRAUD}. */
    public String kind;

    public String transactionId;

    /** A payment's event time, or when an outcome became known. */
    public long timeMillis;

    /** A payment's amount in minor units of {@link #currency}. */
    public long amountMinor;

    /**
     * The currency of {@link #amountMinor}; null when it is the reference currency, as it is for
     * every row past {@link #inReference} (the only amount the features read).
     */
    public String currency;

    public String card;
    public String customer;
    public String email;
    public String ip;
    public String device;
    public String merchant;
    public String country;

    /**
     * What a decision reads of a payment beyond its keys and features ({@link RequestColumns}): the
     * amount as paid and its currency, set when the amount goes into the reference currency ({@link
     * #inReference}); null until then.
     */
    public Long paidAmountMinor;

    public String paidCurrency;

    /**
     * {@code CARD}, {@code BANK_TRANSFER} or {@code WALLET} ({@code PaymentMethodType}); null when
     * the input does not say (then {@link #card} is a card's token and its details are unknown).
     */
    public String paymentMethod;

    /** A card's BIN, issuing country and funding ({@code CardFunding}); null when unknown. */
    public String cardBin;

    public String cardCountry;
    public String cardFunding;

    /**
     * The request's channel ({@code Channel}) and ISO 18245 merchant category; null when unknown.
     */
    public String channel;

    public String merchantCategoryCode;

    /** The merchant's own customer id (not scoped, unlike {@link #customer}); null when unknown. */
    public String customerId;

    /**
     * The customer's country as the request gives it (not the billing country); null when unknown.
     */
    public String customerCountry;

    /** For a payment whose label the input carries (the handbook's TX_FRAUD): when it is known. */
    public Long fraudKnownAt;

    /** For an outcome: its payment's event time, when the input gives it. */
    public Long paymentTime;

    /** For a record that could not be read: why. */
    public String problem;

    public HistoryRow() {}

    public boolean isPayment() {
        return PAYMENT.equals(kind);
    }

    /**
     * This row with its amount in minor units of the reference currency (a row already there is
     * left as it is).
     *
     * @throws IllegalArgumentException when the rates lack the row's currency
     */
    public HistoryRow inReference(CurrencyRates rates) {
        if (isPayment() && paidCurrency == null) {
            paidAmountMinor = amountMinor;
            paidCurrency = currency != null ? currency : rates.reference();
        }
        if (currency != null) {
            amountMinor = rates.toReference(amountMinor, currency);
            currency = null;
        }
        return this;
    }

    /** The payment of a row in the reference currency ({@link #inReference}). */
    public FeaturePayment toPayment() {
        if (currency != null) {
            throw new IllegalStateException(transactionId + ": the amount is still in " + currency);
        }
        return new FeaturePayment(
                transactionId,
                timeMillis,
                amountMinor,
                card,
                customer,
                email,
                ip,
                device,
                merchant,
                country,
                fraudKnownAt);
    }

    public FeatureOutcome toOutcome() {
        return new FeatureOutcome(
                transactionId,
                DECLINED.equals(kind) ? FeatureOutcome.Kind.DECLINED : FeatureOutcome.Kind.FRAUD,
                timeMillis,
                card,
                merchant,
                paymentTime);
    }

    /** A payment row, its amount in the reference currency as the payment's. */
    public static HistoryRow of(FeaturePayment p) {
        HistoryRow row = new HistoryRow();
        row.kind = PAYMENT;
        row.transactionId = p.transactionId();
        row.timeMillis = p.timeMillis();
        row.amountMinor = p.referenceAmount();
        row.card = p.card();
        row.customer = p.customer();
        row.email = p.email();
        row.ip = p.ip();
        row.device = p.device();
        row.merchant = p.merchant();
        row.country = p.country();
        row.fraudKnownAt = p.fraudKnownAtMillis();
        return row;
    }

    /**
     * The payment row of an authorization request, as the risk topology reads it: the keys of
     * {@link FeatureInputs#payment}, the amount in the reference currency, and what the decision
     * reads besides ({@link RequestColumns}).
     *
     * @throws IllegalArgumentException when the rates lack the request's currency
     */
    public static HistoryRow of(PaymentRequest request, CurrencyRates rates) {
        HistoryRow row = of(FeatureInputs.payment(request, Keys.instrumentKey(request), rates));
        RequestColumns.copy(request, row);
        return row;
    }

    /** An outcome row. */
    public static HistoryRow of(FeatureOutcome o) {
        HistoryRow row = new HistoryRow();
        row.kind = o.kind() == FeatureOutcome.Kind.DECLINED ? DECLINED : FRAUD;
        row.transactionId = o.transactionId();
        row.timeMillis = o.knownAtMillis();
        row.card = o.card();
        row.merchant = o.merchant();
        row.paymentTime = o.paymentTimeMillis();
        return row;
    }
}
