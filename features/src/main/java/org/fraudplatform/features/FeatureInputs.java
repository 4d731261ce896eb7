package org.fraudplatform.features;

import java.util.Optional;
import org.fraudplatform.schemas.Customer;
import org.fraudplatform.schemas.FeatureEntity;
import org.fraudplatform.schemas.FeatureUpdate;
import org.fraudplatform.schemas.FeatureUpdateKind;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.money.CurrencyRates;

/**
 * Translates between the event contracts and the feature catalogue's plain inputs, in one place for
 * the topology and the tests that compare it with other paths.
 */
public final class FeatureInputs {

    private FeatureInputs() {}

    /**
     * What the catalogue reads of a request. The customer id is scoped by merchant ({@code
     * merchant/customer}): two merchants' customer 42 are different people. The amount is converted
     * into the reference currency by {@code rates}.
     *
     * @throws IllegalArgumentException when the rates lack the request's currency
     */
    public static FeaturePayment payment(
            PaymentRequest request, String instrumentKey, CurrencyRates rates) {
        Customer c = request.getCustomer();
        String customer =
                c == null || c.getId() == null ? null : request.getMerchantId() + "/" + c.getId();
        String country = null;
        if (c != null) {
            country = c.getCountry() != null ? c.getCountry() : c.getBillingCountry();
        }
        return new FeaturePayment(
                request.getPaymentId(),
                request.getEventTime().toEpochMilli(),
                rates.toReference(request.getAmount(), request.getCurrency()),
                instrumentKey,
                customer,
                c == null ? null : c.getEmailHash(),
                c == null ? null : c.getIp(),
                c == null ? null : c.getDeviceId(),
                request.getMerchantId(),
                country,
                null);
    }

    /**
     * The update that asks {@code entity} to count a payment read from partition {@code
     * replyPartition} of the request log at {@code requestOffset} (null when unknown), and to send
     * back its features.
     */
    public static FeatureUpdate update(
            FeaturePayment p,
            Entity entity,
            String entityKey,
            int replyPartition,
            Long requestOffset) {
        return FeatureUpdate.newBuilder()
                .setKind(FeatureUpdateKind.PAYMENT)
                .setEntity(contract(entity))
                .setEntityKey(entityKey)
                .setPaymentId(p.transactionId())
                .setEventTime(java.time.Instant.ofEpochMilli(p.timeMillis()))
                .setAmount(p.referenceAmount())
                .setCard(p.card())
                .setCustomer(p.customer())
                .setEmail(p.email())
                .setIp(p.ip())
                .setDevice(p.device())
                .setMerchant(p.merchant())
                .setCountry(p.country())
                .setReplyPartition(replyPartition)
                .setRequestOffset(requestOffset)
                .build();
    }

    /**
     * Which request a {@code PAYMENT} update counts: its partition and offset in the request log,
     * or null when the update does not say (older producers).
     */
    public static org.fraudplatform.features.SourcePosition position(FeatureUpdate u) {
        Integer partition = u.getReplyPartition();
        Long offset = u.getRequestOffset();
        return partition == null
                        || offset == null
                        || partition < 0
                        || partition >= org.fraudplatform.features.SourcePosition.MAX_PARTITIONS
                        || offset < 0
                ? null
                : new org.fraudplatform.features.SourcePosition(partition, offset);
    }

    /** The payment a {@code PAYMENT} update carries. */
    public static FeaturePayment payment(FeatureUpdate u) {
        return new FeaturePayment(
                u.getPaymentId(),
                u.getEventTime().toEpochMilli(),
                u.getAmount(),
                u.getCard(),
                u.getCustomer(),
                u.getEmail(),
                u.getIp(),
                u.getDevice(),
                u.getMerchant(),
                u.getCountry(),
                null);
    }

    /** The outcome a {@code DECLINED} or {@code FRAUD} update carries. */
    public static FeatureOutcome outcome(FeatureUpdate u) {
        FeatureOutcome.Kind kind =
                u.getKind() == FeatureUpdateKind.DECLINED
                        ? FeatureOutcome.Kind.DECLINED
                        : FeatureOutcome.Kind.FRAUD;
        String key = u.getEntityKey();
        return new FeatureOutcome(
                u.getPaymentId(),
                kind,
                u.getEventTime().toEpochMilli(),
                kind == FeatureOutcome.Kind.DECLINED ? key : null,
                kind == FeatureOutcome.Kind.FRAUD ? key : null,
                u.getPaymentTime() == null ? null : u.getPaymentTime().toEpochMilli());
    }

    /** The update an outcome becomes: routed to the entity that keeps it. */
    public static FeatureUpdate update(FeatureOutcome o) {
        return FeatureUpdate.newBuilder()
                .setKind(
                        o.kind() == FeatureOutcome.Kind.DECLINED
                                ? FeatureUpdateKind.DECLINED
                                : FeatureUpdateKind.FRAUD)
                .setEntity(contract(o.entity()))
                .setEntityKey(o.entityKey())
                .setPaymentId(o.transactionId())
                .setEventTime(java.time.Instant.ofEpochMilli(o.knownAtMillis()))
                .setPaymentTime(
                        o.paymentTimeMillis() == null
                                ? null
                                : java.time.Instant.ofEpochMilli(o.paymentTimeMillis()))
                .build();
    }

    /**
     * What a ledger event teaches the features: a decline (counted per card from its time on) or a
     * fraud label (a fraud chargeback, a rejected review, a fraud report; counted per merchant from
     * the time it was known). Other events teach nothing.
     */
    public static Optional<FeatureOutcome> outcome(PaymentEvent event) {
        long at = event.getEventTime().toEpochMilli();
        Long paymentTime =
                event.getPaymentTime() == null ? null : event.getPaymentTime().toEpochMilli();
        if (event.getType() == PaymentEventType.DECLINED && event.getInstrumentKey() != null) {
            return Optional.of(
                    new FeatureOutcome(
                            event.getPaymentId(),
                            FeatureOutcome.Kind.DECLINED,
                            at,
                            event.getInstrumentKey(),
                            event.getMerchantId(),
                            paymentTime));
        }
        org.fraudplatform.schemas.Label label = org.fraudplatform.features.FraudLabels.of(event);
        if (label != null && label.getFraud() && event.getMerchantId() != null) {
            return Optional.of(
                    new FeatureOutcome(
                            event.getPaymentId(),
                            FeatureOutcome.Kind.FRAUD,
                            at,
                            event.getInstrumentKey(),
                            event.getMerchantId(),
                            paymentTime));
        }
        return Optional.empty();
    }

    /** Whether a chargeback reason code is one of the fraud codes. */
    public static boolean isFraudReason(String code) {
        return org.fraudplatform.features.ChargebackReasons.isFraud(code);
    }

    public static FeatureEntity contract(Entity entity) {
        return FeatureEntity.valueOf(entity.name());
    }

    /** The catalogue's entity for a contract value; empty for {@code UNKNOWN}. */
    public static Optional<Entity> entity(FeatureEntity entity) {
        if (entity == null || entity == FeatureEntity.UNKNOWN) {
            return Optional.empty();
        }
        return Optional.of(Entity.valueOf(entity.name()));
    }
}
