package org.fraudplatform.providers.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fraudplatform.providers.AuthorizationCall;
import org.fraudplatform.providers.ProviderNotice;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.providers.ProviderResult.Outcome;
import org.fraudplatform.providers.RoutingProvider;
import org.fraudplatform.providers.SimulatedProvider;
import org.fraudplatform.providers.WebhookReceipt;
import org.fraudplatform.providers.adyen.FakeAdyen;
import org.fraudplatform.providers.stripe.FakeStripe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A platform configured with Stripe and Adyen (the local fakes) beside its simulated providers. */
class ConfiguredRoutingIT {

    private final FakeStripe stripe = new FakeStripe();
    private final FakeAdyen adyen = new FakeAdyen();
    private final SimulatedProvider simulatedA =
            new SimulatedProvider("simulated-a", Duration.ofMillis(1), 0, Duration.ofSeconds(1), 1);
    private final SimulatedProvider simulatedB =
            new SimulatedProvider("simulated-b", Duration.ofMillis(1), 0, Duration.ofSeconds(1), 2);
    private final Map<String, String> env =
            Map.of(
                    "STRIPE_KEY", FakeStripe.SECRET_KEY,
                    "STRIPE_WHSEC", FakeStripe.WEBHOOK_SECRET,
                    "ADYEN_KEY", FakeAdyen.API_KEY,
                    "ADYEN_HMAC", FakeAdyen.HMAC_KEY);

    ConfiguredRoutingIT() throws IOException {}

    @AfterEach
    void stop() {
        stripe.close();
        adyen.close();
        simulatedA.close();
        simulatedB.close();
    }

    @Test
    void shouldSendEachPaymentToTheProviderItsRouteNames() {
        RoutingProvider router = build(stripe.uri().toString()).router();

        ProviderResult eur = await(router.authorize(card("pay_eur", "EUR", "4242424242424242")));
        ProviderResult usd = await(router.authorize(card("pay_usd", "USD", "4111111145551142")));
        ProviderResult bank =
                await(
                        router.authorize(
                                new AuthorizationCall(
                                        "pay_bank",
                                        1_000,
                                        "EUR",
                                        new AuthorizationCall.BankTransferMethod(
                                                "acct_tok", "DE"))));

        assertThat(eur.provider()).isEqualTo("stripe-eu");
        assertThat(usd.provider()).isEqualTo("adyen");
        assertThat(bank.provider()).isEqualTo("simulated-b");
        assertThat(stripe.charges()).isEqualTo(1);
        assertThat(adyen.authorised()).isEqualTo(1);
    }

