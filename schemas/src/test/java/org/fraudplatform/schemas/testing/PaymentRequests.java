package org.fraudplatform.schemas.testing;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.fraudplatform.schemas.BankScheme;
import org.fraudplatform.schemas.BankTransfer;
import org.fraudplatform.schemas.CaptureMethod;
import org.fraudplatform.schemas.Card;
import org.fraudplatform.schemas.CardBrand;
import org.fraudplatform.schemas.CardFunding;
import org.fraudplatform.schemas.Channel;
import org.fraudplatform.schemas.Customer;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.Wallet;
import org.fraudplatform.schemas.WalletProvider;

/**
 * Builds {@link PaymentRequest}s for tests with sensible defaults: {@code
 * aCardPayment().cardToken("card-A").amount(95_00).at(T0.plusSeconds(30)).build()}.
 */
public final class PaymentRequests {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private String paymentId;
    private String merchantId = "merchant-1";
    private long amount = 25_00;
    private String currency = "EUR";
    private Object instrument;
    private String cardToken = "card-token-A";
    private String cardCountry = "DE";
    private String customerId = "customer-1";
    private String emailHash = "email-hash-1";
    private String customerIp = "203.0.113.7";
    private String deviceId = "device-1";
    private String customerCountry = "DE";
    private CaptureMethod captureMethod = CaptureMethod.AUTOMATIC;
    private String merchantCategoryCode = "5411";
    private Instant eventTime = TestInstants.T0;
    private Integer replyPartition;

    private PaymentRequests(Object instrument) {
        this.instrument = instrument;
    }

    /** A Visa credit card payment of 25.00 EUR at {@link TestInstants#T0}. */
    public static PaymentRequests aCardPayment() {
        return new PaymentRequests(null);
    }

    /** A SEPA bank transfer from a German account. */
    public static PaymentRequests aBankTransferPayment() {
        return new PaymentRequests(
                BankTransfer.newBuilder()
                        .setAccountToken("account-token-A")
                        .setBankCode("37040044")
                        .setCountry("DE")
                        .setLast4("3000")
                        .setScheme(BankScheme.SEPA)
                        .build());
    }

    /** An Apple Pay payment whose underlying card is unknown. */
    public static PaymentRequests aWalletPayment() {
        return new PaymentRequests(
                Wallet.newBuilder()
                        .setProvider(WalletProvider.APPLE_PAY)
                        .setWalletToken("wallet-token-A")
                        .setCardFingerprint(null)
                        .build());
    }

    public PaymentRequests paymentId(String id) {
        this.paymentId = id;
        return this;
    }

    public PaymentRequests merchant(String id) {
        this.merchantId = id;
        return this;
    }

    public PaymentRequests cardToken(String token) {
        this.cardToken = token;
        return this;
    }

    public PaymentRequests cardCountry(String country) {
        this.cardCountry = country;
        return this;
    }

    public PaymentRequests amount(long minorUnits) {
        this.amount = minorUnits;
        return this;
    }

    public PaymentRequests currency(String code) {
        this.currency = code;
        return this;
    }

    public PaymentRequests customer(String id) {
        this.customerId = id;
        return this;
    }

    public PaymentRequests emailHash(String hash) {
        this.emailHash = hash;
        return this;
    }

    public PaymentRequests customerIp(String ip) {
        this.customerIp = ip;
        return this;
    }

    public PaymentRequests customerCountry(String country) {
        this.customerCountry = country;
        return this;
    }

    public PaymentRequests deviceId(String id) {
        this.deviceId = id;
        return this;
    }

    public PaymentRequests manualCapture() {
        this.captureMethod = CaptureMethod.MANUAL;
        return this;
    }

    public PaymentRequests merchantCategory(String mcc) {
        this.merchantCategoryCode = mcc;
        return this;
    }

    public PaymentRequests at(Instant time) {
        this.eventTime = time;
        return this;
    }

    public PaymentRequests replyPartition(int partition) {
        this.replyPartition = partition;
        return this;
    }

    public PaymentRequest build() {
        String id = paymentId != null ? paymentId : "pay_test_" + SEQUENCE.incrementAndGet();
        Object method =
                instrument != null
                        ? instrument
                        : Card.newBuilder()
                                .setToken(cardToken)
                                .setFingerprint("fp-" + cardToken)
                                .setBin("424242")
                                .setLast4("4242")
                                .setBrand(CardBrand.VISA)
                                .setFunding(CardFunding.CREDIT)
                                .setIssuingCountry(cardCountry)
                                .setExpMonth(12)
                                .setExpYear(2030)
                                .build();
        return PaymentRequest.newBuilder()
                .setPaymentId(id)
                .setMerchantId(merchantId)
                .setIdempotencyKey("idem-" + id)
                .setAmount(amount)
                .setCurrency(currency)
                .setInstrument(method)
                .setCustomer(
                        Customer.newBuilder()
                                .setId(customerId)
                                .setEmailHash(emailHash)
                                .setIp(customerIp)
                                .setDeviceId(deviceId)
                                .setCountry(customerCountry)
                                .setBillingCountry(customerCountry)
                                .setShippingCountry(customerCountry)
                                .build())
                .setCaptureMethod(captureMethod)
                .setChannel(Channel.ECOMMERCE)
                .setMerchantCategoryCode(merchantCategoryCode)
                .setReference("order-" + id)
                .setEventTime(eventTime)
                .setCorrelationId("corr-" + id)
                .setReplyPartition(replyPartition)
                .build();
    }
}
