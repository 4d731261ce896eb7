package org.fraudplatform.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentMethodType;
import org.junit.jupiter.api.Test;

class PaymentStateTest {

    private static final Duration WEEK = Duration.ofDays(7);
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private final PaymentState state = PaymentState.of(List.of(authorized(100_00)));

    private PaymentState.Decision decide(LedgerCommand c, Instant at) {
        PaymentState.Decision d = state.decide(c, at, WEEK);
        if (d instanceof PaymentState.Decision.Accepted a) {
            a.events().forEach(state::apply);
        }
        return d;
    }

    private static Invariant refusal(PaymentState.Decision d) {
        assertThat(d).isInstanceOf(PaymentState.Decision.Refused.class);
        return ((PaymentState.Decision.Refused) d).invariant();
    }

    @Test
    void shouldCaptureInPartsUpToTheAuthorizedAmount() {
        assertThat(decide(new LedgerCommand.Capture("c1", 60_00), T0.plusSeconds(60)))
                .isInstanceOf(PaymentState.Decision.Accepted.class);
        assertThat(decide(new LedgerCommand.Capture("c2", 40_00), T0.plusSeconds(120)))
                .isInstanceOf(PaymentState.Decision.Accepted.class);

        assertThat(refusal(decide(new LedgerCommand.Capture("c3", 1), T0.plusSeconds(180))))
                .isEqualTo(Invariant.CAPTURE_EXCEEDS_AUTHORIZED);
        assertThat(state.captured()).isEqualTo(100_00);
    }

    @Test
    void shouldRefuseACaptureOnceTheAuthorizationExpired() {
        assertThat(refusal(decide(new LedgerCommand.Capture("c1", 10_00), T0.plus(WEEK))))
                .isEqualTo(Invariant.AUTHORIZATION_EXPIRED);
        assertThat(state.capturable(T0.plus(WEEK), WEEK)).isZero();
    }

    @Test
    void shouldReleaseWhatWasNotCapturedWhenTheAuthorizationExpires() {
        decide(new LedgerCommand.Capture("c1", 30_00), T0.plusSeconds(60));

        PaymentState.Decision d = decide(new LedgerCommand.Expire(), T0.plus(WEEK));

        PaymentEvent released = ((PaymentState.Decision.Accepted) d).events().get(0);
        assertThat(released.getType()).isEqualTo(PaymentEventType.EXPIRED);
        assertThat(released.getAmount()).isEqualTo(70_00);
        assertThat(state.authorization()).isEqualTo(PaymentState.Authorization.EXPIRED);
    }

    @Test
    void shouldVoidOnlyBeforeAnyCapture() {
        decide(new LedgerCommand.Capture("c1", 10_00), T0.plusSeconds(60));

        assertThat(refusal(decide(new LedgerCommand.Void("v1"), T0.plusSeconds(120))))
                .isEqualTo(Invariant.VOID_AFTER_CAPTURE);
    }

    @Test
    void shouldRefundNoMoreThanWasCapturedAndNotChargedBack() {
        decide(new LedgerCommand.Capture("c1", 50_00), T0.plusSeconds(60));
        decide(new LedgerCommand.OpenChargeback("cb1", 20_00, "10.4"), T0.plus(Duration.ofDays(9)));

        assertThat(
                        refusal(
                                decide(
                                        new LedgerCommand.Refund("r1", 30_01),
                                        T0.plus(Duration.ofDays(10)))))
                .isEqualTo(Invariant.REFUND_EXCEEDS_CAPTURED);
        assertThat(decide(new LedgerCommand.Refund("r2", 30_00), T0.plus(Duration.ofDays(10))))
                .isInstanceOf(PaymentState.Decision.Accepted.class);
    }

    @Test
    void shouldGiveTheMoneyBackWhenTheMerchantWinsTheChargeback() {
        decide(new LedgerCommand.Capture("c1", 50_00), T0.plusSeconds(60));
        decide(new LedgerCommand.OpenChargeback("cb1", 50_00, "10.4"), T0.plus(Duration.ofDays(9)));
        assertThat(state.available()).isZero();

        decide(new LedgerCommand.WinChargeback("cb1"), T0.plus(Duration.ofDays(30)));

        assertThat(state.chargedBack()).isZero();
        assertThat(state.available()).isEqualTo(50_00);
        assertThat(
                        refusal(
                                decide(
                                        new LedgerCommand.LoseChargeback("cb2"),
                                        T0.plus(Duration.ofDays(31)))))
                .isEqualTo(Invariant.CHARGEBACK_NOT_OPEN);
    }

    @Test
    void shouldRecogniseARepeatedOperationAndRefuseAReusedId() {
        decide(new LedgerCommand.Capture("c1", 10_00), T0.plusSeconds(60));

        assertThat(decide(new LedgerCommand.Capture("c1", 10_00), T0.plusSeconds(61)))
                .isInstanceOf(PaymentState.Decision.Duplicate.class);
        assertThat(refusal(decide(new LedgerCommand.Capture("c1", 20_00), T0.plusSeconds(62))))
                .isEqualTo(Invariant.OPERATION_REUSED);
        assertThat(state.captured()).isEqualTo(10_00);
    }

