package org.fraudplatform.api.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.fraudplatform.api.provider.ProviderResult.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedProviderTest {

    private final SimulatedProvider provider =
            new SimulatedProvider("sim", Duration.ofMillis(2), 0.0, Duration.ofMillis(300), 7L);

    @AfterEach
    void close() {
        provider.close();
    }

    private ProviderResult authorize(String number) throws Exception {
        return provider.authorize(
                        new AuthorizationCall(
                                "pay_1",
                                10_00,
                                "EUR",
                                new AuthorizationCall.CardMethod(number, 12, 2030)))
                .get(5, TimeUnit.SECONDS);
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
        assertThat(result.code()).isEqualTo("provider_timeout");
        assertThat(System.nanoTime() - started)
                .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    }

    @Test
    void shouldLeaveABankTransferPendingUntilItSettles() throws Exception {
        ProviderResult result =
                provider.authorize(
                                new AuthorizationCall(
                                        "pay_2",
                                        10_00,
                                        "EUR",
                                        new AuthorizationCall.BankTransferMethod("acct-1", "DE")))
                        .get(5, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(Outcome.PENDING);
    }

    @Test
    void shouldNeverShowTheCardNumberWhenTheCallIsPrinted() {
        var card = new AuthorizationCall.CardMethod("4242424242424242", 12, 2030);

        assertThat(card.toString()).doesNotContain("4242424242424242").contains("424242…4242");
    }
}
