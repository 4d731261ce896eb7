package org.fraudplatform.providers.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.fraudplatform.providers.AuthorizationCall;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.providers.ProviderResult.Outcome;
import org.fraudplatform.providers.http.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The Stripe connector against a local Stripe written from Stripe's documentation. */
class StripeConnectorIT {

    private static final String VISA = "4242424242424242";
    private static final Duration SLOW = Duration.ofMillis(1_500);

    private final FakeStripe stripe = new FakeStripe();
    private final StripeConnector connector = connector(StripeSettings.CaptureMethod.MANUAL);

    StripeConnectorIT() throws IOException {}

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void shouldHoldTheAmountAtStripeWhenTheCardIsAuthorized() {
        ProviderResult result = await(connector.authorize(card("pay_1", 1_250, "EUR", VISA)));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(result.provider()).isEqualTo("stripe");
        ObjectNode intent = stripe.intent(result.reference());
        assertThat(intent.path("status").asText()).isEqualTo("requires_capture");
        assertThat(intent.path("amount_capturable").asLong()).isEqualTo(1_250);
        assertThat(intent.path("currency").asText()).isEqualTo("eur");
        assertThat(intent.path("metadata").path("payment_id").asText()).isEqualTo("pay_1");
        assertThat(stripe.charges()).isEqualTo(1);
    }

