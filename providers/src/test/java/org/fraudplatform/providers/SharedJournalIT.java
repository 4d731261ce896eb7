package org.fraudplatform.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.providers.SimulatedProviderTest.await;
import static org.fraudplatform.providers.SimulatedProviderTest.card;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two API instances, each with its own process of the simulated provider, sharing its journal in
 * PostgreSQL as a real provider's instances share its database: a capture, void, refund or status
 * query that reaches the other instance finds the authorization, and an operation sent to both is
 * performed once.
 */
class SharedJournalIT {

    private Database db;
    private SimulatedProvider first;
    private SimulatedProvider second;

    @BeforeEach
    void start() {
        db = TestDatabase.fresh();
        first = instance();
        second = instance();
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        db.close();
    }

    private SimulatedProvider instance() {
        return new SimulatedProvider(
                SimulatedProvider.Settings.of("sim")
                        .withLatency(Duration.ofMillis(1), 0.0)
                        .withCallTimeout(Duration.ofSeconds(2)),
                new DatabaseJournal(db.dataSource()));
    }

    @Test
    void shouldReadOneUtcDayOfTheJournalInTheOrderOfTheWholeJournal() {
        DatabaseJournal journal = new DatabaseJournal(db.dataSource());
        for (String at :
                List.of(
                        "2026-03-01T23:59:59.999Z",
                        "2026-03-02T00:00:00Z",
                        "2026-03-02T12:00:00Z",
                        "2026-03-03T00:00:00Z")) {
            journal.append(
                    "sim-days",
                    new JournalEntry(
                            Instant.parse(at),
                            "pay_" + at,
                            JournalEntry.Operation.CAPTURE,
                            "capture",
                            1_00,
                            "EUR",
                            ProviderResult.Outcome.APPROVED,
                            "ref",
                            null));
        }

        List<JournalEntry> day = journal.onDay("sim-days", java.time.LocalDate.of(2026, 3, 2));

        assertThat(day)
                .extracting(e -> e.time().toString())
                .containsExactly("2026-03-02T00:00:00Z", "2026-03-02T12:00:00Z");
        assertThat(day)
                .isEqualTo(
                        journal.all("sim-days").stream()
                                .filter(
                                        e ->
                                                e.time()
                                                        .atOffset(java.time.ZoneOffset.UTC)
                                                        .toLocalDate()
                                                        .equals(java.time.LocalDate.of(2026, 3, 2)))
                                .toList());
    }

    @Test
    void shouldCaptureRefundAndAnswerStatusOnAnotherInstanceThanTheAuthorization()
            throws Exception {
        ProviderResult authorized = await(first.authorize(card("pay_1", "4242424242424242")));
        assertThat(authorized.outcome()).isEqualTo(ProviderResult.Outcome.APPROVED);

        ProviderResult status = await(second.status("pay_1"));
        ProviderResult captured =
                await(second.capture(authorized.reference(), 10_00, "EUR", "capture"));
        ProviderResult refunded =
                await(first.refund(authorized.reference(), 4_00, "EUR", "refund_1"));
        ProviderResult tooMuch =
                await(second.refund(authorized.reference(), 7_00, "EUR", "refund_2"));

        assertThat(status.outcome()).isEqualTo(ProviderResult.Outcome.APPROVED);
        assertThat(status.reference()).isEqualTo(authorized.reference());
        assertThat(captured.outcome()).isEqualTo(ProviderResult.Outcome.APPROVED);
        assertThat(refunded.outcome()).isEqualTo(ProviderResult.Outcome.APPROVED);
        // the second instance knows of the first's refund: only 6.00 of 10.00 is left
        assertThat(tooMuch.code()).isEqualTo("amount_exceeds_captured");
        assertThat(new DatabaseJournal(db.dataSource()).forPayment("sim", "pay_1"))
                .extracting(JournalEntry::operation)
                .containsExactly(
                        JournalEntry.Operation.AUTHORIZE,
                        JournalEntry.Operation.CAPTURE,
                        JournalEntry.Operation.REFUND);
    }

    @Test
    void shouldPerformAnOperationSentToBothInstancesOnce() throws Exception {
        ProviderResult authorized = await(first.authorize(card("pay_2", "4242424242424242")));

        CompletableFuture<ProviderResult> a =
                first.capture(authorized.reference(), 10_00, "EUR", "capture");
        CompletableFuture<ProviderResult> b =
                second.capture(authorized.reference(), 10_00, "EUR", "capture");

        assertThat(await(a).outcome()).isEqualTo(ProviderResult.Outcome.APPROVED);
        assertThat(await(b).outcome()).isEqualTo(ProviderResult.Outcome.APPROVED);
        assertThat(await(b).reference()).isEqualTo(await(a).reference());
        List<JournalEntry> journal =
                new DatabaseJournal(db.dataSource()).forPayment("sim", "pay_2");
        assertThat(journal)
                .filteredOn(e -> e.operation() == JournalEntry.Operation.CAPTURE)
                .hasSize(1);
    }

    @Test
    void shouldAnswerARepeatedAuthorizationOnTheOtherInstanceWithTheFirstOutcome()
            throws Exception {
        ProviderResult once = await(first.authorize(card("pay_3", "4242424242424242")));
        ProviderResult again = await(second.authorize(card("pay_3", "4242424242424242")));

        assertThat(again.reference()).isEqualTo(once.reference());
        assertThat(new DatabaseJournal(db.dataSource()).forPayment("sim", "pay_3")).hasSize(1);
    }
}
