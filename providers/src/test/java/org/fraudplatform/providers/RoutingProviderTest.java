package org.fraudplatform.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.providers.SimulatedProviderTest.await;
import static org.fraudplatform.providers.SimulatedProviderTest.card;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fraudplatform.providers.JournalEntry.Operation;
import org.fraudplatform.providers.ProviderResult.Outcome;
import org.fraudplatform.providers.RoutingProvider.MethodKind;
import org.fraudplatform.providers.RoutingProvider.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingProviderTest {

    private static final String CARD = "4242424242424242";
    private static final CircuitBreaker.Settings BREAKER =
            new CircuitBreaker.Settings(3, Duration.ofSeconds(30));

    @TempDir Path folder;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    private final SimulatedProvider a = SimulatedProviderTest.simulator("a", null);
    private final SimulatedProvider b = SimulatedProviderTest.simulator("b", null);
    private final RoutingProvider router = router(RoutingProvider.defaultRoutes("a", "b"));

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private RoutingProvider router(List<Route> routes) {
        return new RoutingProvider(List.of(a, b), routes, BREAKER, clock);
    }

    private static AuthorizationCall bankTransfer(String paymentId) {
        return new AuthorizationCall(
                paymentId, 50_00, "EUR", new AuthorizationCall.BankTransferMethod("acct-1", "DE"));
    }

    private static AuthorizationCall usdCard(String paymentId) {
        return new AuthorizationCall(
                paymentId, 10_00, "USD", new AuthorizationCall.CardMethod(CARD, 12, 2030));
    }

    @Test
    void shouldBeNamedRouterAndAnswerWithTheNameOfTheProviderThatDecided() throws Exception {
        ProviderResult result = await(router.authorize(card("pay_1", CARD)));

        assertThat(router.name()).isEqualTo("router");
        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(result.provider()).isEqualTo("a");
    }

    @Test
    void shouldSendBankTransfersToTheSecondProviderAndEuroCardsToTheFirst() throws Exception {
        ProviderResult transfer = await(router.authorize(bankTransfer("pay_bt")));
        ProviderResult euroCard = await(router.authorize(card("pay_eur", CARD)));

        assertThat(transfer.provider()).isEqualTo("b");
        assertThat(transfer.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(euroCard.provider()).isEqualTo("a");
    }

    @Test
    void shouldRouteByCurrencyWithTheFirstMatchingRouteOfItsTable() throws Exception {
        RoutingProvider byCurrency =
                router(
                        List.of(
                                Route.of(MethodKind.CARD, "USD", "b", "a"),
                                Route.of(null, null, "a", "b")));

        assertThat(await(byCurrency.authorize(usdCard("pay_usd"))).provider()).isEqualTo("b");
        assertThat(await(byCurrency.authorize(card("pay_eur", CARD))).provider()).isEqualTo("a");
    }

    @Test
    void shouldRouteByThePayersCountryAndSendAPaymentOfNoKnownCountryToTheRoutesForAny()
            throws Exception {
        RoutingProvider byCountry =
                router(
                        List.of(
                                new Route(MethodKind.CARD, "EUR", "de", List.of("b", "a")),
                                Route.of(null, null, "a", "b")));

        ProviderResult german = await(byCountry.authorize(euroCardFrom("pay_de", "DE")));
        ProviderResult french = await(byCountry.authorize(euroCardFrom("pay_fr", "fr")));
        ProviderResult unknown = await(byCountry.authorize(euroCardFrom("pay_none", null)));

        assertThat(german.provider()).isEqualTo("b");
        assertThat(french.provider()).isEqualTo("a");
        assertThat(unknown.provider()).isEqualTo("a");
    }

    private static AuthorizationCall euroCardFrom(String paymentId, String country) {
        return new AuthorizationCall(
                paymentId, 10_00, "EUR", new AuthorizationCall.CardMethod(CARD, 12, 2030), country);
    }

    @Test
    void shouldFailOverToTheNextProviderWhenTheFirstIsUnavailable() throws Exception {
        a.setAvailable(false);

        ProviderResult result = await(router.authorize(card("pay_f", CARD)));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(result.provider()).isEqualTo("b");
        assertThat(a.journal()).isEmpty();
        assertThat(b.journal()).extracting(JournalEntry::paymentId).containsExactly("pay_f");
    }

    @Test
    void shouldAnswerUnavailableWhenEveryProviderOfTheRouteIsDown() throws Exception {
        a.setAvailable(false);
        b.setAvailable(false);

        ProviderResult result = await(router.authorize(card("pay_down", CARD)));

        assertThat(result.isUnavailable()).isTrue();
        assertThat(a.journal()).isEmpty();
        assertThat(b.journal()).isEmpty();
    }

    @Test
    void shouldNeverFailOverAnUnknownAnswerBecauseTheFirstProviderMayHaveAuthorized()
            throws Exception {
        ProviderResult result = await(router.authorize(card("pay_t", SimulatedProvider.TIMEOUT)));
        ProviderResult status = await(router.status("pay_t"));
        ProviderResult again = await(router.authorize(card("pay_t", SimulatedProvider.TIMEOUT)));

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.provider()).isEqualTo("a");
        assertThat(b.journal()).isEmpty();
        assertThat(status.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(status.provider()).isEqualTo("a");
        assertThat(again.reference()).isEqualTo(status.reference());
        assertThat(a.journal()).hasSize(1);
    }

    @Test
    void shouldNeverFailOverADeclineOrAnErrorOtherThanUnavailability() throws Exception {
        ProviderResult declined =
                await(router.authorize(card("pay_d", SimulatedProvider.DECLINE_GENERIC)));
        ProviderResult failed =
                await(router.authorize(card("pay_e", SimulatedProvider.PROCESSING_ERROR)));

        assertThat(declined.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(failed.code()).isEqualTo("processing_error");
        assertThat(b.journal()).isEmpty();
    }

    @Test
    void shouldSendARepeatedAuthorizationToTheProviderThatSawThePayment() throws Exception {
        a.setAvailable(false);
        ProviderResult first = await(router.authorize(card("pay_r", CARD)));
        a.setAvailable(true);

        ProviderResult again = await(router.authorize(card("pay_r", CARD)));

        assertThat(again).isEqualTo(first);
        assertThat(a.journal()).isEmpty();
        assertThat(b.journal()).hasSize(1);
    }

    @Test
    void shouldOpenTheCircuitAfterThresholdFailuresAndHalfOpenAfterTheCoolDown() throws Exception {
        a.setAvailable(false);
        for (int i = 0; i < 3; i++) {
            assertThat(router.circuit("a")).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(await(router.authorize(card("pay_" + i, CARD))).provider()).isEqualTo("b");
        }
        assertThat(router.circuit("a")).isEqualTo(CircuitBreaker.State.OPEN);

        a.setAvailable(true);
        assertThat(await(router.authorize(card("pay_skipped", CARD))).provider()).isEqualTo("b");
        assertThat(a.journal()).isEmpty();

        clock.advance(Duration.ofSeconds(30));
        assertThat(router.circuit("a")).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(await(router.authorize(card("pay_trial", CARD))).provider()).isEqualTo("a");
        assertThat(router.circuit("a")).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldOpenTheCircuitAgainWhenTheHalfOpenTrialFails() throws Exception {
        a.setAvailable(false);
        for (int i = 0; i < 3; i++) {
            await(router.authorize(card("pay_" + i, CARD)));
        }
        clock.advance(Duration.ofSeconds(30));

        ProviderResult trial = await(router.authorize(card("pay_trial", CARD)));

        assertThat(trial.provider()).isEqualTo("b");
        assertThat(router.circuit("a")).isEqualTo(CircuitBreaker.State.OPEN);
        clock.advance(Duration.ofSeconds(29));
        assertThat(router.circuit("a")).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void shouldAnswerUnavailableAtOnceForAFollowUpToAProviderWhoseCircuitIsOpen() throws Exception {
        String reference = await(router.authorize(card("pay_open", CARD))).reference();
        a.setAvailable(false);
        for (int i = 0; i < 3; i++) {
            await(router.authorize(card("pay_" + i, CARD)));
        }
        a.setAvailable(true);

        ProviderResult capture = await(router.capture(reference, 10_00, "EUR", "cap"));

        assertThat(capture.isUnavailable()).isTrue();
        assertThat(capture.provider()).isEqualTo("a");
        assertThat(a.journal()).hasSize(1);
    }

    @Test
    void shouldSendFollowUpsToTheProviderThatAuthorizedOncePerOperationId() throws Exception {
        a.setAvailable(false);
        String reference = await(router.authorize(card("pay_b", CARD))).reference();
        String other = await(router.authorize(card("pay_v", CARD))).reference();
        a.setAvailable(true);

        ProviderResult capture = await(router.capture(reference, 10_00, "EUR", "cap"));
        ProviderResult captureAgain = await(router.capture(reference, 10_00, "EUR", "cap"));
        ProviderResult refund = await(router.refund(reference, 2_00, "EUR", "ref"));
        ProviderResult refundAgain = await(router.refund(reference, 2_00, "EUR", "ref"));
        ProviderResult voided = await(router.voidAuthorization(other, "void"));
        ProviderResult voidedAgain = await(router.voidAuthorization(other, "void"));

        assertThat(List.of(capture, refund, voided))
                .allSatisfy(
                        r -> {
                            assertThat(r.outcome()).isEqualTo(Outcome.APPROVED);
                            assertThat(r.provider()).isEqualTo("b");
                        });
        assertThat(captureAgain).isEqualTo(capture);
        assertThat(refundAgain).isEqualTo(refund);
        assertThat(voidedAgain).isEqualTo(voided);
        assertThat(a.journal()).isEmpty();
        assertThat(b.journal())
                .extracting(JournalEntry::operation)
                .containsExactly(
                        Operation.AUTHORIZE,
                        Operation.AUTHORIZE,
                        Operation.CAPTURE,
                        Operation.REFUND,
                        Operation.VOID);
    }

    @Test
    void shouldFindTheProviderThatAuthorizedAfterARestartByAskingItsProvidersInTurn()
            throws Exception {
        try (SimulatedProvider journaledA = SimulatedProviderTest.simulator("a", folder);
                SimulatedProvider journaledB = SimulatedProviderTest.simulator("b", folder)) {
            journaledA.setAvailable(false);
            RoutingProvider before =
                    new RoutingProvider(
                            List.of(journaledA, journaledB),
                            RoutingProvider.defaultRoutes("a", "b"),
                            BREAKER,
                            clock);
            assertThat(await(before.authorize(card("pay_x", CARD))).provider()).isEqualTo("b");
            journaledA.setAvailable(true);
        }
        try (SimulatedProvider restartedA = SimulatedProviderTest.simulator("a", folder);
                SimulatedProvider restartedB = SimulatedProviderTest.simulator("b", folder)) {
            RoutingProvider after =
                    new RoutingProvider(
                            List.of(restartedA, restartedB),
                            RoutingProvider.defaultRoutes("a", "b"),
                            BREAKER,
                            clock);

            ProviderResult status = await(after.status("pay_x"));
            ProviderResult capture = await(after.capture(status.reference(), 10_00, "EUR", "cap"));
            ProviderResult unknown = await(after.capture("sim_nothing", 10_00, "EUR", "cap"));
            ProviderResult unseen = await(after.status("pay_never"));

            assertThat(status.outcome()).isEqualTo(Outcome.APPROVED);
            assertThat(status.provider()).isEqualTo("b");
            assertThat(capture.outcome()).isEqualTo(Outcome.APPROVED);
            assertThat(capture.provider()).isEqualTo("b");
            assertThat(unknown.code()).isEqualTo(ProviderResult.UNKNOWN_REFERENCE);
            assertThat(unseen.outcome()).isEqualTo(Outcome.NOT_FOUND);
            assertThat(restartedA.journal()).isEmpty();
        }
    }

    @Test
    void shouldAnswerUnavailableRatherThanNotFoundWhenTheProviderThatMayKnowIsDown()
            throws Exception {
        String reference = await(router.authorize(card("pay_a", CARD))).reference();
        RoutingProvider restarted = router(RoutingProvider.defaultRoutes("a", "b"));
        a.setAvailable(false);

        assertThat(await(restarted.status("pay_a")).isUnavailable()).isTrue();
        assertThat(await(restarted.refund(reference, 1_00, "EUR", "r")).isUnavailable()).isTrue();
    }

    @Test
    void shouldAskTheOtherProvidersForAStatusWhenOneCannotTell() throws Exception {
        PaymentProvider cannotTell = cannotTell("c");
        await(router.authorize(card("pay_b", CARD))); // EUR card: a
        RoutingProvider restarted =
                new RoutingProvider(
                        List.of(cannotTell, a, b),
                        List.of(Route.of(null, null, "c", "a", "b")),
                        BREAKER,
                        clock);

        ProviderResult known = await(restarted.status("pay_b"));
        ProviderResult unseen = await(restarted.status("pay_never"));

        assertThat(known.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(known.provider()).isEqualTo("a");
        assertThat(unseen.outcome())
                .as("never NOT_FOUND while one cannot tell")
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(unseen.provider()).isEqualTo("c");
    }

    @Test
    void shouldChargeAProviderTokenOnlyAtTheProviderThatMadeItWhateverTheRoutesSay()
            throws Exception {
        try (org.fraudplatform.providers.stripe.FakeStripe fake =
                new org.fraudplatform.providers.stripe.FakeStripe()) {
            RoutingProvider withStripe =
                    new RoutingProvider(
                            List.of(a, stripe("stripe-eu", fake), b),
                            List.of(Route.of(null, null, "a", "b")),
                            BREAKER,
                            clock);

            ProviderResult token = await(withStripe.authorize(providerToken("pay_t", "stripe-eu")));
            ProviderResult notATokenProvider =
                    await(withStripe.authorize(providerToken("pay_a", "a")));
            ProviderResult unknown = await(withStripe.authorize(providerToken("pay_x", "adyen")));

            assertThat(withStripe.providerTokenKinds())
                    .containsExactly(Map.entry("stripe-eu", "stripe"));
            assertThat(token.outcome()).isEqualTo(Outcome.APPROVED);
            assertThat(token.provider()).isEqualTo("stripe-eu");
            assertThat(fake.intents()).hasSize(1);
            assertThat(notATokenProvider.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(notATokenProvider.code()).isEqualTo("no_route");
            assertThat(unknown.code()).isEqualTo("no_route");
            assertThat(a.journal()).isEmpty();
            assertThat(b.journal()).isEmpty();
        }
    }

    @Test
    void shouldNeverFailOverAProviderTokenWhenItsProviderIsUnavailable() throws Exception {
        org.fraudplatform.providers.stripe.FakeStripe fake =
                new org.fraudplatform.providers.stripe.FakeStripe();
        RoutingProvider withStripe =
                new RoutingProvider(
                        List.of(a, stripe("stripe-eu", fake)),
                        List.of(Route.of(null, null, "stripe-eu", "a")),
                        BREAKER,
                        clock);
        fake.close();

        ProviderResult result = await(withStripe.authorize(providerToken("pay_t", "stripe-eu")));

        assertThat(result.isUnavailable()).isTrue();
        assertThat(a.journal()).isEmpty();
    }

    @Test
    void shouldCancelAnUnknownOutcomeAtEveryProviderThatCancelsByPaymentIdAndNoneElse()
            throws Exception {
        try (org.fraudplatform.providers.adyen.FakeAdyen fake =
                new org.fraudplatform.providers.adyen.FakeAdyen()) {
            RoutingProvider withAdyen =
                    new RoutingProvider(
                            List.of(a, adyen(fake), b),
                            List.of(Route.of(null, null, "a", "b")),
                            BREAKER,
                            clock);

            ProviderResult cancelled = await(withAdyen.cancelUnknown("pay_lost"));
            ProviderResult simulatedOnly = await(router.cancelUnknown("pay_lost"));
            fake.close();
            ProviderResult adyenDown = await(withAdyen.cancelUnknown("pay_lost_2"));

            assertThat(cancelled.outcome()).isEqualTo(Outcome.APPROVED);
            assertThat(cancelled.provider()).isEqualTo("adyen");
            assertThat(simulatedOnly.code()).isEqualTo(ProviderResult.NOT_SUPPORTED);
            assertThat(adyenDown.outcome())
                    .as("the provider that may hold it is asked again later")
                    .isNotEqualTo(Outcome.APPROVED);
        }
    }

    private static PaymentProvider adyen(org.fraudplatform.providers.adyen.FakeAdyen fake) {
        return new org.fraudplatform.providers.adyen.AdyenConnector(
                new org.fraudplatform.providers.adyen.AdyenSettings(
                        "adyen",
                        fake.uri(),
                        org.fraudplatform.providers.http.Secret.of(
                                org.fraudplatform.providers.adyen.FakeAdyen.API_KEY),
                        org.fraudplatform.providers.adyen.FakeAdyen.MERCHANT,
                        org.fraudplatform.providers.http.Secret.of(
                                org.fraudplatform.providers.adyen.FakeAdyen.HMAC_KEY),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2),
                        true));
    }

    private static AuthorizationCall providerToken(String paymentId, String provider) {
        return new AuthorizationCall(
                paymentId,
                10_00,
                "EUR",
                new AuthorizationCall.ProviderTokenMethod(provider, "pm_card_visa"));
    }

    private static PaymentProvider stripe(
            String name, org.fraudplatform.providers.stripe.FakeStripe fake) {
        return new org.fraudplatform.providers.stripe.StripeConnector(
                new org.fraudplatform.providers.stripe.StripeSettings(
                        name,
                        fake.uri(),
                        org.fraudplatform.providers.http.Secret.of(
                                org.fraudplatform.providers.stripe.FakeStripe.SECRET_KEY),
                        org.fraudplatform.providers.http.Secret.of(
                                org.fraudplatform.providers.stripe.FakeStripe.WEBHOOK_SECRET),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2),
                        org.fraudplatform.providers.stripe.StripeSettings.CaptureMethod.MANUAL));
    }

    /** A provider that cannot look a payment up (as Adyen by our id) and knows no reference. */
    private static PaymentProvider cannotTell(String name) {
        return new PaymentProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public java.util.concurrent.CompletableFuture<ProviderResult> authorize(
                    AuthorizationCall call) {
                return done(ProviderResult.unavailable(name, "down"));
            }

            @Override
            public java.util.concurrent.CompletableFuture<ProviderResult> capture(
                    String reference, long amount, String currency, String operationId) {
                return done(ProviderResult.error(name, ProviderResult.UNKNOWN_REFERENCE, "?"));
            }

            @Override
            public java.util.concurrent.CompletableFuture<ProviderResult> voidAuthorization(
                    String reference, String operationId) {
                return done(ProviderResult.error(name, ProviderResult.UNKNOWN_REFERENCE, "?"));
            }

            @Override
            public java.util.concurrent.CompletableFuture<ProviderResult> refund(
                    String reference, long amount, String currency, String operationId) {
                return done(ProviderResult.error(name, ProviderResult.UNKNOWN_REFERENCE, "?"));
            }

            @Override
            public java.util.concurrent.CompletableFuture<ProviderResult> status(String paymentId) {
                return done(ProviderResult.unknown(name, "cannot look payments up"));
            }

            private java.util.concurrent.CompletableFuture<ProviderResult> done(ProviderResult r) {
                return java.util.concurrent.CompletableFuture.completedFuture(r);
            }
        };
    }
}
