package org.fraudplatform.rules.facts;

import java.util.Objects;
import org.fraudplatform.schemas.BankTransfer;
import org.fraudplatform.schemas.Card;
import org.fraudplatform.schemas.CardFunding;
import org.fraudplatform.schemas.Channel;
import org.fraudplatform.schemas.Customer;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.Wallet;
import org.fraudplatform.schemas.money.CurrencyRates;

/**
 * The payment a ruleset judges, as rules see it: a flat, immutable fact with JavaBean getters, so
 * that a rule reads {@code Transaction( referenceAmount >= 100000, cardCountry != customerCountry
 * )}.
 *
 * <p>Contract: {@code paymentId}, {@code merchantId}, {@code currency} and {@code paymentMethod}
 * are never null; {@code amount} (minor units of {@code currency}) and {@code referenceAmount} (the
 * same money in minor units of the reference currency, by the platform's {@link CurrencyRates}) are
 * never negative; every other property is null when unknown (card properties are null unless the
 * payment method is a card). Countries are ISO 3166-1 alpha-2, the currency ISO 4217. Immutable and
 * thread-safe. Build one with {@link #builder()} or from the API's command with {@link
 * #fromRequest(PaymentRequest, CurrencyRates)}.
 */
public final class Transaction {

    private final String paymentId;
    private final String merchantId;
    private final long amount;
    private final String currency;
    private final long referenceAmount;
    private final PaymentMethodType paymentMethod;
    private final String cardBin;
    private final String cardCountry;
    private final CardFunding cardFunding;
    private final String customerId;
    private final String customerCountry;
    private final String ip;
    private final String deviceId;
    private final Channel channel;
    private final String merchantCategoryCode;
    private final String instrumentToken;
    private final String emailHash;