    @Test
    void shouldCaptureAndRefundAtTheProviderThatAuthorized() {
        RoutingProvider router = build(stripe.uri().toString()).router();
        ProviderResult eur = await(router.authorize(card("pay_eur", "EUR", "4242424242424242")));
        ProviderResult usd = await(router.authorize(card("pay_usd", "USD", "4111111145551142")));

        ProviderResult eurCapture = await(router.capture(eur.reference(), 1_000, "EUR"));
        ProviderResult usdCapture = await(router.capture(usd.reference(), 1_000, "USD"));
        ProviderResult usdRefund = await(router.refund(usd.reference(), 400, "USD", "ref-1"));

        assertThat(eurCapture.provider()).isEqualTo("stripe-eu");
        assertThat(stripe.intents().get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(usdCapture.provider()).isEqualTo("adyen");
        assertThat(usdRefund.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(adyen.payments().get(0).path("refunded").asLong()).isEqualTo(400);
    }

    @Test
    void shouldFailOverToTheNextProviderOnlyWhenStripeCertainlyDidNothing() throws IOException {
        String closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }
        RoutingProvider router = build(closed).router();

        ProviderResult result = await(router.authorize(card("pay_eur", "EUR", "4111111145551142")));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(result.provider()).isEqualTo("adyen");
    }

    @Test
    void shouldNotFailOverWhenStripeMayHaveChargedTheCard() {
        RoutingProvider router = build(stripe.uri().toString(), Duration.ofMillis(300)).router();
        stripe.answerSlowly(Duration.ofMillis(1_500));

        ProviderResult result = await(router.authorize(card("pay_eur", "EUR", "4242424242424242")));

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(adyen.payments()).isEmpty();
    }

    @Test
    void shouldTurnEachProvidersSignedDisputeIntoTheSameKindOfNotice() {
        ProviderConfig.Built built = build(stripe.uri().toString());
        ProviderResult eur =
                await(built.router().authorize(card("pay_eur", "EUR", "4000000000000259")));
        await(built.router().capture(eur.reference(), 1_000, "EUR"));
        ProviderResult usd =
                await(built.router().authorize(card("pay_usd", "USD", "4111111145551142")));
        adyen.dispute(usd.reference(), "CHARGEBACK", "10.4");

        FakeStripe.SignedEvent dispute = stripe.events("charge.dispute.created").get(0);
        List<WebhookReceipt> fromStripe =
                await(
                        built.webhooks()
                                .get("stripe-eu")
                                .receive(
                                        h -> h.equals("Stripe-Signature") ? dispute.header() : null,
                                        dispute.payload()));
        ObjectNode delivery = adyen.notifications("CHARGEBACK").get(0);
        List<WebhookReceipt> fromAdyen =
                await(
                        built.webhooks()
                                .get("adyen")
                                .receive(h -> null, delivery.toString().getBytes()));

        assertThat(List.of(fromStripe.get(0), fromAdyen.get(0)))
                .allSatisfy(r -> assertThat(r).isInstanceOf(WebhookReceipt.Relay.class))
                .extracting(r -> ((WebhookReceipt.Relay) r).notice())
                .extracting(
                        ProviderNotice::type, ProviderNotice::paymentId, ProviderNotice::provider)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                ProviderNotice.CHARGEBACK_OPENED, "pay_eur", "stripe-eu"),
                        org.assertj.core.groups.Tuple.tuple(
                                ProviderNotice.CHARGEBACK_OPENED, "pay_usd", "adyen"));
    }

    @Test
    void shouldFindEachPaymentsStatusAfterARestartWithoutFencingStripeForOthersPayments() {
        RoutingProvider before = build(stripe.uri().toString()).router();
        ProviderResult eur = await(before.authorize(card("pay_eur", "EUR", "4242424242424242")));
        ProviderResult gbp = await(before.authorize(card("pay_gbp", "GBP", "4242424242424242")));
        RoutingProvider after = build(stripe.uri().toString()).router();

        ProviderResult eurStatus = await(after.status("pay_eur"));
        ProviderResult gbpStatus = await(after.status("pay_gbp"));
        ProviderResult never = await(after.status("pay_never"));

        assertThat(eurStatus)
                .extracting(
                        ProviderResult::outcome,
                        ProviderResult::provider,
                        ProviderResult::reference)
                .containsExactly(Outcome.APPROVED, "stripe-eu", eur.reference());
        assertThat(gbpStatus)
                .extracting(
                        ProviderResult::outcome,
                        ProviderResult::provider,
                        ProviderResult::reference)
                .containsExactly(Outcome.APPROVED, "simulated-a", gbp.reference());
        assertThat(never.outcome())
                .as("Adyen cannot say it never saw a payment")
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(stripe.intents())
                .as("the payment of a simulated provider spent no key at Stripe")
                .filteredOn(i -> i.path("metadata").path("fence_for").asText().equals("pay_gbp"))
                .isEmpty();
    }

    private ProviderConfig.Built build(String stripeUri) {
        return build(stripeUri, Duration.ofSeconds(5));
    }

    private ProviderConfig.Built build(String stripeUri, Duration callTimeout) {
        ProviderConfig config =
                ProviderConfig.parse(
                        List.of(
                                "provider.stripe-eu.type = stripe",
                                "provider.stripe-eu.base-uri = " + stripeUri,
                                "provider.stripe-eu.secret-key = env:STRIPE_KEY",
                                "provider.stripe-eu.webhook-secret = env:STRIPE_WHSEC",
                                "provider.adyen.type = adyen",
                                "provider.adyen.base-uri = " + adyen.uri(),
                                "provider.adyen.api-key = env:ADYEN_KEY",
                                "provider.adyen.merchant-account = " + FakeAdyen.MERCHANT,
                                "provider.adyen.hmac-key = env:ADYEN_HMAC",
                                "route = card EUR -> stripe-eu, adyen",
                                "route = bank_transfer * -> simulated-b",
                                "route = card GBP -> simulated-a",
                                "route = * * -> adyen, simulated-a"),
                        "providers.conf");
        return config.build(List.of(simulatedA, simulatedB), callTimeout, env, Clock.systemUTC());
    }

    private static AuthorizationCall card(String paymentId, String currency, String number) {
        return new AuthorizationCall(
                paymentId, 1_000, currency, new AuthorizationCall.CardMethod(number, 3, 2030));
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
