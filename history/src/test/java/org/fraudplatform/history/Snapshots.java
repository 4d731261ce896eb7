package org.fraudplatform.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.PaymentSnapshot;

/** Builds ledger snapshots of one payment, event by event, as the ledger would publish them. */
final class Snapshots {

    static final String TOPIC = "payments.snapshots";
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private final String paymentId;
    private final String merchantId;
    private final List<PaymentEvent> events = new ArrayList<>();
    private String card = "card_1";
    private String customer;
    private String currency = "EUR";
    private Instant createdAt = T0;
    private Instant updatedAt = T0;
    private String status = "pending";
    private PaymentMethodType method = PaymentMethodType.CARD;
    private boolean underReview;
    private long authorized;
    private long capturable;
    private long captured;
    private long refunded;
    private long chargedBack;

    private Snapshots(String paymentId, String merchantId) {
        this.paymentId = paymentId;
        this.merchantId = merchantId;
    }

    static Snapshots payment(String paymentId, String merchantId) {
        return new Snapshots(paymentId, merchantId);
    }

    Snapshots card(String instrumentKey) {
        this.card = instrumentKey;
        return this;
    }

    Snapshots customer(String customerId) {
        this.customer = customerId;
        return this;
    }

    Snapshots method(PaymentMethodType paymentMethod) {
        this.method = paymentMethod;
        return this;
    }

    Snapshots currency(String code) {
        this.currency = code;
        return this;
    }

    Snapshots createdAt(Instant at) {
        this.createdAt = at;
        this.updatedAt = at;
        return this;
    }

    Snapshots status(String paymentStatus) {
        this.status = paymentStatus;
        return this;
    }

    Snapshots underReview(boolean review) {
        this.underReview = review;
        return this;
    }

    /** Appends an event one second after the previous one and folds its money. */
    Snapshots event(PaymentEventType type, long amount) {
        return event(type, amount, updatedAt.plus(Duration.ofSeconds(1)), null);
    }

    Snapshots event(PaymentEventType type, long amount, Instant at, String reasonCode) {
        int n = events.size();
        events.add(
                PaymentEvent.newBuilder()
                        .setEventId(paymentId + "-e" + n)
                        .setPaymentId(paymentId)
                        .setMerchantId(merchantId)
                        .setType(type)
                        .setAmount(amount)
                        .setCurrency(currency)
                        .setInstrumentKey(card)
                        .setPaymentMethod(method)
                        .setCustomerId(customer)
                        .setOperationId(type.name().toLowerCase() + "-" + n)
                        .setProvider("simulated")
                        .setReasonCode(reasonCode)
                        .setEventTime(at)
                        .build());
        updatedAt = at.isAfter(updatedAt) ? at : updatedAt;
        switch (type) {
            case AUTHORIZED:
                authorized += amount;
                capturable += amount;
                status = "authorized";
                break;
            case CAPTURED:
                captured += amount;
                capturable -= amount;
                status = "captured";
                break;
            case REFUNDED:
                refunded += amount;
                status = refunded >= captured ? "refunded" : "partially_refunded";
                break;
            case CHARGEBACK_OPENED:
                chargedBack += amount;
                status = "charged_back";
                break;
            case CHARGEBACK_WON:
                chargedBack -= amount;
                status = "captured";
                break;
            default:
                break;
        }
        return this;
    }

    /** The payment as the ledger holds it now, with every event so far. */
    PaymentSnapshot snapshot() {
        return PaymentSnapshot.newBuilder()
                .setPaymentId(paymentId)
                .setMerchantId(merchantId)
                .setInstrumentKey(card)
                .setCustomerId(customer)
                .setPaymentMethod(method)
                .setCreatedAt(createdAt)
                .setUpdatedAt(updatedAt)
                .setCapturableUntil(capturable > 0 ? createdAt.plus(Duration.ofDays(7)) : null)
                .setStatus(status)
                .setCurrency(currency)
                .setAuthorized(authorized)
                .setCapturable(capturable)
                .setCaptured(captured)
                .setRefunded(refunded)
                .setChargedBack(chargedBack)
                .setUnderReview(underReview)
                .setEvents(new ArrayList<>(events))
                .build();
    }

    static ConsumerRecord<String, PaymentSnapshot> record(
            int partition, long offset, PaymentSnapshot snapshot) {
        return new ConsumerRecord<>(TOPIC, partition, offset, snapshot.getPaymentId(), snapshot);
    }
}