    @Test
    void shouldAuthorizeAStripePaymentMethodTokenWithoutAnyCardNumber() {
        ProviderResult result =
                await(
                        connector.authorize(
                                new AuthorizationCall(
                                        "pay_1",
                                        900,
                                        "USD",
                                        new AuthorizationCall.ProviderTokenMethod(
                                                "stripe", "pm_card_visa"))));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stripe.intent(result.reference()).path("status").asText())
                .isEqualTo("requires_capture");
    }

    @Test
    void shouldRefuseWithoutCallingStripeATokenAnotherProviderMadeOrAWalletToken() {
        ProviderResult otherAccount =
                await(
                        connector.authorize(
                                new AuthorizationCall(
                                        "pay_1",
                                        900,
                                        "USD",
                                        new AuthorizationCall.ProviderTokenMethod(
                                                "stripe-us", "pm_card_visa"))));
        ProviderResult wallet =
                await(
                        connector.authorize(
                                new AuthorizationCall(
                                        "pay_2",
                                        900,
                                        "USD",
                                        new AuthorizationCall.WalletMethod(
                                                "apple_pay", "pm_card_visa"))));

        assertThat(otherAccount.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(otherAccount.code()).isEqualTo("method_not_supported");
        assertThat(wallet.code()).isEqualTo("method_not_supported");
        assertThat(stripe.intents()).isEmpty();
    }

    @Test
    void shouldDeclineWithTheIssuersCodeWhenStripeRefusesTheCard() {
        ProviderResult result =
                await(connector.authorize(card("pay_1", 1_000, "EUR", "4000000000009995")));

        assertThat(result.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(result.code()).isEqualTo("insufficient_funds");
        assertThat(result.message()).isEqualTo("Your card has insufficient funds.");
        assertThat(stripe.intent(result.reference()).path("status").asText())
                .isEqualTo("requires_payment_method");
        assertThat(stripe.charges()).isZero();
    }

    @Test
    void shouldDeclineWithAGenericDeclineForStripesDeclinedTestToken() {
        ProviderResult result =
                await(
                        connector.authorize(
                                new AuthorizationCall(
                                        "pay_1",
                                        1_000,
                                        "EUR",
                                        new AuthorizationCall.ProviderTokenMethod(
                                                "stripe", "pm_card_visa_chargeDeclined"))));

        assertThat(result.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(result.code()).isEqualTo("generic_decline");
    }

    @Test
    void shouldDeclineWithStripesCodeWhenTheDeclineHasNoIssuerCode() {
        ProviderResult result =
                await(connector.authorize(card("pay_1", 1_000, "EUR", "4000000000000069")));

        assertThat(result.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(result.code()).isEqualTo("expired_card");
    }

    @Test
    void shouldFailNotDeclineWhenStripeCouldNotProcessTheCard() {
        ProviderResult result =
                await(connector.authorize(card("pay_1", 1_000, "EUR", "4000000000000119")));

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.code()).isEqualTo("processing_error");
        assertThat(result.isUnavailable()).isFalse();
    }

    @Test
    void shouldChargeOnceWhenTheSameAuthorizationIsSentTwice() {
        ProviderResult first = await(connector.authorize(card("pay_1", 1_000, "EUR", VISA)));
        ProviderResult second = await(connector.authorize(card("pay_1", 1_000, "EUR", VISA)));

        assertThat(second).isEqualTo(first);
        assertThat(stripe.calls("POST /v1/payment_intents")).isEqualTo(2);
        assertThat(stripe.charges()).isEqualTo(1);
        assertThat(stripe.intents()).hasSize(1);
    }

    @Test
    void shouldAnswerUnknownWhenStripeAnswersTooLateAndLearnTheOutcomeFromTheStatus() {
        stripe.answerSlowly(SLOW);

        ProviderResult timedOut = await(impatient().authorize(card("pay_1", 1_000, "EUR", VISA)));
        stripe.answerSlowly(Duration.ZERO);
        ProviderResult status = await(connector.status("pay_1"));

        assertThat(timedOut.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(timedOut.code()).isEqualTo(ProviderResult.TIMEOUT);
        assertThat(status.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(status.reference()).isEqualTo(stripe.intents().get(0).path("id").asText());
    }

    @Test
    void shouldChargeOnceWhenAnAuthorizationThatTimedOutIsRetried() {
        stripe.answerSlowly(SLOW);
        ProviderResult timedOut = await(impatient().authorize(card("pay_1", 1_000, "EUR", VISA)));
        stripe.answerSlowly(Duration.ZERO);

        ProviderResult retried = await(connector.authorize(card("pay_1", 1_000, "EUR", VISA)));

        assertThat(timedOut.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(retried.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stripe.charges()).isEqualTo(1);
        assertThat(stripe.intents()).hasSize(1);
    }

    @Test
    void shouldAnswerUnknownWhenStripeAnswers500AfterChargingAndFindTheChargeByStatus() {
        stripe.failNextAfterApplying(1);

        ProviderResult failed = await(connector.authorize(card("pay_1", 1_000, "EUR", VISA)));
        ProviderResult status = await(connector.status("pay_1"));

        assertThat(failed.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(stripe.charges()).isEqualTo(1);
        assertThat(status.outcome()).isEqualTo(Outcome.APPROVED);
    }

    @Test
    void shouldAnswerNotFoundAndSpendTheKeyWhenStripeNeverReceivedTheAuthorization() {
        ProviderResult status = await(connector.status("pay_lost"));
        ProviderResult late = await(connector.authorize(card("pay_lost", 1_000, "EUR", VISA)));

        assertThat(status.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(late.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(stripe.charges()).isZero();
        assertThat(stripe.intents())
                .singleElement()
                .satisfies(
                        fence -> {
                            assertThat(fence.path("status").asText()).isEqualTo("canceled");
                            assertThat(fence.path("metadata").path("payment_id").isMissingNode())
                                    .isTrue();
                        });
    }

    @Test
    void shouldStayUnknownWhileStripesSearchHasNotSeenTheAuthorizationYet() {
        stripe.holdSearchIndex(true);
        stripe.answerSlowly(SLOW);
        await(impatient().authorize(card("pay_1", 1_000, "EUR", VISA)));
        stripe.answerSlowly(Duration.ZERO);
        StripeConnector afterARestart = connector(StripeSettings.CaptureMethod.MANUAL);

        ProviderResult whileHidden = await(afterARestart.status("pay_1"));
        stripe.holdSearchIndex(false);
        ProviderResult onceIndexed = await(afterARestart.status("pay_1"));

        assertThat(whileHidden.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(onceIndexed.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stripe.charges()).isEqualTo(1);
    }

    @Test
    void shouldAnswerUnavailableWhenStripeCannotBeReached() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        StripeConnector unreachable =
                new StripeConnector(
                        settings(StripeSettings.CaptureMethod.MANUAL).withBaseUri(closed));

        ProviderResult result = await(unreachable.authorize(card("pay_1", 1_000, "EUR", VISA)));

        assertThat(result.isUnavailable()).isTrue();
    }

    @Test
    void shouldAnswerUnavailableWhenStripeRefusesTheKey() {
        StripeConnector wrongKey =
                new StripeConnector(
                        new StripeSettings(
                                "stripe",
                                stripe.uri(),
                                Secret.of("sk_test_not_this_one"),
                                null,
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(5),
                                StripeSettings.CaptureMethod.MANUAL));

        ProviderResult result = await(wrongKey.authorize(card("pay_1", 1_000, "EUR", VISA)));

        assertThat(result.isUnavailable()).isTrue();
        assertThat(stripe.intents()).isEmpty();
    }

    @Test
    void shouldRefuseAThreeDecimalAmountStripeCannotTakeWithoutCallingIt() {
        ProviderResult result = await(connector.authorize(card("pay_1", 1_005, "KWD", VISA)));

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.code()).isEqualTo("amount_not_supported");
        assertThat(stripe.calls("POST /v1/payment_intents")).isZero();
    }

    @Test
    void shouldCaptureTheWholeAuthorization() {
        String pi = approved("pay_1", 1_000);

        ProviderResult result = await(connector.capture(pi, 1_000, "EUR"));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stripe.intent(pi).path("status").asText()).isEqualTo("succeeded");
        assertThat(stripe.intent(pi).path("amount_received").asLong()).isEqualTo(1_000);
    }

    @Test
    void shouldCaptureOnlyPartOfTheAuthorization() {
        String pi = approved("pay_1", 1_000);

        ProviderResult result = await(connector.capture(pi, 600, "EUR", "cap-1"));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stripe.intent(pi).path("amount_received").asLong()).isEqualTo(600);
    }

    @Test
    void shouldCaptureOnceWhenTheLedgerSendsTheSameCaptureAgain() {
        String pi = approved("pay_1", 1_000);

        ProviderResult first = await(connector.capture(pi, 1_000, "EUR", "cap-1"));
        ProviderResult again = await(connector.capture(pi, 1_000, "EUR", "cap-1"));

        assertThat(again).isEqualTo(first);
        assertThat(again.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stripe.calls("POST /v1/payment_intents/" + pi + "/capture")).isEqualTo(2);
        assertThat(stripe.events("payment_intent.succeeded")).hasSize(1);
    }

    @Test
    void shouldConfirmACaptureStripeMadeButAnswered500() {
        String pi = approved("pay_1", 1_000);
        stripe.failNextAfterApplying(1);

        ProviderResult result = await(connector.capture(pi, 1_000, "EUR", "cap-1"));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stripe.intent(pi).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void shouldRefuseToCaptureMoreThanWasAuthorized() {
        String pi = approved("pay_1", 1_000);

        ProviderResult result = await(connector.capture(pi, 1_500, "EUR", "cap-1"));

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.code()).isEqualTo("amount_too_large");
        assertThat(stripe.intent(pi).path("status").asText()).isEqualTo("requires_capture");
    }

    @Test
    void shouldReleaseTheAuthorizationWhenItIsVoided() {
        String pi = approved("pay_1", 1_000);

        ProviderResult result = await(connector.voidAuthorization(pi, "void"));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stripe.intent(pi).path("status").asText()).isEqualTo("canceled");
    }

    @Test
    void shouldRefuseToVoidACapturedPayment() {
        String pi = approved("pay_1", 1_000);
        await(connector.capture(pi, 1_000, "EUR"));

        ProviderResult result = await(connector.voidAuthorization(pi, "void"));

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.code()).isEqualTo("payment_intent_unexpected_state");
    }

    @Test
    void shouldRefundPartOfACaptureOncePerOperation() {
        String pi = approved("pay_1", 1_000);
        await(connector.capture(pi, 1_000, "EUR"));

        ProviderResult first = await(connector.refund(pi, 300, "EUR", "ref-1"));
        ProviderResult again = await(connector.refund(pi, 300, "EUR", "ref-1"));
        ProviderResult second = await(connector.refund(pi, 200, "EUR", "ref-2"));

        assertThat(first.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(again).isEqualTo(first);
        assertThat(second.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stripe.refunds())
                .extracting(r -> r.path("amount").asLong())
                .containsExactly(300L, 200L);
    }

    @Test
    void shouldFindARefundStripeMadeButAnswered500() {
        String pi = approved("pay_1", 1_000);
        await(connector.capture(pi, 1_000, "EUR"));
        stripe.failNextAfterApplying(1);

        ProviderResult result = await(connector.refund(pi, 300, "EUR", "ref-1"));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(result.reference()).isEqualTo(stripe.refunds().get(0).path("id").asText());
    }

    @Test
    void shouldSayItDoesNotKnowAPaymentIntentOfAnotherProvider() {
        ProviderResult capture = await(connector.capture("pi_unknown123", 1_000, "EUR", "cap-1"));
        ProviderResult refund = await(connector.refund("sim_a_123", 1_000, "EUR", "ref-1"));

        assertThat(capture.code()).isEqualTo(ProviderResult.UNKNOWN_REFERENCE);
        assertThat(refund.code()).isEqualTo(ProviderResult.UNKNOWN_REFERENCE);
    }

    @Test
    void shouldConfirmTheLedgersCaptureFromStripeWhenStripeCapturesAtAuthorization() {
        StripeConnector automatic = connector(StripeSettings.CaptureMethod.AUTOMATIC);
        ProviderResult authorized = await(automatic.authorize(card("pay_1", 1_000, "EUR", VISA)));

        ProviderResult captured = await(automatic.capture(authorized.reference(), 1_000, "EUR"));

        assertThat(stripe.intent(authorized.reference()).path("status").asText())
                .isEqualTo("succeeded");
        assertThat(captured.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stripe.calls("POST /v1/payment_intents/" + authorized.reference() + "/capture"))
                .isZero();
    }

    @Test
    void shouldNeverLogTheSecretKeyOrTheCardNumber() {
        Logger logger = (Logger) LoggerFactory.getLogger(StripeConnector.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try {
            stripe.answerSlowly(SLOW);
            await(impatient().authorize(card("pay_1", 1_000, "EUR", VISA)));
            stripe.answerSlowly(Duration.ZERO);
            await(connector.authorize(card("pay_2", 1_000, "EUR", "4000000000009995")));
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }

        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list)
                .allSatisfy(
                        e ->
                                assertThat(e.getFormattedMessage())
                                        .doesNotContain(FakeStripe.SECRET_KEY)
                                        .doesNotContain(VISA)
                                        .doesNotContain("4000000000009995"));
        assertThat(settings(StripeSettings.CaptureMethod.MANUAL).toString())
                .doesNotContain(FakeStripe.SECRET_KEY)
                .doesNotContain(FakeStripe.WEBHOOK_SECRET);
    }

    private String approved(String paymentId, long amount) {
        ProviderResult result = await(connector.authorize(card(paymentId, amount, "EUR", VISA)));
        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        return result.reference();
    }

    private StripeConnector connector(StripeSettings.CaptureMethod capture) {
        return new StripeConnector(settings(capture));
    }

    private StripeSettings settings(StripeSettings.CaptureMethod capture) {
        return new StripeSettings(
                "stripe",
                stripe.uri(),
                Secret.of(FakeStripe.SECRET_KEY),
                Secret.of(FakeStripe.WEBHOOK_SECRET),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                capture);
    }

    /** A connector that gives up after 300 ms, for a Stripe answering after 1.5 s. */
    private StripeConnector impatient() {
        return new StripeConnector(
                settings(StripeSettings.CaptureMethod.MANUAL)
                        .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)));
    }

    static AuthorizationCall card(String paymentId, long amount, String currency, String number) {
        return new AuthorizationCall(
                paymentId, amount, currency, new AuthorizationCall.CardMethod(number, 12, 2030));
    }

    static ProviderResult await(java.util.concurrent.CompletableFuture<ProviderResult> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
