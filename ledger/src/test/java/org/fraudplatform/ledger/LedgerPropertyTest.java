package org.fraudplatform.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentMethodType;

/**
 * Random, duplicated and out-of-place commands thrown at the ledger fold: every invariant holds
 * after every step, a refused command changes nothing, a repeated operation changes nothing, the
 * state rebuilt from the events is the state, and the balances equal the literal sums of history.
 */
class LedgerPropertyTest {

    private static final Duration VALIDITY = Duration.ofDays(7);
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @Property(tries = 200)
    void theLedgerKeepsEveryInvariantUnderAnyCommands(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int payments) {
        Random r = new Random(seed);
        List<PaymentEvent> history = new ArrayList<>();
        Balances balances = new Balances();
        for (int p = 0; p < payments; p++) {
            // a third are bank transfers: pending until they settle (or a notice is refused)
            PaymentEvent authorized =
                    r.nextInt(3) == 0 ? transfer("pay_" + p, r) : authorization("pay_" + p, r);
            PaymentState state = PaymentState.empty();
            state.apply(authorized);
            balances.apply(authorized);
            history.add(authorized);
            List<PaymentEvent> own = new ArrayList<>(List.of(authorized));
            List<LedgerCommand> sent = new ArrayList<>();
            Instant now = T0;
            for (int step = 0; step < 40; step++) {
                now = now.plus(Duration.ofHours(r.nextInt(r.nextInt(10) == 0 ? 200 : 12)));
                LedgerCommand command =
                        !sent.isEmpty() && r.nextInt(5) == 0
                                ? sent.get(r.nextInt(sent.size()))
                                : command(r, state, own);
                sent.add(command);
                long[] before = amounts(state);
                PaymentState.Decision d = state.decide(command, now, VALIDITY);
                if (d instanceof PaymentState.Decision.Accepted a) {
                    for (PaymentEvent e : a.events()) {
                        assertThat(state.apply(e)).as("a new event folds in").isTrue();
                        balances.apply(e);
                        history.add(e);
                        own.add(e);
                    }
                    assertThat(state.violations()).as("after %s", command).isEmpty();
                    assertThat(state.decide(command, now, VALIDITY))
                            .as("the same operation again")
                            .isInstanceOf(PaymentState.Decision.Duplicate.class);
                } else {
                    assertThat(amounts(state)).as("%s changes nothing", d).containsExactly(before);
                }
            }
            // duplicated delivery of every event changes nothing
            long[] after = amounts(state);
            own.forEach(e -> assertThat(state.apply(e)).isFalse());
            assertThat(amounts(state)).containsExactly(after);
            // the state is the fold of its history
            assertThat(amounts(PaymentState.of(own))).containsExactly(after);
            assertThat(state.captured()).isLessThanOrEqualTo(state.authorized());
            assertThat(state.refunded() + state.chargedBack())
                    .isLessThanOrEqualTo(state.captured());
        }
        assertThat(balances.all()).isEqualTo(literalSums(history));
    }

    private static long[] amounts(PaymentState s) {
        return new long[] {
            s.authorized(), s.captured(), s.refunded(), s.chargedBack(), s.authorization().ordinal()
        };
    }

    /** Balances by their definition: sums of event amounts by type, per merchant and currency. */
    private static Map<String, Balances.Totals> literalSums(List<PaymentEvent> history) {
        Map<String, long[]> sums = new HashMap<>();
        for (PaymentEvent e : history) {
            long[] t =
                    sums.computeIfAbsent(
                            e.getMerchantId() + "/" + e.getCurrency(), k -> new long[4]);
            switch (e.getType()) {
                case AUTHORIZED -> t[0] += e.getAmount();
                case SETTLED -> {
                    t[0] += e.getAmount();
                    t[1] += e.getAmount();
                }
                case CAPTURED -> t[1] += e.getAmount();
                case REFUNDED, RETURNED -> t[2] += e.getAmount();
                case CHARGEBACK_OPENED -> t[3] += e.getAmount();
                case CHARGEBACK_WON -> t[3] -= e.getAmount();
                default -> {}
            }
        }
        Map<String, Balances.Totals> out = new HashMap<>();
        // a merchant whose payments never moved money (transfers still pending) has no balance
        sums.forEach(
                (k, t) -> {
                    if (t[0] != 0 || t[1] != 0 || t[2] != 0 || t[3] != 0) {
                        out.put(k, new Balances.Totals(t[0], t[1], t[2], t[3]));
                    }
                });
        return out;
    }