    private Transaction(Builder b) {
        this.paymentId = Objects.requireNonNull(b.paymentId, "paymentId");
        this.merchantId = Objects.requireNonNull(b.merchantId, "merchantId");
        if (b.amount < 0) {
            throw new IllegalArgumentException("amount is negative: " + b.amount);
        }
        this.amount = b.amount;
        this.currency = Objects.requireNonNull(b.currency, "currency");
        this.referenceAmount = b.rates.toReference(amount, currency);
        this.paymentMethod = Objects.requireNonNull(b.paymentMethod, "paymentMethod");
        this.cardBin = b.cardBin;
        this.cardCountry = b.cardCountry;
        this.cardFunding = b.cardFunding;
        this.customerId = b.customerId;
        this.customerCountry = b.customerCountry;
        this.ip = b.ip;
        this.deviceId = b.deviceId;
        this.channel = b.channel;
        this.merchantCategoryCode = b.merchantCategoryCode;
        this.instrumentToken = b.instrumentToken;
        this.emailHash = b.emailHash;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The fact for an authorization command: instrument, customer and merchant details copied; card
     * properties only for a card instrument; the reference amount by {@code rates}.
     *
     * @throws IllegalArgumentException when the rates lack the request's currency
     */
    public static Transaction fromRequest(PaymentRequest request, CurrencyRates rates) {
        Builder b =
                builder()
                        .rates(rates)
                        .paymentId(request.getPaymentId())
                        .merchantId(request.getMerchantId())
                        .amount(request.getAmount())
                        .currency(request.getCurrency())
                        .channel(request.getChannel())
                        .merchantCategoryCode(request.getMerchantCategoryCode())
                        .instrumentToken(
                                org.fraudplatform.schemas.topics.Keys.instrumentKey(request));
        Object instrument = request.getInstrument();
        if (instrument instanceof Card card) {
            b.paymentMethod(PaymentMethodType.CARD)
                    .cardBin(card.getBin())
                    .cardCountry(card.getIssuingCountry())
                    .cardFunding(card.getFunding());
        } else if (instrument instanceof BankTransfer) {
            b.paymentMethod(PaymentMethodType.BANK_TRANSFER);
        } else if (instrument instanceof Wallet) {
            b.paymentMethod(PaymentMethodType.WALLET);
        } else {
            throw new IllegalArgumentException(
                    "Unsupported instrument type: "
                            + (instrument == null ? "null" : instrument.getClass().getName()));
        }
        Customer customer = request.getCustomer();
        if (customer != null) {
            b.customerId(customer.getId())
                    .customerCountry(customer.getCountry())
                    .ip(customer.getIp())
                    .deviceId(customer.getDeviceId())
                    .emailHash(customer.getEmailHash());
        }
        return b.build();
    }

    public String getPaymentId() {
        return paymentId;
    }

    public String getMerchantId() {
        return merchantId;
    }

    /** Minor units of {@link #getCurrency()} (cents for EUR). */
    public long getAmount() {
        return amount;
    }

    public String getCurrency() {
        return currency;
    }

    /**
     * The amount in minor units of the reference currency ({@link CurrencyRates#reference()}, EUR
     * with the packaged table: {@code 100000} is 1 000.00 EUR, whatever the payment's currency).
     * What amount thresholds compare, and the unit of every amount feature.
     */
    public long getReferenceAmount() {
        return referenceAmount;
    }

    public PaymentMethodType getPaymentMethod() {
        return paymentMethod;
    }

    /** First six digits of the card number; null unless a card. */
    public String getCardBin() {
        return cardBin;
    }

    /** The card's issuing country; null unless a card whose BIN is known. */
    public String getCardCountry() {
        return cardCountry;
    }

    public CardFunding getCardFunding() {
        return cardFunding;
    }

    public String getCustomerId() {
        return customerId;
    }

    public String getCustomerCountry() {
        return customerCountry;
    }

    public String getIp() {
        return ip;
    }

    public String getDeviceId() {
        return deviceId;
    }

    public Channel getChannel() {
        return channel;
    }

    /** ISO 18245 four-digit merchant category code. */
    public String getMerchantCategoryCode() {
        return merchantCategoryCode;
    }

    /** The instrument's token (card, bank account or wallet): what card lists hold. */
    public String getInstrumentToken() {
        return instrumentToken;
    }

    /** Keyed hash of the customer's e-mail address: what e-mail lists hold. */
    public String getEmailHash() {
        return emailHash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transaction t
                && amount == t.amount
                && referenceAmount == t.referenceAmount
                && paymentId.equals(t.paymentId)
                && merchantId.equals(t.merchantId)
                && currency.equals(t.currency)
                && paymentMethod == t.paymentMethod
                && Objects.equals(cardBin, t.cardBin)
                && Objects.equals(cardCountry, t.cardCountry)
                && cardFunding == t.cardFunding
                && Objects.equals(customerId, t.customerId)
                && Objects.equals(customerCountry, t.customerCountry)
                && Objects.equals(ip, t.ip)
                && Objects.equals(deviceId, t.deviceId)
                && channel == t.channel
                && Objects.equals(merchantCategoryCode, t.merchantCategoryCode)
                && Objects.equals(instrumentToken, t.instrumentToken)
                && Objects.equals(emailHash, t.emailHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(paymentId, merchantId, amount, currency, paymentMethod);
    }

    @Override
    public String toString() {
        return "Transaction{paymentId="
                + paymentId
                + ", merchantId="
                + merchantId
                + ", amount="
                + amount
                + " "
                + currency
                + " (reference "
                + referenceAmount
                + ")"
                + ", paymentMethod="
                + paymentMethod
                + ", cardBin="
                + cardBin
                + ", cardCountry="
                + cardCountry
                + ", cardFunding="
                + cardFunding
                + ", customerId="
                + customerId
                + ", customerCountry="
                + customerCountry
                + ", ip="
                + ip
                + ", deviceId="
                + deviceId
                + ", channel="
                + channel
                + ", merchantCategoryCode="
                + merchantCategoryCode
                + ", instrumentToken="
                + instrumentToken
                + ", emailHash="
                + emailHash
                + "}";
    }

    /** Collects properties; {@link #build()} checks the required ones. Not thread-safe. */
    public static final class Builder {
        private String paymentId;
        private String merchantId;
        private long amount;
        private String currency;
        private PaymentMethodType paymentMethod;
        private String cardBin;
        private String cardCountry;
        private CardFunding cardFunding;
        private String customerId;
        private String customerCountry;
        private String ip;
        private String deviceId;
        private Channel channel;
        private String merchantCategoryCode;
        private String instrumentToken;
        private String emailHash;
        private CurrencyRates rates = CurrencyRates.packaged();

        private Builder() {}

        /**
         * The table that converts the amount into the reference currency; the packaged table when
         * not given.
         */
        public Builder rates(CurrencyRates rates) {
            this.rates = Objects.requireNonNull(rates, "rates");
            return this;
        }

        public Builder paymentId(String paymentId) {
            this.paymentId = paymentId;
            return this;
        }

        public Builder merchantId(String merchantId) {
            this.merchantId = merchantId;
            return this;
        }

        /** Minor units of the currency. */
        public Builder amount(long amount) {
            this.amount = amount;
            return this;
        }

        public Builder currency(String currency) {
            this.currency = currency;
            return this;
        }

        public Builder paymentMethod(PaymentMethodType paymentMethod) {
            this.paymentMethod = paymentMethod;
            return this;
        }

        public Builder cardBin(String cardBin) {
            this.cardBin = cardBin;
            return this;
        }

        public Builder cardCountry(String cardCountry) {
            this.cardCountry = cardCountry;
            return this;
        }

        public Builder cardFunding(CardFunding cardFunding) {
            this.cardFunding = cardFunding;
            return this;
        }

        public Builder customerId(String customerId) {
            this.customerId = customerId;
            return this;
        }

        public Builder customerCountry(String customerCountry) {
            this.customerCountry = customerCountry;
            return this;
        }

        public Builder ip(String ip) {
            this.ip = ip;
            return this;
        }

        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        public Builder channel(Channel channel) {
            this.channel = channel;
            return this;
        }

        public Builder merchantCategoryCode(String merchantCategoryCode) {
            this.merchantCategoryCode = merchantCategoryCode;
            return this;
        }

        public Builder instrumentToken(String instrumentToken) {
            this.instrumentToken = instrumentToken;
            return this;
        }

        public Builder emailHash(String emailHash) {
            this.emailHash = emailHash;
            return this;
        }

        /**
         * @throws NullPointerException if paymentId, merchantId, currency or paymentMethod is
         *     missing
         * @throws IllegalArgumentException if the amount is negative, or the rates lack the
         *     currency
         */
        public Transaction build() {
            return new Transaction(this);
        }
    }
}
