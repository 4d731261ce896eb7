package org.fraudplatform.providers.adyen;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fraudplatform.providers.AuthorizationCall;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.providers.ProviderResult.Outcome;
import org.fraudplatform.providers.http.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The Adyen connector against a local Adyen written from Adyen's documentation. */
class AdyenConnectorIT {

    private static final String VISA = "4111111145551142";

    private final FakeAdyen adyen = new FakeAdyen();
    private final AdyenConnector connector = new AdyenConnector(settings());

    AdyenConnectorIT() throws IOException {}

    @AfterEach
    void stop() {
        adyen.close();
    }

    @Test
    void shouldAuthorizeForLaterCaptureWhenAdyenAuthorisesTheCard() {
        ProviderResult result = await(connector.authorize(card("pay_1", 1_250, VISA)));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(result.provider()).isEqualTo("adyen");
        assertThat(adyen.payment(result.reference()).path("reference").asText()).isEqualTo("pay_1");
        assertThat(adyen.payment(result.reference()).path("manualCapture").asBoolean()).isTrue();
        assertThat(adyen.authorised()).isEqualTo(1);
    }

    @Test
    void shouldDeclineWithOurCodeForAdyensRefusalReason() {
        ProviderResult result = await(connector.authorize(token("pay_1", "NOT_ENOUGH_BALANCE")));

        assertThat(result.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(result.code()).isEqualTo("insufficient_funds");
        assertThat(result.message()).isEqualTo("Not enough balance");
        assertThat(result.reference()).isNotNull();
    }

    @Test
    void shouldDeclineAnExpiredCard() {
        ProviderResult result = await(connector.authorize(token("pay_1", "CARD_EXPIRED")));

        assertThat(result.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(result.code()).isEqualTo("expired_card");
    }

    @Test
    void shouldFailNotDeclineWhenAdyenAnswersResultCodeError() {
        ProviderResult result = await(connector.authorize(token("pay_1", "ERROR")));

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.message()).isEqualTo("Acquirer Error");
        assertThat(result.isUnavailable()).isFalse();
    }

    @Test
    void shouldAuthorizeAnAdyenComponentsTokenWithoutSeeingTheCardNumber() {
        ProviderResult result = await(connector.authorize(token("pay_1", "J. Smith")));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
    }

    @Test
    void shouldRefuseATokenThatIsNoAdyenPaymentMethodWithoutCallingAdyen() {
        ProviderResult result =
                await(
                        connector.authorize(
                                new AuthorizationCall(
                                        "pay_1",
                                        1_000,
                                        "EUR",
                                        new AuthorizationCall.ProviderTokenMethod(
                                                "adyen", "tok_123"))));

        assertThat(result.code()).isEqualTo("invalid_payment_method");
        assertThat(adyen.calls("/payments")).isZero();
    }

    @Test
    void shouldRefuseATokenMadeForAnotherProviderWithoutCallingAdyen() {
        AuthorizationCall madeForStripe =
                new AuthorizationCall(
                        "pay_1",
                        1_000,
                        "EUR",
                        new AuthorizationCall.ProviderTokenMethod(
                                "stripe", "{\"type\":\"scheme\"}"));

        ProviderResult result = await(connector.authorize(madeForStripe));

        assertThat(result.code()).isEqualTo("method_not_supported");
        assertThat(adyen.calls("/payments")).isZero();
    }

    @Test
    void shouldChargeOnceWhenAnAuthorizationThatTimedOutIsRetried() {
        adyen.answerSlowly(Duration.ofMillis(1_500));
        ProviderResult timedOut = await(impatient().authorize(card("pay_1", 1_000, VISA)));
        adyen.answerSlowly(Duration.ZERO);

        ProviderResult retried = await(connector.authorize(card("pay_1", 1_000, VISA)));

        assertThat(timedOut.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(retried.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(adyen.authorised()).isEqualTo(1);
        assertThat(adyen.payments()).hasSize(1);
    }

    @Test
    void shouldAnswerUnknownOnA500AndLearnTheOutcomeFromTheAuthorisationNotification() {
        adyen.failNextAfterApplying(1);
        ProviderResult failed = await(connector.authorize(card("pay_1", 1_000, VISA)));
        ProviderResult before = await(connector.status("pay_1"));

        new AdyenNotifications(connector, Secret.of(FakeAdyen.HMAC_KEY))
                .receive(adyen.notifications("AUTHORISATION").get(0).toString().getBytes());
        ProviderResult after = await(connector.status("pay_1"));

        assertThat(failed.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(before.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(after.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(after.reference())
                .isEqualTo(adyen.payments().get(0).path("pspReference").asText());
    }

    @Test
    void shouldAnswerTheStatusOfAnAuthorizationItWasAnswered() {
        ProviderResult declined = await(connector.authorize(token("pay_1", "DECLINED")));

        assertThat(await(connector.status("pay_1"))).isEqualTo(declined);
    }

    @Test
    void shouldAnswerUnavailableWhenAdyenCannotBeReachedOrRefusesTheKey() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v71");
        }
        AdyenConnector unreachable = new AdyenConnector(settings().withBaseUri(closed));
        AdyenConnector wrongKey =
                new AdyenConnector(
                        new AdyenSettings(
                                "adyen",
                                adyen.uri(),
                                Secret.of("AQE_not_this_key"),
                                FakeAdyen.MERCHANT,
                                null,
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(5),
                                true));

        assertThat(await(unreachable.authorize(card("pay_1", 1_000, VISA))).isUnavailable())
                .isTrue();
        assertThat(await(wrongKey.authorize(card("pay_2", 1_000, VISA))).isUnavailable()).isTrue();
        assertThat(adyen.payments()).isEmpty();
    }

    @Test
    void shouldCaptureInPartsEachOperationOnce() {
        String psp = approved("pay_1", 1_000);

        ProviderResult first = await(connector.capture(psp, 600, "EUR", "cap-1"));
        ProviderResult again = await(connector.capture(psp, 600, "EUR", "cap-1"));
        ProviderResult second = await(connector.capture(psp, 400, "EUR", "cap-2"));

        assertThat(first.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(again).isEqualTo(first);
        assertThat(second.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(adyen.payment(psp).path("captured").asLong()).isEqualTo(1_000);
        assertThat(adyen.modifications())
                .extracting(m -> m.path("reference").asText())
                .containsExactly("cap-1", "cap-2");
    }

    @Test
    void shouldReportAdyensErrorCodeWhenACaptureExceedsTheAuthorization() {
        String psp = approved("pay_1", 1_000);

        ProviderResult result = await(connector.capture(psp, 1_500, "EUR", "cap-1"));

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.code()).isEqualTo("137");
    }

    @Test
    void shouldCancelAnAuthorization() {
        String psp = approved("pay_1", 1_000);

        ProviderResult result = await(connector.voidAuthorization(psp, "void"));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(adyen.payment(psp).path("cancelled").asBoolean()).isTrue();
    }

    @Test
    void shouldCancelAnAuthorizationOfUnknownOutcomeByOurPaymentIdSoNothingCanBeCaptured() {
        ProviderResult authorized = await(connector.authorize(card("pay_1", 1_250, VISA)));

        ProviderResult cancelled = await(connector.cancelUnknown("pay_1"));
        ProviderResult neverSeen = await(connector.cancelUnknown("pay_never"));
        ProviderResult capture =
                await(connector.capture(authorized.reference(), 1_250, "EUR", "capture-1"));

        assertThat(cancelled.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(adyen.payment(authorized.reference()).path("cancelled").asBoolean()).isTrue();
        assertThat(neverSeen.outcome())
                .as("Adyen takes a technical cancel whether or not it saw the payment")
                .isEqualTo(Outcome.APPROVED);
        assertThat(capture.outcome()).isNotEqualTo(Outcome.APPROVED);
        assertThat(adyen.notifications("TECHNICAL_CANCEL"))
                .extracting(n -> FakeAdyen.item(n).path("success").asText())
                .containsExactly("true", "false");
        assertThat(adyen.calls("/cancels")).isEqualTo(2);
    }

    @Test
    void shouldRefundPartOfACapture() {
        String psp = approved("pay_1", 1_000);
        await(connector.capture(psp, 1_000, "EUR"));

        ProviderResult result = await(connector.refund(psp, 300, "EUR", "ref-1"));

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(adyen.payment(psp).path("refunded").asLong()).isEqualTo(300);
    }

    @Test
    void shouldAnswerUnknownNotFailedWhenAdyenAnswers500ToACaptureItMade() {
        String psp = approved("pay_1", 1_000);
        adyen.failNextAfterApplying(1);

        ProviderResult failed = await(connector.capture(psp, 1_000, "EUR", "cap-1"));

        assertThat(failed.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(adyen.payment(psp).path("captured").asLong()).isEqualTo(1_000);
    }

    @Test
    void shouldSayItDoesNotKnowAnotherProvidersReferenceWithoutCallingAdyen() {
        ProviderResult result = await(connector.capture("pi_3Mtw", 1_000, "EUR", "cap-1"));

        assertThat(result.code()).isEqualTo(ProviderResult.UNKNOWN_REFERENCE);
        assertThat(adyen.calls("/payments/{psp}/captures")).isZero();
    }

    @Test
    void shouldSayItDoesNotKnowAPspReferenceAdyenDoesNotKnow() {
        ProviderResult result = await(connector.capture("8815999999999999", 1_000, "EUR", "c"));

        assertThat(result.code()).isEqualTo(ProviderResult.UNKNOWN_REFERENCE);
    }

    @Test
    void shouldNeverLogTheApiKeyOrTheCardNumber() {
        Logger logger = (Logger) LoggerFactory.getLogger(AdyenConnector.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try {
            adyen.answerSlowly(Duration.ofMillis(1_500));
            await(impatient().authorize(card("pay_1", 1_000, VISA)));
            adyen.answerSlowly(Duration.ZERO);
            await(connector.authorize(card("pay_2", 1_000, VISA)));
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }

        assertThat(appender.list).hasSizeGreaterThanOrEqualTo(2);
        assertThat(appender.list)
                .allSatisfy(
                        e ->
                                assertThat(e.getFormattedMessage())
                                        .doesNotContain(FakeAdyen.API_KEY)
                                        .doesNotContain(VISA));
        assertThat(settings().toString()).doesNotContain(FakeAdyen.API_KEY);
    }

    private String approved(String paymentId, long amount) {
        ProviderResult result = await(connector.authorize(card(paymentId, amount, VISA)));
        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        return result.reference();
    }

    private AdyenSettings settings() {
        return new AdyenSettings(
                "adyen",
                adyen.uri(),
                Secret.of(FakeAdyen.API_KEY),
                FakeAdyen.MERCHANT,
                Secret.of(FakeAdyen.HMAC_KEY),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                true);
    }

    /** A connector that gives up after 300 ms, for an Adyen answering after 1.5 s. */
    private AdyenConnector impatient() {
        return new AdyenConnector(
                settings().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)));
    }

    static AuthorizationCall card(String paymentId, long amount, String number) {
        return new AuthorizationCall(
                paymentId, amount, "EUR", new AuthorizationCall.CardMethod(number, 3, 2030));
    }

    /** The paymentMethod object Adyen's components give, with Adyen's test-mode plain values. */
    static AuthorizationCall token(String paymentId, String holderName) {
        String method =
                "{\"type\":\"scheme\",\"encryptedCardNumber\":\"test_4111111145551142\","
                        + "\"encryptedExpiryMonth\":\"test_03\",\"encryptedExpiryYear\":"
                        + "\"test_2030\",\"encryptedSecurityCode\":\"test_737\",\"holderName\":\""
                        + holderName
                        + "\"}";
        return new AuthorizationCall(
                paymentId,
                1_000,
                "EUR",
                new AuthorizationCall.ProviderTokenMethod("adyen", method));
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
