package org.fraudplatform.providers.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.providers.stripe.StripeConnectorIT.card;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.fraudplatform.providers.ProviderNotice;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.providers.WebhookReceipt;
import org.fraudplatform.providers.http.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stripe's webhook events, from the local Stripe, through the connector's verification. */
class StripeWebhooksIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final FakeStripe stripe = new FakeStripe(() -> T0);
    private final StripeConnector connector =
            new StripeConnector(
                    new StripeSettings(
                            "stripe",
                            stripe.uri(),
                            Secret.of(FakeStripe.SECRET_KEY),
                            Secret.of(FakeStripe.WEBHOOK_SECRET),
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(5),
                            StripeSettings.CaptureMethod.MANUAL));
    private final StripeWebhooks webhooks =
            new StripeWebhooks(
                    "stripe",
                    Secret.of(FakeStripe.WEBHOOK_SECRET),
                    StripeSignature.TOLERANCE,
                    Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC),
                    connector::paymentIdOf);

    StripeWebhooksIT() throws IOException {}

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void shouldOpenAndLoseAChargebackThroughADisputesLife() {
        // given a captured payment with Stripe's card that is always disputed as fraudulent
        ProviderResult authorized =
                await(connector.authorize(card("pay_7", 4_200, "EUR", "4000000000000259")));
        await(connector.capture(authorized.reference(), 4_200, "EUR"));
        FakeStripe.SignedEvent created = stripe.events("charge.dispute.created").get(0);

        // when Stripe tells of the dispute, and later that it was lost
        WebhookReceipt opened = receive(created);
        String disputeId = ((WebhookReceipt.Relay) opened).notice().chargebackId();
        stripe.closeDispute(disputeId, "lost");
        WebhookReceipt lost = receive(stripe.events("charge.dispute.closed").get(0));

        // then the ledger hears of a chargeback opened and lost, for our payment
        assertThat(opened)
                .isEqualTo(
                        new WebhookReceipt.Relay(
                                created.id(),
                                new ProviderNotice(
                                        ProviderNotice.CHARGEBACK_OPENED,
                                        "pay_7",
                                        disputeId,
                                        4_200L,
                                        "fraudulent",
                                        "stripe",
                                        created.id())));
        assertThat(((WebhookReceipt.Relay) lost).notice())
                .extracting(
                        ProviderNotice::type,
                        ProviderNotice::paymentId,
                        ProviderNotice::chargebackId)
                .containsExactly(ProviderNotice.CHARGEBACK_LOST, "pay_7", disputeId);
    }

    @Test
    void shouldWinAChargebackWhenStripeClosesTheDisputeWon() {
        ProviderResult authorized =
                await(connector.authorize(card("pay_8", 1_000, "EUR", "4000000000000259")));
        await(connector.capture(authorized.reference(), 1_000, "EUR"));
        WebhookReceipt opened = receive(stripe.events("charge.dispute.created").get(0));
        stripe.closeDispute(((WebhookReceipt.Relay) opened).notice().chargebackId(), "won");

        WebhookReceipt won = receive(stripe.events("charge.dispute.closed").get(0));

        assertThat(((WebhookReceipt.Relay) won).notice().type())
                .isEqualTo(ProviderNotice.CHARGEBACK_WON);
        assertThat(((WebhookReceipt.Relay) won).notice().reasonCode()).isNull();
    }

    @Test
    void shouldTakeARedeliveredEventOnce() {
        ProviderResult authorized =
                await(connector.authorize(card("pay_9", 1_000, "EUR", "4000000000000259")));
        await(connector.capture(authorized.reference(), 1_000, "EUR"));
        FakeStripe.SignedEvent created = stripe.events("charge.dispute.created").get(0);

        WebhookReceipt first = receive(created);
        WebhookReceipt again = receive(created);

        assertThat(first).isInstanceOf(WebhookReceipt.Relay.class);
        assertThat(again).isEqualTo(new WebhookReceipt.Duplicate(created.id()));
    }

    @Test
    void shouldAcknowledgeWithoutANoticeWhatTheLedgerStartedItself() {
        ProviderResult authorized =
                await(connector.authorize(card("pay_1", 1_000, "EUR", "4242424242424242")));
        await(connector.capture(authorized.reference(), 1_000, "EUR"));
        await(connector.refund(authorized.reference(), 400, "EUR", "ref-1"));

        assertThat(stripe.events())
                .extracting(FakeStripe.SignedEvent::type)
                .containsExactly(
                        "payment_intent.amount_capturable_updated",
                        "payment_intent.succeeded",
                        "charge.refunded");
        assertThat(stripe.events())
                .allSatisfy(
                        e ->
                                assertThat(receive(e))
                                        .isInstanceOf(WebhookReceipt.Acknowledged.class));
    }

    @Test
    void shouldRefuseAnEventWhoseSignatureDoesNotMatch() {
        ProviderResult authorized =
                await(connector.authorize(card("pay_7", 4_200, "EUR", "4000000000000259")));
        await(connector.capture(authorized.reference(), 4_200, "EUR"));
        FakeStripe.SignedEvent created = stripe.events("charge.dispute.created").get(0);
        byte[] forged =
                new String(created.payload(), StandardCharsets.UTF_8)
                        .replace("4200", "9999")
                        .getBytes(StandardCharsets.UTF_8);

        WebhookReceipt receipt = receive(created.header(), forged);

        assertThat(receipt).isInstanceOf(WebhookReceipt.Refused.class);
    }

    @Test
    void shouldRefuseAnEventReplayedAfterTheTolerance() {
        ProviderResult authorized =
                await(connector.authorize(card("pay_7", 4_200, "EUR", "4000000000000259")));
        await(connector.capture(authorized.reference(), 4_200, "EUR"));
        FakeStripe.SignedEvent created = stripe.events("charge.dispute.created").get(0);
        StripeWebhooks later =
                new StripeWebhooks(
                        "stripe",
                        Secret.of(FakeStripe.WEBHOOK_SECRET),
                        StripeSignature.TOLERANCE,
                        Clock.fixed(T0.plus(Duration.ofMinutes(6)), ZoneOffset.UTC),
                        connector::paymentIdOf);

        WebhookReceipt receipt = await(later.receive(created.header(), created.payload()));

        assertThat(receipt).isInstanceOf(WebhookReceipt.Refused.class);
        assertThat(((WebhookReceipt.Refused) receipt).reason()).contains("away from now");
    }

    private WebhookReceipt receive(FakeStripe.SignedEvent event) {
        return receive(event.header(), event.payload());
    }

    private WebhookReceipt receive(String header, byte[] payload) {
        return await(webhooks.receive(header, payload));
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
