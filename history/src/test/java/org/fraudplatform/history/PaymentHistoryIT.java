package org.fraudplatform.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fraudplatform.history.Snapshots.T0;
import static org.fraudplatform.history.Snapshots.payment;
import static org.fraudplatform.history.Snapshots.record;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.history.PaymentHistory.Page;
import org.fraudplatform.history.PaymentHistory.Query;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentMethodType;
import org.fraudplatform.schemas.PaymentSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PaymentHistoryIT {

    private static final String[] CARDS = {"card_1", "card_2", "card_3"};
    private static final String[] CUSTOMERS = {"cus_1", "cus_2"};
    private static final String[] STATUSES = {"authorized", "captured", "refunded", "declined"};
    private static final int PAYMENTS = 45;

    private static Database db;
    private static PaymentHistory history;

    /** Merchant m1's payments, newest first as search orders them. */
    private static List<PaymentSnapshot> m1 = new ArrayList<>();

    /** Loads m1 and m2 through partitions 0 to 3; each other test writes its own partition. */
    @BeforeAll
    static void load() {
        db = TestDatabase.fresh();
        history = new PaymentHistory(db.dataSource());
        HistoryWriter writer = new HistoryWriter(db.dataSource());
        List<ConsumerRecord<String, PaymentSnapshot>> batch = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < PAYMENTS; i++) {
            // Three payments per minute: pagination must order equal times by id.
            PaymentSnapshot s =
                    payment(String.format("pay_%03d", i), "m1")
                            .card(CARDS[i % 3])
                            .customer(i % 5 == 0 ? null : CUSTOMERS[i % 2])
                            .createdAt(T0.plus(Duration.ofMinutes(i / 3)))
                            .event(PaymentEventType.AUTHORIZED, 100 + i)
                            .status(STATUSES[i % 4])
                            .snapshot();
            m1.add(s);
            batch.add(record(i % 4, offset++, s));
        }
        // Another merchant with the same card, customer and times.
        for (int i = 0; i < 5; i++) {
            batch.add(
                    record(
                            0,
                            offset++,
                            payment("other_" + i, "m2")
                                    .card("card_1")
                                    .customer("cus_1")
                                    .createdAt(T0.plus(Duration.ofMinutes(i)))
                                    .underReview(true)
                                    .event(PaymentEventType.AUTHORIZED, 999)
                                    .status("review")
                                    .snapshot()));
        }
        writer.apply(batch);
        m1.sort(
                Comparator.comparing(PaymentSnapshot::getCreatedAt)
                        .thenComparing(PaymentSnapshot::getPaymentId)
                        .reversed());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void shouldFindAPaymentWithItsEventsInLedgerOrder() {
        Instant late = T0.plus(Duration.ofDays(2));
        PaymentSnapshot s =
                payment("pay_events", "m3")
                        .card("card_9")
                        .customer("cus_9")
                        .event(PaymentEventType.AUTHORIZED, 5000, late, null)
                        .event(PaymentEventType.CAPTURED, 5000, late.plusSeconds(1), null)
                        // reported by the network with an earlier time: ledger order still wins
                        .event(PaymentEventType.CHARGEBACK_OPENED, 5000, T0, "10.4")
                        .snapshot();
        new HistoryWriter(db.dataSource()).apply(List.of(record(7, 0, s)));

        PaymentRecord found = history.find("m3", "pay_events").orElseThrow();

        assertThat(found.merchantId()).isEqualTo("m3");
        assertThat(found.instrumentKey()).isEqualTo("card_9");
        assertThat(found.paymentMethod()).isEqualTo("CARD");
        assertThat(found.status()).isEqualTo("charged_back");
        assertThat(found.chargedBack()).isEqualTo(5000);
        assertThat(found.capturableUntil()).isNull();
        assertThat(found.updatedAt()).isEqualTo(late.plusSeconds(1));
        assertThat(found.events())
                .extracting(EventRecord::type)
                .containsExactly("AUTHORIZED", "CAPTURED", "CHARGEBACK_OPENED");
        EventRecord chargeback = found.events().get(2);
        assertThat(chargeback.eventId()).isEqualTo("pay_events-e2");
        assertThat(chargeback.ordinal()).isEqualTo(2);
        assertThat(chargeback.amount()).isEqualTo(5000);
        assertThat(chargeback.currency()).isEqualTo("EUR");
        assertThat(chargeback.reasonCode()).isEqualTo("10.4");
        assertThat(chargeback.operationId()).isEqualTo("chargeback_opened-2");
        assertThat(chargeback.provider()).isEqualTo("simulated");
        assertThat(chargeback.eventTime()).isEqualTo(T0);
    }

    @Test
    void shouldNeverShowAMerchantAnotherMerchantsPayment() {
        assertThat(history.find("m1", "other_0")).isEmpty();
        assertThat(history.find("m2", "pay_000")).isEmpty();
        assertThat(history.find("m2", "other_0")).isPresent();
        assertThat(all("m1", Query.all().withCard("card_1").withCustomer("cus_1")))
                .allMatch(p -> p.merchantId().equals("m1"))
                .noneMatch(p -> p.id().startsWith("other_"));
        assertThat(history.reviews("m1", 100)).isEmpty();
        assertThat(history.balances("m1")).containsExactly(new Balance("EUR", 5490, 0, 0, 0));
        assertThatThrownBy(() -> history.search("m1", Query.all().withStartingAfter("other_0")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldListNewestFirstAndPageWithoutGapsOrRepeats() {
        List<String> seen = new ArrayList<>();
        Page page = history.search("m1", Query.all().withLimit(7));
        int pages = 1;
        while (true) {
            assertThat(page.items().size()).isLessThanOrEqualTo(7);
            page.items().forEach(p -> seen.add(p.id()));
            if (!page.hasMore()) {
                assertThat(page.nextCursor()).isNull();
                break;
            }
            assertThat(page.items()).hasSize(7);
            page = history.search("m1", Query.all().withLimit(7).withCursor(page.nextCursor()));
            pages++;
        }

        assertThat(pages).isEqualTo(7);
        assertThat(new HashSet<>(seen)).hasSize(PAYMENTS);
        assertThat(seen).containsExactlyElementsOf(snapshotIds(m1.stream()));
    }

    @Test
    void shouldPageAfterAPaymentId() {
        List<String> expected = snapshotIds(m1.stream());
        String after = expected.get(9);

        Page page = history.search("m1", Query.all().withLimit(5).withStartingAfter(after));

        assertThat(page.items())
                .extracting(PaymentRecord::id)
                .containsExactlyElementsOf(expected.subList(10, 15));
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void shouldDefaultToTwentyItems() {
        Page page = history.search("m1", Query.all());

        assertThat(page.items()).hasSize(PaymentHistory.DEFAULT_LIMIT);
        assertThat(page.hasMore()).isTrue();
        assertThat(page.items().get(0).events()).hasSize(1);
    }

    @Test
    void shouldFilterByCardCustomerAndStatus() {
        List<PaymentRecord> byCard = all("m1", Query.all().withCard("card_2"));
        List<PaymentRecord> byCustomer = all("m1", Query.all().withCustomer("cus_1"));
        List<PaymentRecord> byStatus = all("m1", Query.all().withStatus("refunded"));
        List<PaymentRecord> combined =
                all("m1", Query.all().withCard("card_1").withStatus("captured"));

        assertThat(ids(byCard))
                .containsExactlyElementsOf(
                        snapshotIds(
                                m1.stream().filter(s -> s.getInstrumentKey().equals("card_2"))));
        assertThat(ids(byCustomer))
                .containsExactlyElementsOf(
                        snapshotIds(m1.stream().filter(s -> "cus_1".equals(s.getCustomerId()))));
        assertThat(ids(byStatus))
                .containsExactlyElementsOf(
                        snapshotIds(m1.stream().filter(s -> s.getStatus().equals("refunded"))));
        assertThat(ids(combined))
                .containsExactlyElementsOf(
                        snapshotIds(
                                m1.stream()
                                        .filter(s -> s.getInstrumentKey().equals("card_1"))
                                        .filter(s -> s.getStatus().equals("captured"))));
        assertThat(byCard).isNotEmpty();
        assertThat(byCustomer).isNotEmpty();
        assertThat(byStatus).isNotEmpty();
        assertThat(combined).isNotEmpty();
    }

    @Test
    void shouldFilterByCreationTimeFromInclusiveToExclusive() {
        Instant from = T0.plus(Duration.ofMinutes(3));
        Instant to = T0.plus(Duration.ofMinutes(6));

        List<PaymentRecord> found = all("m1", Query.all().createdBetween(from, to).withLimit(2));

        assertThat(found)
                .hasSize(9)
                .allMatch(p -> !p.createdAt().isBefore(from) && p.createdAt().isBefore(to));
        assertThat(ids(found))
                .containsExactly(
                        "pay_017", "pay_016", "pay_015", "pay_014", "pay_013", "pay_012", "pay_011",
                        "pay_010", "pay_009");
        assertThat(all("m1", Query.all().createdBetween(null, T0.plusSeconds(1)))).hasSize(3);
    }

    @Test
    void shouldRefuseBadLimitsAndCursors() {
        assertThatThrownBy(() -> Query.all().withLimit(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Query.all().withLimit(101))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.search("m1", Query.all().withCursor("not a cursor!")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.search("m1", Query.all().withStartingAfter("pay_nope")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldQueuePaymentsUnderReviewOldestFirst() {
        HistoryWriter writer = new HistoryWriter(db.dataSource());
        Snapshots late =
                payment("rev_late", "m4")
                        .createdAt(T0.plusSeconds(30))
                        .underReview(true)
                        .event(PaymentEventType.AUTHORIZED, 10)
                        .status("review");
        Snapshots early =
                payment("rev_early", "m4")
                        .createdAt(T0)
                        .underReview(true)
                        .event(PaymentEventType.AUTHORIZED, 10)
                        .status("review");
        Snapshots middle =
                payment("rev_middle", "m4")
                        .createdAt(T0.plusSeconds(10))
                        .underReview(true)
                        .event(PaymentEventType.AUTHORIZED, 10)
                        .status("review");
        Snapshots cleared =
                payment("rev_cleared", "m4")
                        .createdAt(T0.plusSeconds(5))
                        .event(PaymentEventType.AUTHORIZED, 10)
                        .status("authorized");
        writer.apply(
                List.of(
                        record(13, 0, late.snapshot()),
                        record(13, 1, early.snapshot()),
                        record(13, 2, middle.snapshot()),
                        record(13, 3, cleared.snapshot())));

        assertThat(history.reviews("m4", 10))
                .extracting(PaymentRecord::id)
                .containsExactly("rev_early", "rev_middle", "rev_late");
        assertThat(history.reviews("m4", 2))
                .extracting(PaymentRecord::id)
                .containsExactly("rev_early", "rev_middle");

        // An approved review leaves the queue.
        writer.apply(
                List.of(
                        record(
                                13,
                                4,
                                early.underReview(false)
                                        .event(PaymentEventType.REVIEW_APPROVED, 0)
                                        .status("authorized")
                                        .snapshot())));

        assertThat(history.reviews("m4", 10))
                .extracting(PaymentRecord::id)
                .containsExactly("rev_middle", "rev_late");
    }

    @Test
    void shouldListAsUnresolvedThePendingPaymentsWhoseProviderOutcomeIsUnknown() {
        HistoryWriter writer = new HistoryWriter(db.dataSource());
        // a card whose provider call timed out: pending with the timeout's code
        Snapshots card =
                payment("unres_card", "m5")
                        .event(PaymentEventType.AUTHORIZING, 10)
                        .event(PaymentEventType.PENDING, 10, T0.plusSeconds(2), "provider_timeout")
                        .status("pending");
        // a transfer whose caller died after the intent, before the provider answered
        Snapshots intentOnly =
                payment("unres_transfer", "m5")
                        .method(PaymentMethodType.BANK_TRANSFER)
                        .event(PaymentEventType.AUTHORIZING, 20)
                        .status("pending");
        // a transfer the provider took: pending by nature until it settles
        Snapshots taken =
                payment("taken_transfer", "m5")
                        .method(PaymentMethodType.BANK_TRANSFER)
                        .event(PaymentEventType.AUTHORIZING, 30)
                        .event(PaymentEventType.PENDING, 30)
                        .status("pending");
        Snapshots settled =
                payment("settled_transfer", "m5")
                        .method(PaymentMethodType.BANK_TRANSFER)
                        .event(PaymentEventType.AUTHORIZING, 40)
                        .event(PaymentEventType.PENDING, 40)
                        .event(PaymentEventType.SETTLED, 40)
                        .status("settled");
        writer.apply(
                List.of(
                        record(14, 0, card.snapshot()),
                        record(14, 1, intentOnly.snapshot()),
                        record(14, 2, taken.snapshot()),
                        record(14, 3, settled.snapshot())));

        assertThat(history.unresolved(T0.plus(Duration.ofDays(1)), 1_000))
                .filteredOn(p -> p.merchantId().equals("m5"))
                .extracting(PaymentRecord::id)
                .containsExactlyInAnyOrder("unres_card", "unres_transfer");
        assertThat(history.unresolved(T0, 1_000))
                .as("only those pending since before the given time")
                .filteredOn(p -> p.merchantId().equals("m5"))
                .isEmpty();
    }

    @Test
    void shouldSumBalancesFromTheEventsIncludingAWonChargeback() {
        HistoryWriter writer = new HistoryWriter(db.dataSource());
        Snapshots refunded =
                payment("bal_1", "m5")
                        .event(PaymentEventType.AUTHORIZED, 1000)
                        .event(PaymentEventType.CAPTURED, 1000)
                        .event(PaymentEventType.REFUNDED, 200);
        Snapshots won =
                payment("bal_2", "m5")
                        .event(PaymentEventType.AUTHORIZED, 500)
                        .event(PaymentEventType.CAPTURED, 500)
                        .event(PaymentEventType.CHARGEBACK_OPENED, 500);
        Snapshots lost =
                payment("bal_3", "m5")
                        .event(PaymentEventType.AUTHORIZED, 300)
                        .event(PaymentEventType.CAPTURED, 300)
                        .event(PaymentEventType.CHARGEBACK_OPENED, 300)
                        .event(PaymentEventType.CHARGEBACK_LOST, 300);
        Snapshots dollars =
                payment("bal_4", "m5").currency("USD").event(PaymentEventType.AUTHORIZED, 700);
        writer.apply(
                List.of(
                        record(5, 0, refunded.snapshot()),
                        record(5, 1, won.snapshot()),
                        record(5, 2, lost.snapshot()),
                        record(5, 3, dollars.snapshot())));
        writer.apply(
                List.of(record(5, 4, won.event(PaymentEventType.CHARGEBACK_WON, 500).snapshot())));

        List<Balance> balances = history.balances("m5");

        assertThat(balances)
                .containsExactly(
                        new Balance("EUR", 1800, 1800, 200, 300), new Balance("USD", 700, 0, 0, 0));
        // the same as summing each payment's stored events, and as the payments' own totals
        long chargedBack = 0;
        long captured = 0;
        for (String id : List.of("bal_1", "bal_2", "bal_3")) {
            PaymentRecord p = history.find("m5", id).orElseThrow();
            for (EventRecord e : p.events()) {
                if (e.type().equals("CHARGEBACK_OPENED")) {
                    chargedBack += e.amount();
                } else if (e.type().equals("CHARGEBACK_WON")) {
                    chargedBack -= e.amount();
                } else if (e.type().equals("CAPTURED")) {
                    captured += e.amount();
                }
            }
            assertThat(p.events()).isNotEmpty();
        }
        assertThat(balances.get(0).chargedBack()).isEqualTo(chargedBack);
        assertThat(balances.get(0).captured()).isEqualTo(captured);
        assertThat(history.find("m5", "bal_2").orElseThrow().chargedBack()).isZero();
        assertThat(history.balances("nobody")).isEmpty();
    }

    /** Every page of a search. */
    private static List<PaymentRecord> all(String merchantId, Query query) {
        List<PaymentRecord> all = new ArrayList<>();
        Page page = history.search(merchantId, query);
        all.addAll(page.items());
        while (page.hasMore()) {
            page = history.search(merchantId, query.withCursor(page.nextCursor()));
            all.addAll(page.items());
        }
        return all;
    }

    private static List<String> ids(List<PaymentRecord> records) {
        return records.stream().map(PaymentRecord::id).collect(Collectors.toList());
    }

    private static List<String> snapshotIds(Stream<PaymentSnapshot> snapshots) {
        return snapshots.map(PaymentSnapshot::getPaymentId).collect(Collectors.toList());
    }
}
