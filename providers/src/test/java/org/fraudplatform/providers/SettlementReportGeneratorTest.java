package org.fraudplatform.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fraudplatform.providers.JournalEntry.Operation;
import org.fraudplatform.providers.ProviderResult.Outcome;
import org.fraudplatform.providers.SettlementReportGenerator.FeeModel;
import org.fraudplatform.providers.SettlementReportGenerator.Flaws;
import org.fraudplatform.providers.SettlementReportGenerator.Generated;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile.ParsedReport;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile.Row;
import org.fraudplatform.schemas.SettlementRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettlementReportGeneratorTest {

    private static final String PROVIDER = "simulated-a";
    private static final LocalDate DAY = LocalDate.parse("2026-03-02");
    private static final Instant MORNING = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir Path folder;

    private static JournalEntry entry(
            Instant time,
            String paymentId,
            Operation operation,
            String operationId,
            long amount,
            Outcome outcome) {
        return new JournalEntry(
                time,
                paymentId,
                operation,
                operationId,
                amount,
                "EUR",
                outcome,
                outcome == Outcome.APPROVED ? "ref_" + paymentId + "_" + operation : null,
                outcome == Outcome.DECLINED ? "generic_decline" : null);
    }

    /**
     * A busy day: 16 payments authorized and captured (one in USD), 4 of them partly refunded, so
     * 20 rows to settle; and around them, what must not be settled.
     */
    private static List<JournalEntry> busyDay() {
        List<JournalEntry> journal = new ArrayList<>();
        journal.add(
                entry(
                        Instant.parse("2026-03-01T23:59:59Z"),
                        "pay_yesterday",
                        Operation.CAPTURE,
                        "capture",
                        900,
                        Outcome.APPROVED));
        for (int i = 1; i <= 16; i++) {
            Instant t = MORNING.plus(Duration.ofMinutes(10L * i));
            String id = "pay_" + i;
            journal.add(entry(t, id, Operation.AUTHORIZE, null, 1_000L * i, Outcome.APPROVED));
            JournalEntry capture =
                    entry(
                            t.plusSeconds(5),
                            id,
                            Operation.CAPTURE,
                            "capture",
                            1_000L * i,
                            Outcome.APPROVED);
            if (i == 7) {
                capture =
                        new JournalEntry(
                                capture.time(),
                                id,
                                Operation.CAPTURE,
                                "capture",
                                capture.amount(),
                                "USD",
                                Outcome.APPROVED,
                                capture.reference(),
                                null);
            }
            journal.add(capture);
            journal.add(
                    entry(
                            t.plusSeconds(6),
                            "pay_d" + i,
                            Operation.AUTHORIZE,
                            null,
                            50,
                            Outcome.DECLINED));
        }
        for (int i = 1; i <= 4; i++) {
            journal.add(
                    entry(
                            MORNING.plus(Duration.ofHours(8 + i)),
                            "pay_" + i,
                            Operation.REFUND,
                            "rf_" + i,
                            300,
                            Outcome.APPROVED));
        }
        journal.add(
                entry(
                        Instant.parse("2026-03-03T00:00:00Z"),
                        "pay_tomorrow",
                        Operation.CAPTURE,
                        "capture",
                        900,
                        Outcome.APPROVED));
        return journal;
    }

    private static Generated generate(List<JournalEntry> journal, Flaws flaws, long seed) {
        return SettlementReportGenerator.generate(
                journal, PROVIDER, DAY, FeeModel.standard(), flaws, seed);
    }

    private static List<String> ids(List<Row> rows) {
        return rows.stream().map(Row::itemId).toList();
    }

    private static Map<String, Row> byId(List<Row> rows) {
        Map<String, Row> m = new LinkedHashMap<>();
        rows.forEach(r -> m.put(r.itemId(), r));
        return m;
    }

    /** The honest rows the flaw did not touch, unchanged and in their order. */
    private static void assertOthersUntouched(Generated flawed, Generated honest, String flaw) {
        Set<String> touched = new HashSet<>(flawed.flawsApplied().get(flaw));
        List<Row> untouched =
                honest.rows().stream().filter(r -> !touched.contains(r.itemId())).toList();
        assertThat(flawed.rows().stream().filter(r -> !touched.contains(r.itemId())).toList())
                .isEqualTo(untouched);
    }

    private static void assertOnlyFlaw(Generated g, String flaw, int count) {
        g.flawsApplied()
                .forEach(
                        (name, items) ->
                                assertThat(items).as(name).hasSize(name.equals(flaw) ? count : 0));
    }

    // ---- the honest report ----

    @Test
    void shouldSettleOnlyTheDaysApprovedCapturesAndRefunds() {
        Instant first = Instant.parse("2026-03-02T00:00:00Z");
        Instant last = Instant.parse("2026-03-02T23:59:59.999Z");
        List<JournalEntry> journal =
                List.of(
                        entry(first, "pay_1", Operation.AUTHORIZE, null, 2_000, Outcome.APPROVED),
                        entry(
                                first,
                                "pay_1",
                                Operation.CAPTURE,
                                "capture",
                                2_000,
                                Outcome.APPROVED),
                        entry(MORNING, "pay_2", Operation.AUTHORIZE, null, 500, Outcome.APPROVED),
                        entry(MORNING, "pay_2", Operation.VOID, "void", 500, Outcome.APPROVED),
                        entry(MORNING, "pay_3", Operation.AUTHORIZE, null, 700, Outcome.DECLINED),
                        entry(
                                MORNING,
                                "pay_4",
                                Operation.CAPTURE,
                                "capture",
                                800,
                                Outcome.DECLINED),
                        entry(MORNING, "pay_5", Operation.CAPTURE, "capture", 800, Outcome.PENDING),
                        entry(MORNING, "pay_6", Operation.CAPTURE, "capture", 800, Outcome.UNKNOWN),
                        entry(MORNING, "pay_1", Operation.REFUND, "rf_1", 300, Outcome.ERROR),
                        entry(last, "pay_1", Operation.REFUND, "rf_2", 400, Outcome.APPROVED),
                        entry(
                                Instant.parse("2026-03-01T23:59:59.999Z"),
                                "pay_7",
                                Operation.CAPTURE,
                                "capture",
                                900,
                                Outcome.APPROVED),
                        entry(
                                Instant.parse("2026-03-03T00:00:00Z"),
                                "pay_8",
                                Operation.REFUND,
                                "rf_1",
                                900,
                                Outcome.APPROVED));

        Generated g = generate(journal, Flaws.none(), 1);

        assertThat(g.rows())
                .containsExactly(
                        new Row(
                                PROVIDER,
                                DAY,
                                "capture",
                                "pay_1",
                                "capture",
                                "ref_pay_1_CAPTURE",
                                2_000,
                                "EUR",
                                53,
                                first),
                        new Row(
                                PROVIDER,
                                DAY,
                                "refund",
                                "pay_1",
                                "rf_2",
                                "ref_pay_1_REFUND",
                                400,
                                "EUR",
                                0,
                                last));
        assertThat(g.malformedLines()).isEmpty();
        assertThat(g.lateRows()).isEmpty();
        assertThat(g.flawsApplied()).containsOnlyKeys(Flaws.NAMES);
        assertThat(g.flawsApplied().values()).allMatch(List::isEmpty);
    }

    @Test
    void shouldChargeThePercentAndFixedPartOnCapturesRoundedAndNothingOnRefunds() {
        List<JournalEntry> journal =
                List.of(
                        entry(
                                MORNING,
                                "pay_1",
                                Operation.CAPTURE,
                                "capture",
                                10_000,
                                Outcome.APPROVED),
                        entry(
                                MORNING,
                                "pay_2",
                                Operation.CAPTURE,
                                "capture",
                                1_234,
                                Outcome.APPROVED),
                        entry(
                                MORNING,
                                "pay_3",
                                Operation.CAPTURE,
                                "capture",
                                1_250,
                                Outcome.APPROVED),
                        entry(MORNING, "pay_1", Operation.REFUND, "rf_1", 5_000, Outcome.APPROVED));

        assertThat(generate(journal, Flaws.none(), 1).rows())
                .extracting(Row::fee)
                .as("140 + 25, 17.276 + 25, 17.5 + 25, refund")
                .containsExactly(165L, 42L, 43L, 0L);
        assertThat(
                        SettlementReportGenerator.generate(
                                        journal,
                                        PROVIDER,
                                        DAY,
                                        new FeeModel(2.0, 0),
                                        Flaws.none(),
                                        1)
                                .rows())
                .extracting(Row::fee)
                .containsExactly(200L, 25L, 25L, 0L);
        assertThatThrownBy(() -> new FeeModel(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSettleAnOperationTheJournalHoldsTwiceOnce() {
        JournalEntry capture =
                entry(MORNING, "pay_1", Operation.CAPTURE, "capture", 2_000, Outcome.APPROVED);
        List<JournalEntry> journal =
                List.of(
                        capture,
                        entry(MORNING, "pay_1", Operation.REFUND, "rf_1", 500, Outcome.APPROVED),
                        capture,
                        entry(
                                MORNING.plusSeconds(60),
                                "pay_1",
                                Operation.REFUND,
                                "rf_1",
                                500,
                                Outcome.APPROVED));

        assertThat(ids(generate(journal, Flaws.none(), 1).rows()))
                .containsExactly("pay_1/capture", "pay_1/rf_1");
    }

    @Test
    void shouldSettleACaptureWithoutOperationIdAsTheAutomaticCapture() {
        List<JournalEntry> journal =
                List.of(entry(MORNING, "pay_1", Operation.CAPTURE, null, 2_000, Outcome.APPROVED));

        assertThat(generate(journal, Flaws.none(), 1).rows())
                .extracting(Row::operationId)
                .containsExactly("capture");
    }

    @Test
    void shouldSettleTheDayOfAJournalFileTheProviderWrote() throws Exception {
        Path file = ProviderJournal.file(folder, PROVIDER);
        Files.writeString(
                file,
                ProviderJournal.HEADER
                        + "\n2026-03-02T09:00:00Z,pay_1,authorize,,2500,EUR,approved,sim_1,\n"
                        + "2026-03-02T09:00:01Z,pay_1,capture,capture,2500,EUR,approved,sim_2,\n"
                        + "2026-03-02T09:30:00Z,pay_2,authorize,,900,EUR,declined,sim_3,"
                        + "insufficient_funds\n"
                        + "2026-03-02T18:00:00Z,pay_1,refund,rf_1,1000,EUR,approved,sim_4,\n",
                StandardCharsets.UTF_8);

        Generated g = generate(ProviderJournal.read(file), Flaws.none(), 1);

        assertThat(g.rows())
                .extracting(Row::itemId, Row::amount, Row::providerReference)
                .containsExactly(
                        tuple("pay_1/capture", 2_500L, "sim_2"),
                        tuple("pay_1/rf_1", 1_000L, "sim_4"));
    }

    @Test
    void shouldWriteAReportThatParsesBackToTheSameRows() {
        Generated g = generate(busyDay(), Flaws.none(), 1);

        ParsedReport report =
                SettlementReportFile.parse(
                        "r.csv",
                        SettlementReportFile.toCsv(g.rows()).getBytes(StandardCharsets.UTF_8),
                        Instant.now());

        assertThat(g.rows()).hasSize(20);
        assertThat(report.quarantined()).isEmpty();
        assertThat(report.rows())
                .extracting(r -> r.getPaymentId() + "/" + r.getOperationId())
                .isEqualTo(ids(g.rows()));
        assertThat(report.provider()).isEqualTo(PROVIDER);
        assertThat(report.settlementDate()).isEqualTo("2026-03-02");
    }

    // ---- each flaw ----

    @Test
    void shouldLeaveTheMissingRowsOut() {
        Generated honest = generate(busyDay(), Flaws.none(), 3);
        Generated g = generate(busyDay(), Flaws.parse("missing=2"), 3);

        List<String> missing = g.flawsApplied().get("missing");
        assertOnlyFlaw(g, "missing", 2);
        assertThat(ids(honest.rows())).containsAll(missing);
        assertThat(ids(g.rows())).doesNotContainAnyElementsOf(missing).hasSize(18);
        assertOthersUntouched(g, honest, "missing");
    }

    @Test
    void shouldSettleAnotherAmountForTheAmountMismatches() {
        Generated honest = generate(busyDay(), Flaws.none(), 3);
        Generated g = generate(busyDay(), Flaws.parse("amount=3"), 3);

        assertOnlyFlaw(g, "amount", 3);
        Map<String, Row> was = byId(honest.rows());
        Map<String, Row> now = byId(g.rows());
        for (String id : g.flawsApplied().get("amount")) {
            long difference = now.get(id).amount() - was.get(id).amount();
            assertThat(difference).as(id).isBetween(1L, 500L);
            assertThat(now.get(id).currency()).isEqualTo(was.get(id).currency());
        }
        assertThat(g.rows()).hasSize(20);
        assertOthersUntouched(g, honest, "amount");
    }

    @Test
    void shouldSettleAnotherCurrencyForTheCurrencyMismatches() {
        Generated honest = generate(busyDay(), Flaws.none(), 3);
        Generated g = generate(busyDay(), Flaws.parse("currency=20"), 3);

        assertOnlyFlaw(g, "currency", 20);
        Map<String, Row> was = byId(honest.rows());
        for (Row r : g.rows()) {
            assertThat(r.currency())
                    .as(r.itemId())
                    .matches("[A-Z]{3}")
                    .isNotEqualTo(was.get(r.itemId()).currency());
            assertThat(r.amount()).isEqualTo(was.get(r.itemId()).amount());
        }
    }

    @Test
    void shouldRepeatADuplicateAFewLinesAfterItsFirstCopy() {
        Generated honest = generate(busyDay(), Flaws.none(), 3);
        Generated g = generate(busyDay(), Flaws.parse("duplicate=1"), 3);

        assertOnlyFlaw(g, "duplicate", 1);
        String id = g.flawsApplied().get("duplicate").get(0);
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < g.rows().size(); i++) {
            if (g.rows().get(i).itemId().equals(id)) {
                at.add(i);
            }
        }
        assertThat(at).hasSize(2);
        assertThat(g.rows().get(at.get(0))).isEqualTo(g.rows().get(at.get(1)));
        assertThat(g.rows().get(at.get(0))).isEqualTo(byId(honest.rows()).get(id));
        assertThat(at.get(1) - at.get(0)).isBetween(1, 3);
        assertThat(g.rows()).hasSize(21);
        assertOthersUntouched(g, honest, "duplicate");
    }

    @Test
    void shouldAddPlausibleRowsForPaymentsTheJournalNeverSaw() {
        Generated honest = generate(busyDay(), Flaws.none(), 3);
        Generated g = generate(busyDay(), Flaws.parse("unknown=2"), 3);

        assertOnlyFlaw(g, "unknown", 2);
        Set<String> known =
                busyDay().stream().map(JournalEntry::paymentId).collect(Collectors.toSet());
        List<Row> unknown =
                g.rows().stream()
                        .filter(r -> g.flawsApplied().get("unknown").contains(r.itemId()))
                        .toList();
        assertThat(unknown).hasSize(2);
        for (Row r : unknown) {
            assertThat(r.paymentId()).startsWith("pay_unknown_").isNotIn(known);
            assertThat(r.amount()).isBetween(1L, 1_000_000L);
            assertThat(r.currency()).matches("[A-Z]{3}");
            assertThat(r.provider()).isEqualTo(PROVIDER);
            assertThat(r.settlementDate()).isEqualTo(DAY);
        }
        assertThat(unknown.get(0).paymentId()).isNotEqualTo(unknown.get(1).paymentId());
        assertThat(g.rows()).hasSize(22);
        assertOthersUntouched(g, honest, "unknown");
    }

    @Test
    void shouldHoldLateRowsBackForTheNextDaysReportWithTheirBookingTime() {
        Generated honest = generate(busyDay(), Flaws.none(), 3);
        Generated g = generate(busyDay(), Flaws.parse("late=2"), 3);

        assertOnlyFlaw(g, "late", 2);
        List<String> late = g.flawsApplied().get("late");
        assertThat(ids(g.rows())).doesNotContainAnyElementsOf(late).hasSize(18);
        assertThat(ids(g.lateRows())).containsExactlyInAnyOrderElementsOf(late);
        Map<String, Row> was = byId(honest.rows());
        for (Row r : g.lateRows()) {
            Row original = was.get(r.itemId());
            assertThat(r.settlementDate()).isEqualTo(DAY.plusDays(1));
            assertThat(r.bookedAt()).isEqualTo(original.bookedAt());
            assertThat(r.amount()).isEqualTo(original.amount());
            assertThat(r.currency()).isEqualTo(original.currency());
        }
        assertOthersUntouched(g, honest, "late");
    }

    @Test
    void shouldAddMalformedLinesThatAreQuarantinedWithoutStoppingTheOtherRows() {
        Generated g = generate(busyDay(), Flaws.parse("malformed=3"), 3);

        assertOnlyFlaw(g, "malformed", 3);
        assertThat(g.malformedLines()).hasSize(3).doesNotHaveDuplicates();
        ParsedReport report =
                SettlementReportFile.parse(
                        "r.csv",
                        SettlementReportFile.toCsv(g.rows(), g.malformedLines())
                                .getBytes(StandardCharsets.UTF_8),
                        Instant.now());

        assertThat(report.rows()).hasSize(20);
        assertThat(report.quarantined())
                .extracting(SettlementReportFile.Quarantined::raw)
                .containsExactlyElementsOf(g.malformedLines());
        assertThat(report.quarantined())
                .extracting(SettlementReportFile.Quarantined::reason)
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldPutEveryFlawOnItsOwnRowsSoThatAComparisonFindsExactlyTheFlawsApplied() {
        Generated honest = generate(busyDay(), Flaws.none(), 11);
        Generated g =
                generate(
                        busyDay(),
                        Flaws.parse(
                                "missing=2,amount=1,currency=1,duplicate=1,unknown=2,late=1,malformed=1"),
                        11);

        // a small reconciliation of the report against what the provider really did
        Map<String, Row> did = byId(honest.rows());
        Map<String, List<Row>> settled = new LinkedHashMap<>();
        g.rows().forEach(r -> settled.computeIfAbsent(r.itemId(), k -> new ArrayList<>()).add(r));
        Set<String> late = new HashSet<>(ids(g.lateRows()));
        Map<String, List<String>> found = new LinkedHashMap<>();
        Flaws.NAMES.forEach(n -> found.put(n, new ArrayList<>()));
        did.forEach(
                (id, row) -> {
                    List<Row> s = settled.get(id);
                    if (late.contains(id)) {
                        found.get("late").add(id);
                    } else if (s == null) {
                        found.get("missing").add(id);
                    } else if (s.size() > 1) {
                        found.get("duplicate").add(id);
                    } else if (s.get(0).amount() != row.amount()) {
                        found.get("amount").add(id);
                    } else if (!s.get(0).currency().equals(row.currency())) {
                        found.get("currency").add(id);
                    }
                });
        settled.keySet().stream()
                .filter(id -> !did.containsKey(id))
                .forEach(found.get("unknown")::add);
        ParsedReport report =
                SettlementReportFile.parse(
                        "r.csv",
                        SettlementReportFile.toCsv(g.rows(), g.malformedLines())
                                .getBytes(StandardCharsets.UTF_8),
                        Instant.now());
        for (var q : report.quarantined()) {
            g.flawsApplied().get("malformed").stream()
                    .filter(id -> q.raw().contains("," + id.substring(0, id.indexOf('/')) + ","))
                    .forEach(found.get("malformed")::add);
        }

        for (String name : Flaws.NAMES) {
            assertThat(found.get(name))
                    .as(name)
                    .containsExactlyInAnyOrderElementsOf(g.flawsApplied().get(name));
        }
        assertThat(found.get("missing")).hasSize(2);
        assertThat(found.get("unknown")).hasSize(2);
        assertThat(report.quarantined()).hasSize(1);
        List<String> onRows = new ArrayList<>();
        for (String name : List.of("missing", "amount", "currency", "duplicate", "late")) {
            onRows.addAll(g.flawsApplied().get(name));
        }
        assertThat(onRows).as("a row gets one flaw at most").doesNotHaveDuplicates().hasSize(6);
    }

    @Test
    void shouldAddUnknownAndMalformedRowsEvenToADayWithoutMovements() {
        Generated g = generate(List.of(), Flaws.parse("unknown=2,malformed=1"), 5);

        assertThat(g.rows()).hasSize(2).allMatch(r -> r.paymentId().startsWith("pay_unknown_"));
        assertThat(g.malformedLines()).hasSize(1);
    }

    // ---- determinism and limits ----

    @Test
    void shouldGiveTheSameReportForTheSameJournalDayFlawsAndSeed() {
        Flaws flaws =
                Flaws.parse(
                        "missing=2,amount=1,currency=1,duplicate=1,unknown=2,late=1,malformed=1");

        Generated once = generate(busyDay(), flaws, 42);
        Generated again = generate(busyDay(), flaws, 42);
        Generated otherSeed = generate(busyDay(), flaws, 43);

        assertThat(again).isEqualTo(once);
        assertThat(SettlementReportFile.toCsv(again.rows(), again.malformedLines()))
                .isEqualTo(SettlementReportFile.toCsv(once.rows(), once.malformedLines()));
        assertThat(otherSeed.flawsApplied()).isNotEqualTo(once.flawsApplied());
    }

    @Test
    void shouldRefuseMoreFlawedRowsThanTheDayHasRows() {
        List<JournalEntry> journal =
                List.of(
                        entry(
                                MORNING,
                                "pay_1",
                                Operation.CAPTURE,
                                "capture",
                                100,
                                Outcome.APPROVED),
                        entry(
                                MORNING,
                                "pay_2",
                                Operation.CAPTURE,
                                "capture",
                                100,
                                Outcome.APPROVED),
                        entry(MORNING, "pay_2", Operation.REFUND, "rf_1", 100, Outcome.APPROVED));

        assertThatThrownBy(() -> generate(journal, Flaws.parse("missing=2,late=1,amount=1"), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need 4 distinct rows")
                .hasMessageContaining("only 3")
                .hasMessageContaining(PROVIDER)
                .hasMessageContaining("2026-03-02");
        assertThat(generate(journal, Flaws.parse("missing=2,late=1,unknown=5"), 1).rows())
                .as("unknown payments need no row of the journal")
                .hasSize(5);
    }

    @Test
    void shouldReturnAReportThatCannotBeChangedAfterwards() {
        Generated g = generate(busyDay(), Flaws.parse("missing=1"), 1);

        assertThatThrownBy(() -> g.rows().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> g.flawsApplied().get("missing").clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(g.flawsApplied().keySet()).containsExactlyElementsOf(Flaws.NAMES);
    }

    // ---- flaws ----

    @Test
    void shouldReadFlawsByName() {
        assertThat(
                        Flaws.parse(
                                "missing=2,amount=1,currency=1,duplicate=1,unknown=2,late=1,malformed=1"))
                .isEqualTo(new Flaws(2, 1, 1, 1, 2, 1, 1));
        assertThat(Flaws.parse(" late = 3 , missing=1")).isEqualTo(new Flaws(1, 0, 0, 0, 0, 3, 0));
        assertThat(Flaws.parse("")).isEqualTo(Flaws.none());
    }

    @Test
    void shouldRefuseAnUnknownFlawAndNameTheKnownOnes() {
        assertThatThrownBy(() -> Flaws.parse("missing=1,typo=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'typo=2'")
                .hasMessageContaining("missing, amount, currency, duplicate, unknown, late");
        assertThatThrownBy(() -> Flaws.parse("missing"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseAFlawCountThatIsNotAWholeNumberOfZeroOrMore() {
        assertThatThrownBy(() -> Flaws.parse("missing=two"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'missing=two' needs a count");
        assertThatThrownBy(() -> Flaws.parse("late=-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("late");
        assertThatThrownBy(() -> new Flaws(0, 0, 0, 0, -2, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown must not be negative");
    }

    @Test
    void shouldSettleRecordsItCanReadBack() {
        Generated g = generate(busyDay(), Flaws.parse("late=1"), 9);

        ParsedReport nextDay =
                SettlementReportFile.parse(
                        "next.csv",
                        SettlementReportFile.toCsv(g.lateRows()).getBytes(StandardCharsets.UTF_8),
                        Instant.now());

        assertThat(nextDay.settlementDate()).isEqualTo("2026-03-03");
        assertThat(nextDay.rows())
                .extracting(SettlementRecord::getBookedAt)
                .allMatch(t -> t.isBefore(Instant.parse("2026-03-03T00:00:00Z")));
    }
}
