package org.fraudplatform.providers.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.providers.stripe.StripeConnectorIT.card;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.providers.http.Secret;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A day's settlement fetched from the local Stripe's balance transactions. */
class StripeSettlementsIT {

    private static final LocalDate DAY = LocalDate.parse("2026-03-02");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final FakeStripe stripe = new FakeStripe(now::get);
    private final StripeConnector connector =
            new StripeConnector(
                    new StripeSettings(
                            "stripe-eu",
                            stripe.uri(),
                            Secret.of(FakeStripe.SECRET_KEY),
                            null,
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(5),
                            StripeSettings.CaptureMethod.MANUAL));
    private final StripeSettlements settlements = new StripeSettlements(connector);

    StripeSettlementsIT() throws IOException {}

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void shouldSettleTheDaysCapturesAndRefundsUnderTheLedgersIds() {
        // given a capture and a partial refund on the day
        String pi = authorized("pay_1", 2_500);
        await(connector.capture(pi, 2_500, "EUR", "cap-1"));
        now.set(T0.plusSeconds(60));
        await(connector.refund(pi, 1_000, "EUR", "ref-1"));

        // when the day is fetched
        StripeSettlements.Day day = await(settlements.fetch(DAY));

        // then one row per movement, named as the ledger names it, and nothing else
        assertThat(day.rows())
                .containsExactly(
                        new Row(
                                "stripe-eu",
                                DAY,
                                "capture",
                                "pay_1",
                                "cap-1",
                                stripe.intent(pi).path("latest_charge").asText(),
                                2_500,
                                "EUR",
                                60,
                                T0),
                        new Row(
                                "stripe-eu",
                                DAY,
                                "refund",
                                "pay_1",
                                "ref-1",
                                stripe.refunds().get(0).path("id").asText(),
                                1_000,
                                "EUR",
                                0,
                                T0.plusSeconds(60)));
        assertThat(day.notOurs()).isZero();
    }

    @Test
    void shouldLeaveOutOtherDaysAndMovementsThePlatformDidNotOrder() {
        now.set(T0.minus(Duration.ofDays(1)));
        await(connector.capture(authorized("pay_yesterday", 1_000), 1_000, "EUR", "cap"));
        now.set(T0);
        await(connector.capture(authorized("pay_today", 1_000), 1_000, "EUR", "cap"));
        stripe.bookElsewhere("payout", -5_000, "eur");
        stripe.bookElsewhere("charge", 700, "eur");

        StripeSettlements.Day day = await(settlements.fetch(DAY));

        assertThat(day.rows()).extracting(Row::paymentId).containsExactly("pay_today");
        assertThat(day.notOurs()).isEqualTo(1);
    }

    @Test
    void shouldFollowStripesPagesToTheEndOfTheDay() {
        for (int i = 0; i < 130; i++) {
            now.set(T0.plusSeconds(i));
            String pi = authorized("pay_" + i, 100 + i);
            await(connector.capture(pi, 100 + i, "EUR", "cap"));
        }

        StripeSettlements.Day day = await(settlements.fetch(DAY));

        assertThat(day.rows()).hasSize(130);
        assertThat(day.rows()).extracting(Row::itemId).doesNotHaveDuplicates();
        assertThat(stripe.calls("GET /v1/balance_transactions")).isEqualTo(2);
    }

    @Test
    void shouldWriteTheSameReportWhenTheDayIsFetchedAgain() {
        String pi = authorized("pay_1", 2_500);
        await(connector.capture(pi, 2_500, "EUR", "cap-1"));

        byte[] first =
                SettlementReportFile.toCsv(await(settlements.fetch(DAY)).rows())
                        .getBytes(StandardCharsets.UTF_8);
        byte[] again =
                SettlementReportFile.toCsv(await(settlements.fetch(DAY)).rows())
                        .getBytes(StandardCharsets.UTF_8);

        assertThat(SettlementReportFile.hash(again)).isEqualTo(SettlementReportFile.hash(first));
        assertThat(SettlementReportFile.parse("stripe-eu-2026-03-02.csv", first, T0).quarantined())
                .isEmpty();
    }

    private String authorized(String paymentId, long amount) {
        ProviderResult result =
                await(connector.authorize(card(paymentId, amount, "EUR", "4242424242424242")));
        return result.reference();
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