    private static LedgerCommand command(Random r, PaymentState s, List<PaymentEvent> own) {
        String op = "op_" + r.nextInt(1_000_000);
        long authorized = s.authorized();
        long amount = 1 + r.nextInt((int) Math.max(1, authorized / (1 + r.nextInt(4))));
        switch (r.nextInt(6)) {
            // amounts at the edges, where an off-by-one would show
            case 0 -> amount = Math.max(1, authorized - s.captured() + r.nextInt(2));
            case 1 -> amount = Math.max(1, s.available() + r.nextInt(2));
            default -> {}
        }
        if (r.nextInt(12) == 0) {
            amount = -amount; // nonsense amounts are refused, not applied
        }
        List<String> chargebacks =
                own.stream()
                        .filter(e -> e.getType() == PaymentEventType.CHARGEBACK_OPENED)
                        .map(PaymentEvent::getOperationId)
                        .toList();
        PaymentEvent first = own.get(0);
        if (r.nextInt(5) == 0) {
            // a provider's notice: settled for the amount sent or another, or money returned
            long sent = first.getType() == PaymentEventType.PENDING ? first.getAmount() : amount;
            boolean settled = r.nextBoolean();
            return new LedgerCommand.Record(
                    PaymentEvent.newBuilder(first)
                            .setEventId(first.getPaymentId() + (settled ? ":settled" : ":" + op))
                            .setType(settled ? PaymentEventType.SETTLED : PaymentEventType.RETURNED)
                            .setAmount(settled && r.nextInt(3) > 0 ? sent : amount)
                            .setEventTime(T0)
                            .build());
        }
        return switch (r.nextInt(8)) {
            case 0, 1 -> new LedgerCommand.Capture(op, amount);
            case 2 -> new LedgerCommand.Void(op);
            case 3 -> new LedgerCommand.Refund(op, amount);
            case 4 -> new LedgerCommand.OpenChargeback(op, amount, "10.4");
            case 5 ->
                    new LedgerCommand.WinChargeback(
                            chargebacks.isEmpty()
                                    ? "cb_none"
                                    : chargebacks.get(r.nextInt(chargebacks.size())));
            case 6 ->
                    new LedgerCommand.LoseChargeback(
                            chargebacks.isEmpty()
                                    ? "cb_none"
                                    : chargebacks.get(r.nextInt(chargebacks.size())));
            default -> new LedgerCommand.Expire();
        };
    }

    private static PaymentEvent transfer(String paymentId, Random r) {
        return PaymentEvent.newBuilder(authorization(paymentId, r))
                .setEventId(paymentId + ":pending")
                .setType(PaymentEventType.PENDING)
                .setPaymentMethod(PaymentMethodType.BANK_TRANSFER)
                .build();
    }

    private static PaymentEvent authorization(String paymentId, Random r) {
        return PaymentEvent.newBuilder()
                .setEventId(paymentId + ":authorization")
                .setPaymentId(paymentId)
                .setMerchantId("merchant-" + r.nextInt(3))
                .setType(PaymentEventType.AUTHORIZED)
                .setAmount(100 + r.nextInt(100_000))
                .setCurrency(r.nextBoolean() ? "EUR" : "USD")
                .setInstrumentKey("card-" + r.nextInt(5))
                .setPaymentMethod(PaymentMethodType.CARD)
                .setEventTime(T0)
                .build();
    }
}