    @Test
    void shouldActOnNothingThatWasNeverAuthorized() {
        PaymentState none = PaymentState.empty();

        assertThat(refusal(none.decide(new LedgerCommand.Capture("c1", 1), T0, WEEK)))
                .isEqualTo(Invariant.NOT_AUTHORIZED);
    }

    @Test
    void shouldKeepAPaymentPendingFromItsIntentToAuthorizeUntilTheOutcomeIsRecorded() {
        PaymentState p = PaymentState.empty();
        PaymentEvent intent = fact("pay_2:authorizing", PaymentEventType.AUTHORIZING, 50_00);

        assertThat(p.decide(new LedgerCommand.Record(intent), T0, WEEK))
                .isInstanceOf(PaymentState.Decision.Accepted.class);
        p.apply(intent);
        assertThat(p.status()).isEqualTo("pending");
        assertThat(p.requested()).isEqualTo(50_00);
        // a second intent (a retried command) is the same fact
        assertThat(
                        p.decide(
                                new LedgerCommand.Record(
                                        fact("pay_2:again", PaymentEventType.AUTHORIZING, 50_00)),
                                T0,
                                WEEK))
                .isInstanceOf(PaymentState.Decision.Duplicate.class);
        // the provider's timeout is recorded as pending too, with its code
        PaymentEvent timedOut = fact("pay_2:pending", PaymentEventType.PENDING, 50_00);
        assertThat(p.decide(new LedgerCommand.Record(timedOut), T0, WEEK))
                .isInstanceOf(PaymentState.Decision.Accepted.class);
        p.apply(timedOut);

        PaymentEvent outcome = fact("pay_2:authorized", PaymentEventType.AUTHORIZED, 50_00);
        assertThat(p.decide(new LedgerCommand.Record(outcome), T0, WEEK))
                .isInstanceOf(PaymentState.Decision.Accepted.class);
        p.apply(outcome);
        assertThat(p.status()).isEqualTo("authorized");
        assertThat(
                        refusal(
                                p.decide(
                                        new LedgerCommand.Record(
                                                fact("pay_2:late", PaymentEventType.FAILED, 50_00)),
                                        T0,
                                        WEEK)))
                .isEqualTo(Invariant.ALREADY_AUTHORIZED);
    }

    @Test
    void shouldSettleOnlyAPendingBankTransferAndOnlyForTheAmountSent() {
        PaymentState card = PaymentState.empty();
        card.apply(fact("pay_3:pending", PaymentEventType.PENDING, 70_00));
        assertThat(
                        refusal(
                                card.decide(
                                        new LedgerCommand.Record(
                                                fact(
                                                        "pay_3:settled",
                                                        PaymentEventType.SETTLED,
                                                        70_00)),
                                        T0,
                                        WEEK)))
                .isEqualTo(Invariant.TRANSFER_NOT_PENDING);

        PaymentState transfer = PaymentState.empty();
        transfer.apply(transfer("pay_4:pending", PaymentEventType.PENDING, 70_00));
        assertThat(
                        refusal(
                                transfer.decide(
                                        new LedgerCommand.Record(
                                                transfer(
                                                        "pay_4:settled",
                                                        PaymentEventType.SETTLED,
                                                        1_000_00)),
                                        T0,
                                        WEEK)))
                .isEqualTo(Invariant.SETTLEMENT_AMOUNT_MISMATCH);
        assertThat(
                        transfer.decide(
                                new LedgerCommand.Record(
                                        transfer("pay_4:settled", PaymentEventType.SETTLED, 70_00)),
                                T0,
                                WEEK))
                .isInstanceOf(PaymentState.Decision.Accepted.class);
    }

    private static PaymentEvent fact(String id, PaymentEventType type, long amount) {
        return PaymentEvent.newBuilder(authorized(amount))
                .setEventId(id)
                .setPaymentId(id.substring(0, id.indexOf(':')))
                .setType(type)
                .build();
    }

    private static PaymentEvent transfer(String id, PaymentEventType type, long amount) {
        return PaymentEvent.newBuilder(fact(id, type, amount))
                .setPaymentMethod(PaymentMethodType.BANK_TRANSFER)
                .build();
    }

    private static PaymentEvent authorized(long amount) {
        return PaymentEvent.newBuilder()
                .setEventId("pay_1:authorization")
                .setPaymentId("pay_1")
                .setMerchantId("merchant-1")
                .setType(PaymentEventType.AUTHORIZED)
                .setAmount(amount)
                .setCurrency("EUR")
                .setInstrumentKey("card-A")
                .setPaymentMethod(PaymentMethodType.CARD)
                .setEventTime(T0)
                .build();
    }
}
