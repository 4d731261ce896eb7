package org.fraudplatform.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fraudplatform.providers.JournalEntry.Operation;
import org.fraudplatform.providers.ProviderResult.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedProviderTest {

    private static final Duration TIMEOUT = Duration.ofMillis(200);

    @TempDir Path folder;

    private final AtomicInteger payments = new AtomicInteger();
    private SimulatedProvider provider = simulator(null);

    @AfterEach
    void close() {
        provider.close();
    }

    static SimulatedProvider simulator(String name, Path journal) {
        return new SimulatedProvider(
                SimulatedProvider.Settings.of(name)
                        .withLatency(Duration.ofMillis(1), 0.0)
                        .withCallTimeout(TIMEOUT)
                        .withSlowLatency(Duration.ofMillis(50))
                        .withSeed(7L)
                        .withJournal(journal));
    }

    private SimulatedProvider simulator(Path journal) {
        return simulator("sim", journal);
    }

    static AuthorizationCall card(String paymentId, String number) {
        return new AuthorizationCall(
                paymentId, 10_00, "EUR", new AuthorizationCall.CardMethod(number, 12, 2030));
    }

    static ProviderResult await(CompletableFuture<ProviderResult> call) throws Exception {
        return call.get(5, TimeUnit.SECONDS);
    }

    private ProviderResult authorize(String number) throws Exception {
        return await(provider.authorize(card("pay_" + payments.incrementAndGet(), number)));
    }

    private String approvedReference(String paymentId) throws Exception {
        ProviderResult result = await(provider.authorize(card(paymentId, "4242424242424242")));
        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        return result.reference();
    }

    @Test
    void shouldApproveAnOrdinaryCardWithAReference() throws Exception {
        ProviderResult result = authorize("4242424242424242");

        assertThat(result.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(result.provider()).isEqualTo("sim");
        assertThat(result.reference()).startsWith("sim_");
    }

    @Test
    void shouldDeclineTheDocumentedTestCardsWithTheirReasons() throws Exception {
        assertThat(authorize(SimulatedProvider.DECLINE_GENERIC).code())
                .isEqualTo("generic_decline");
        assertThat(authorize(SimulatedProvider.DECLINE_INSUFFICIENT_FUNDS).code())
                .isEqualTo("insufficient_funds");
        assertThat(authorize(SimulatedProvider.DECLINE_STOLEN).outcome())
                .isEqualTo(Outcome.DECLINED);
        assertThat(authorize(SimulatedProvider.DECLINE_STOLEN).code()).isEqualTo("stolen_card");
    }

    @Test
    void shouldMaskTheCardNumberItEchoesInItsDeclineMessage() throws Exception {
        ProviderResult result = authorize(SimulatedProvider.DECLINE_ECHOING_THE_NUMBER);

        assertThat(result.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(result.code()).isEqualTo("do_not_honor");
        assertThat(result.message())
                .isEqualTo("Do not honor: the issuer refused card 400000******0101")
                .doesNotContain(SimulatedProvider.DECLINE_ECHOING_THE_NUMBER);
    }

    @Test
    void shouldFailWithAProcessingErrorForTheErrorCard() throws Exception {
        ProviderResult result = authorize(SimulatedProvider.PROCESSING_ERROR);

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.code()).isEqualTo("processing_error");
    }

    @Test
    void shouldReportUnknownNotDeclinedWhenTheProviderDoesNotAnswerInTime() throws Exception {
        long started = System.nanoTime();

        ProviderResult result = authorize(SimulatedProvider.TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.code()).isEqualTo(ProviderResult.TIMEOUT);
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TIMEOUT.toNanos());
    }

    @Test
    void shouldLeaveABankTransferPendingUntilItSettles() throws Exception {
        ProviderResult result =
                await(
                        provider.authorize(
                                new AuthorizationCall(
                                        "pay_bank",
                                        10_00,
                                        "EUR",
                                        new AuthorizationCall.BankTransferMethod("acct-1", "DE"))));

        assertThat(result.outcome()).isEqualTo(Outcome.PENDING);
    }

    @Test
    void shouldNeverShowTheCardNumberWhenTheCallIsPrinted() {
        var card = new AuthorizationCall.CardMethod("4242424242424242", 12, 2030);

        assertThat(card.toString()).doesNotContain("4242424242424242").contains("424242…4242");
    }

    @Test
    void shouldAnswerARepeatedAuthorizationWithTheFirstOutcomeAndAuthorizeOnce() throws Exception {
        ProviderResult first = await(provider.authorize(card("pay_a", "4242424242424242")));
        ProviderResult again = await(provider.authorize(card("pay_a", "4242424242424242")));
        ProviderResult declined = await(provider.authorize(card("pay_b", "4000000000000002")));
        ProviderResult declinedAgain = await(provider.authorize(card("pay_b", "4000000000000002")));

        assertThat(again).isEqualTo(first);
        assertThat(declinedAgain).isEqualTo(declined);
        assertThat(provider.journal()).hasSize(2);
    }

    @Test
    void shouldRefuseAPaymentIdReusedForAnotherAmount() throws Exception {
        approvedReference("pay_a");

        ProviderResult result =
                await(
                        provider.authorize(
                                new AuthorizationCall(
                                        "pay_a",
                                        99_00,
                                        "EUR",
                                        new AuthorizationCall.CardMethod(
                                                "4242424242424242", 12, 2030))));

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.code()).isEqualTo("payment_id_reused");
        assertThat(provider.journal()).hasSize(1);
    }

    @Test
    void shouldApproveTheTimeoutCardAlthoughTheCallerSeesUnknownAndTellOnAStatusQuery()
            throws Exception {
        ProviderResult timedOut =
                await(provider.authorize(card("pay_t", SimulatedProvider.TIMEOUT)));

        ProviderResult status = await(provider.status("pay_t"));
        ProviderResult again = await(provider.authorize(card("pay_t", SimulatedProvider.TIMEOUT)));

        assertThat(timedOut.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(status.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(status.reference()).startsWith("sim_");
        assertThat(again.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(again.reference()).isEqualTo(status.reference());
        assertThat(provider.journal())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.operation()).isEqualTo(Operation.AUTHORIZE);
                            assertThat(e.outcome()).isEqualTo(Outcome.APPROVED);
                            assertThat(e.reference()).isEqualTo(status.reference());
                        });
    }

    @Test
    void shouldAnswerTheStatusOfADeclineWithItsCodeAndOfAnUnseenPaymentWithNotFound()
            throws Exception {
        await(provider.authorize(card("pay_d", SimulatedProvider.DECLINE_STOLEN)));

        ProviderResult declined = await(provider.status("pay_d"));
        ProviderResult unseen = await(provider.status("pay_never"));

        assertThat(declined.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(declined.code()).isEqualTo("stolen_card");
        assertThat(unseen.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(unseen.code()).isEqualTo(ProviderResult.NOT_FOUND);
    }

    @Test
    void shouldRememberWhatItDidAcrossARestartThroughItsJournal() throws Exception {
        provider.close();
        provider = simulator(folder);
        String reference = approvedReference("pay_r");
        await(provider.capture(reference, 6_00, "EUR", "cap_1"));
        await(provider.authorize(card("pay_x", SimulatedProvider.DECLINE_GENERIC)));
        provider.close();

        provider = simulator(folder);

        assertThat(provider.journal()).hasSize(3);
        assertThat(await(provider.status("pay_r")).reference()).isEqualTo(reference);
        assertThat(await(provider.authorize(card("pay_r", "4242424242424242"))).reference())
                .isEqualTo(reference);
        assertThat(await(provider.status("pay_x")).code()).isEqualTo("generic_decline");
        assertThat(await(provider.capture(reference, 4_01, "EUR", "cap_2")).code())
                .isEqualTo("amount_exceeds_authorization");
        assertThat(await(provider.capture(reference, 4_00, "EUR", "cap_2")).outcome())
                .isEqualTo(Outcome.APPROVED);
        assertThat(provider.journal()).hasSize(4);
        assertThat(ProviderJournal.read(ProviderJournal.file(folder, "sim")))
                .isEqualTo(provider.journal());
    }

    @Test
    void shouldWriteAJournalWithAHeaderAndNoCardNumber() throws Exception {
        provider.close();
        provider = simulator(folder);
        approvedReference("pay_1");
        await(provider.authorize(card("pay_2", SimulatedProvider.TIMEOUT)));
        await(provider.authorize(card("pay_3", SimulatedProvider.DECLINE_INSUFFICIENT_FUNDS)));

        String file = Files.readString(ProviderJournal.file(folder, "sim"), StandardCharsets.UTF_8);

        assertThat(file.lines())
                .hasSize(4)
                .first()
                .isEqualTo(
                        "time,payment_id,operation,operation_id,amount,currency,outcome,"
                                + "reference,code");
        assertThat(file)
                .contains(",pay_3,authorize,,1000,EUR,declined,sim_")
                .doesNotContain("4242424242424242")
                .doesNotContain(SimulatedProvider.TIMEOUT)
                .doesNotContain(SimulatedProvider.DECLINE_INSUFFICIENT_FUNDS);
    }

    @Test
    void shouldRefuseEveryCallAtOnceWhileUnavailableAndDoNothing() throws Exception {
        String reference = approvedReference("pay_u");
        provider.setAvailable(false);
        long started = System.nanoTime();

        ProviderResult authorize = await(provider.authorize(card("pay_v", "4242424242424242")));
        ProviderResult capture = await(provider.capture(reference, 10_00, "EUR", "cap"));
        ProviderResult status = await(provider.status("pay_u"));

        assertThat(System.nanoTime() - started).isLessThan(TIMEOUT.toNanos());
        assertThat(java.util.List.of(authorize, capture, status))
                .allSatisfy(
                        r -> {
                            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
                            assertThat(r.code()).isEqualTo(ProviderResult.UNAVAILABLE);
                            assertThat(r.isUnavailable()).isTrue();
                        });
        assertThat(provider.journal()).hasSize(1);

        provider.setAvailable(true);
        assertThat(await(provider.status("pay_v")).outcome()).isEqualTo(Outcome.NOT_FOUND);
    }

    @Test
    void shouldCaptureRefundAndVoidOncePerOperationId() throws Exception {
        String reference = approvedReference("pay_c");
        String other = approvedReference("pay_o");

        ProviderResult capture = await(provider.capture(reference, 10_00, "EUR", "cap"));
        ProviderResult captureAgain = await(provider.capture(reference, 10_00, "EUR", "cap"));
        ProviderResult refund = await(provider.refund(reference, 3_00, "EUR", "ref_1"));
        ProviderResult refundAgain = await(provider.refund(reference, 3_00, "EUR", "ref_1"));
        ProviderResult voided = await(provider.voidAuthorization(other, "void"));
        ProviderResult voidedAgain = await(provider.voidAuthorization(other, "void"));

        assertThat(capture.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(captureAgain).isEqualTo(capture);
        assertThat(refund.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(refundAgain).isEqualTo(refund);
        assertThat(voided.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(voidedAgain).isEqualTo(voided);
        assertThat(provider.journal())
                .extracting(JournalEntry::operation)
                .containsExactly(
                        Operation.AUTHORIZE,
                        Operation.AUTHORIZE,
                        Operation.CAPTURE,
                        Operation.REFUND,
                        Operation.VOID);
    }

    @Test
    void shouldTreatTheThreeArgumentCaptureAsTheSingleAutomaticCapture() throws Exception {
        String reference = approvedReference("pay_auto");

        ProviderResult first = await(provider.capture(reference, 10_00, "EUR"));
        ProviderResult again = await(provider.capture(reference, 10_00, "EUR"));

        assertThat(again).isEqualTo(first);
        assertThat(provider.journal().get(1).operationId())
                .isEqualTo(PaymentProvider.AUTOMATIC_CAPTURE);
    }

    @Test
    void shouldRefuseFollowUpsTheAuthorizationDoesNotAllow() throws Exception {
        String reference = approvedReference("pay_f");
        String declined =
                await(provider.authorize(card("pay_g", SimulatedProvider.DECLINE_GENERIC)))
                        .reference();

        assertThat(await(provider.capture("sim_nothing", 1_00, "EUR", "c")).code())
                .isEqualTo(ProviderResult.UNKNOWN_REFERENCE);
        assertThat(await(provider.refund("sim_nothing", 1_00, "EUR", "r")).code())
                .isEqualTo(ProviderResult.UNKNOWN_REFERENCE);
        assertThat(await(provider.voidAuthorization("sim_nothing", "v")).code())
                .isEqualTo(ProviderResult.UNKNOWN_REFERENCE);
        assertThat(await(provider.capture(declined, 1_00, "EUR", "c")).code())
                .isEqualTo("authorization_not_approved");
        assertThat(await(provider.refund(reference, 1_00, "EUR", "r")).code())
                .isEqualTo("amount_exceeds_captured");
        assertThat(await(provider.capture(reference, 1_00, "USD", "c")).code())
                .isEqualTo("currency_mismatch");
        assertThat(await(provider.capture(reference, 10_00, "EUR", "c")).outcome())
                .isEqualTo(Outcome.APPROVED);
        assertThat(await(provider.refund(reference, 1_00, "EUR", "c")).code())
                .isEqualTo("operation_id_reused");
        assertThat(await(provider.voidAuthorization(reference, "v")).code())
                .isEqualTo("authorization_captured");
        assertThat(provider.journal()).hasSize(3);
    }
}
