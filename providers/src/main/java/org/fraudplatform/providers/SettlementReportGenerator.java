package org.fraudplatform.providers;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;

/**
 * What a provider settles for a day, from its journal: one row per capture and refund it performed
 * that day, with its fee; and, on request, the flaws real reports have, recorded so that a test can
 * check that reconciliation finds exactly them.
 */
public final class SettlementReportGenerator {

    /**
     * The provider's fee: {@code percent} of a capture plus {@code fixed} minor units, rounded;
     * refunds cost nothing.
     */
    public record FeeModel(double percent, long fixed) {

        public FeeModel {
            if (percent < 0 || fixed < 0) {
                throw new IllegalArgumentException(
                        "a fee model must not be negative, was " + percent + " % + " + fixed);
            }
        }

        /** 1.4 % + 0.25, a card acquirer's usual European price. */
        public static FeeModel standard() {
            return new FeeModel(1.4, 25);
        }

        long fee(String type, long amount) {
            return type.equals("capture") ? Math.round(amount * percent / 100.0) + fixed : 0;
        }
    }

    /**
     * How many rows get each flaw (each row at most one): left out, another amount, another
     * currency, twice, a payment the ledger never saw, left for the next day's report, a line that
     * does not parse.
     */
    public record Flaws(
            int missing,
            int amountMismatches,
            int currencyMismatches,
            int duplicates,
            int unknownPayments,
            int late,
            int malformed) {

        /** The names {@link #parse} knows, in the order of the fields. */
        public static final List<String> NAMES =
                List.of(
                        "missing",
                        "amount",
                        "currency",
                        "duplicate",
                        "unknown",
                        "late",
                        "malformed");

        public Flaws {
            int[] counts = {
                missing,
                amountMismatches,
                currencyMismatches,
                duplicates,
                unknownPayments,
                late,
                malformed
            };
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] < 0) {
                    throw new IllegalArgumentException(
                            "flaw " + NAMES.get(i) + " must not be negative, was " + counts[i]);
                }
            }
        }

        /** No flaw: the honest report. */
        public static Flaws none() {
            return new Flaws(0, 0, 0, 0, 0, 0, 0);
        }

        /**
         * Reads {@code missing=2,amount=1,currency=1,duplicate=1,unknown=2,late=1,malformed=1};
         * flaws not named are 0, an empty text is {@link #none()}.
         *
         * @throws IllegalArgumentException for an unknown name or a count that is not a whole
         *     number of 0 or more
         */
        public static Flaws parse(String spec) {
            Map<String, Integer> n = new LinkedHashMap<>();
            for (String part : spec.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2) {
                    kv[0] = kv[0].trim();
                    kv[1] = kv[1].trim();
                }
                if (kv.length != 2 || !NAMES.contains(kv[0])) {
                    throw new IllegalArgumentException(
                            "unknown flaw '"
                                    + part
                                    + "': use missing, amount, currency, duplicate, unknown, late,"
                                    + " malformed, each =N");
                }
                try {
                    n.put(kv[0], Integer.parseInt(kv[1]));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("flaw '" + part + "' needs a count");
                }
                if (n.get(kv[0]) < 0) {
                    throw new IllegalArgumentException("flaw '" + part + "' is negative");
                }
            }
            return new Flaws(
                    n.getOrDefault("missing", 0),
                    n.getOrDefault("amount", 0),
                    n.getOrDefault("currency", 0),
                    n.getOrDefault("duplicate", 0),
                    n.getOrDefault("unknown", 0),
                    n.getOrDefault("late", 0),
                    n.getOrDefault("malformed", 0));
        }

        int onRows() {
            return missing + amountMismatches + currencyMismatches + duplicates + late;
        }
    }

    /**
     * A generated report.
     *
     * @param rows this day's rows
     * @param malformedLines lines that fail parsing, to append to the file
     * @param lateRows rows for the next day's report
     * @param flawsApplied per flaw ({@code missing}, {@code amount}, …), the item ids ({@code
     *     <payment id>/<operation id>}) it hit
     */
    public record Generated(
            List<SettlementReportFile.Row> rows,
            List<String> malformedLines,
            List<SettlementReportFile.Row> lateRows,
            Map<String, List<String>> flawsApplied) {

        public Generated {
            rows = List.copyOf(rows);
            malformedLines = List.copyOf(malformedLines);
            lateRows = List.copyOf(lateRows);
            Map<String, List<String>> applied = new LinkedHashMap<>();
            flawsApplied.forEach((k, v) -> applied.put(k, List.copyOf(v)));
            flawsApplied = Collections.unmodifiableMap(applied);
        }
    }

    private SettlementReportGenerator() {}

    /**
     * The provider's report for a day: one row per approved capture and refund of its journal
     * booked that day (UTC), in journal order, a (payment id, operation id) once; then the flaws,
     * each on other rows chosen with {@code new Random(seed)}. The same arguments give the same
     * report.
     *
     * @param journal what the provider performed ({@code ProviderJournal.read})
     * @param provider the provider's name, written on every row
     * @param day the settlement day (UTC)
     * @param fees what the provider charges
     * @param flaws how many rows get each flaw
     * @param seed chooses the flawed rows and the wrong values
     * @throws IllegalArgumentException when the flaws on rows (missing, amount, currency,
     *     duplicate, late) need more rows than the day has
     */
    public static Generated generate(
            List<JournalEntry> journal,
            String provider,
            LocalDate day,
            FeeModel fees,
            Flaws flaws,
            long seed) {
        Random random = new Random(seed);
        Set<String> seen = new LinkedHashSet<>();
        List<SettlementReportFile.Row> honest = new ArrayList<>();
        for (JournalEntry e : journal) {
            boolean movement =
                    e.operation() == JournalEntry.Operation.CAPTURE
                            || e.operation() == JournalEntry.Operation.REFUND;
            if (!movement
                    || e.outcome() != ProviderResult.Outcome.APPROVED
                    || !e.time().atOffset(ZoneOffset.UTC).toLocalDate().equals(day)) {
                continue;
            }
            String op =
                    e.operationId() == null ? PaymentProvider.AUTOMATIC_CAPTURE : e.operationId();
            if (!seen.add(e.paymentId() + "/" + op)) {
                continue;
            }
            String type = e.operation() == JournalEntry.Operation.CAPTURE ? "capture" : "refund";
            honest.add(
                    new SettlementReportFile.Row(
                            provider,
                            day,
                            type,
                            e.paymentId(),
                            op,
                            e.reference(),
                            e.amount(),
                            e.currency(),
                            fees.fee(type, e.amount()),
                            e.time()));
        }
        if (flaws.onRows() > honest.size()) {
            throw new IllegalArgumentException(
                    "the flaws need "
                            + flaws.onRows()
                            + " distinct rows but "
                            + provider
                            + " settled only "
                            + honest.size()
                            + " on "
                            + day);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < honest.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        Map<Integer, String> flawOf = new LinkedHashMap<>();
        int next = 0;
        next = assign(flawOf, order, next, flaws.missing(), "missing");
        next = assign(flawOf, order, next, flaws.amountMismatches(), "amount");
        next = assign(flawOf, order, next, flaws.currencyMismatches(), "currency");
        next = assign(flawOf, order, next, flaws.duplicates(), "duplicate");
        assign(flawOf, order, next, flaws.late(), "late");

        Map<String, List<String>> applied = new LinkedHashMap<>();
        for (String k : Flaws.NAMES) {
            applied.put(k, new ArrayList<>());
        }
        List<SettlementReportFile.Row> rows = new ArrayList<>();
        List<SettlementReportFile.Row> late = new ArrayList<>();
        List<SettlementReportFile.Row> duplicates = new ArrayList<>();
        for (int i = 0; i < honest.size(); i++) {
            SettlementReportFile.Row r = honest.get(i);
            String flaw = flawOf.get(i);
            if (flaw == null) {
                rows.add(r);
                continue;
            }
            applied.get(flaw).add(r.itemId());
            switch (flaw) {
                case "missing" -> {}
                case "amount" -> rows.add(withAmount(r, r.amount() + 1 + random.nextInt(500)));
                case "currency" ->
                        rows.add(withCurrency(r, r.currency().equals("USD") ? "EUR" : "USD"));
                case "duplicate" -> {
                    rows.add(r);
                    duplicates.add(r);
                }
                case "late" -> late.add(withDay(r, day.plusDays(1)));
                default -> throw new IllegalStateException(flaw);
            }
        }
        // the second copies a few lines after their first
        for (SettlementReportFile.Row d : duplicates) {
            int at = Math.min(rows.size(), rows.indexOf(d) + 1 + random.nextInt(3));
            rows.add(at, d);
        }
        for (int i = 0; i < flaws.unknownPayments(); i++) {
            long amount = 500 + random.nextInt(20_000);
            String paymentId = "pay_unknown_" + day.toString().replace("-", "") + "_" + (i + 1);
            SettlementReportFile.Row r =
                    new SettlementReportFile.Row(
                            provider,
                            day,
                            "capture",
                            paymentId,
                            PaymentProvider.AUTOMATIC_CAPTURE,
                            "ref_unknown_" + (i + 1),
                            amount,
                            "EUR",
                            fees.fee("capture", amount),
                            day.atTime(12, 0).toInstant(ZoneOffset.UTC).plusSeconds(i));
            rows.add(random.nextInt(rows.size() + 1), r);
            applied.get("unknown").add(r.itemId());
        }
        List<String> malformed = new ArrayList<>();
        for (int i = 0; i < flaws.malformed(); i++) {
            String line =
                    switch (i % 3) {
                        case 0 ->
                                provider
                                        + ","
                                        + day
                                        + ",capture,pay_bad_"
                                        + i
                                        + ",capture,,12.50,EUR,0,"
                                        + day
                                        + "T12:00:00Z";
                        case 1 ->
                                provider
                                        + ","
                                        + day
                                        + ",capture,pay_bad_"
                                        + i
                                        + ",capture,,1250,EUR,0";
                        default ->
                                provider
                                        + ","
                                        + day
                                        + ",chargeback,pay_bad_"
                                        + i
                                        + ",capture,,1250,EUR,0,"
                                        + day
                                        + "T12:00:00Z";
                    };
            malformed.add(line);
            applied.get("malformed").add("pay_bad_" + i + "/capture");
        }
        return new Generated(rows, malformed, late, applied);
    }

    private static int assign(
            Map<Integer, String> flawOf, List<Integer> order, int from, int count, String flaw) {
        for (int i = 0; i < count; i++) {
            flawOf.put(order.get(from + i), flaw);
        }
        return from + count;
    }

    private static SettlementReportFile.Row withAmount(SettlementReportFile.Row r, long amount) {
        return new SettlementReportFile.Row(
                r.provider(),
                r.settlementDate(),
                r.type(),
                r.paymentId(),
                r.operationId(),
                r.providerReference(),
                amount,
                r.currency(),
                r.fee(),
                r.bookedAt());
    }

    private static SettlementReportFile.Row withCurrency(SettlementReportFile.Row r, String c) {
        return new SettlementReportFile.Row(
                r.provider(),
                r.settlementDate(),
                r.type(),
                r.paymentId(),
                r.operationId(),
                r.providerReference(),
                r.amount(),
                c,
                r.fee(),
                r.bookedAt());
    }

    private static SettlementReportFile.Row withDay(SettlementReportFile.Row r, LocalDate day) {
        return new SettlementReportFile.Row(
                r.provider(),
                day,
                r.type(),
                r.paymentId(),
                r.operationId(),
                r.providerReference(),
                r.amount(),
                r.currency(),
                r.fee(),
                r.bookedAt());
    }
}
