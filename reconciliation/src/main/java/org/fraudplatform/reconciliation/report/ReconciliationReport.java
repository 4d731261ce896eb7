package org.fraudplatform.reconciliation.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.fraudplatform.schemas.ReconciliationCategory;
import org.fraudplatform.schemas.ReconciliationItem;
import org.fraudplatform.schemas.ReconciliationStatus;
import org.fraudplatform.schemas.ReconciliationStep;

/**
 * Writes the reconciliation of one day into a folder, the same figures three ways:
 *
 * <ul>
 *   <li>{@value #MARKDOWN}: tables for a terminal or a ticket, a text bar next to each category
 *       count;
 *   <li>{@value #HTML}: one self-contained page (inline SVG, no script, nothing fetched) with the
 *       same tables, a bar chart of the items per category and a stacked bar chart of the items per
 *       provider by status;
 *   <li>{@value #JSON}: the figures for a machine, amounts in minor units.
 * </ul>
 *
 * The figures ({@link #summarize}):
 *
 * <ul>
 *   <li>per category, in the enum's order and every one even at zero: the items and their amount
 *       per currency, an item's amount being its ledger amount when the ledger has it, else its
 *       settled amount; for {@code AMOUNT_MISMATCH} also the difference settled − ledger per
 *       currency (items whose two sides are in the same currency);
 *   <li>per provider ({@value #UNKNOWN} for none): the items, how many are matched, exceptions,
 *       open and resolved, and the ledger and settled amounts per currency;
 *   <li>per currency: the items (counted in their ledger currency when the ledger has an amount,
 *       else in their settled currency), the ledger total (ledger amounts in that currency), the
 *       settled total (settled amounts in that currency) and the difference settled − ledger;
 *   <li>the fees per provider and settled currency (items without a settled currency have none);
 *   <li>the open exceptions (status {@code EXCEPTION}) by category, then item id;
 *   <li>the resolved items (status {@code RESOLVED}), the most recently updated first.
 * </ul>
 *
 * Amounts are shown in major units, minor units / 100 with two decimals and the currency code
 * ({@code 12.34 EUR}); every number is formatted with {@link Locale#ROOT}.
 */
public final class ReconciliationReport {

    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    public static final String JSON = "summary.json";

    /** Shown for an item without provider (or merchant, or currency). */
    public static final String UNKNOWN = "unknown";

    /** The files written. */
    public record Written(Path markdown, Path html, Path json) {}

    /**
     * The items of one category and their amounts in minor units per currency; {@code differences}
     * (settled − ledger per currency) is empty except for {@code AMOUNT_MISMATCH}.
     */
    public record CategoryFigures(
            int count, Map<String, Long> amounts, Map<String, Long> differences) {}

    /** The items of one provider by status, and their amounts in minor units per currency. */
    public record ProviderFigures(
            int count,
            int matched,
            int exceptions,
            int open,
            int resolved,
            Map<String, Long> ledger,
            Map<String, Long> settled) {}

    /** The items of one currency and the totals of each side in minor units. */
    public record CurrencyFigures(int count, long ledger, long settled, long difference) {}

    /** An item with status {@code EXCEPTION}; merchant, provider, amounts and note may be null. */
    public record OpenException(
            String itemId,
            String merchantId,
            String provider,
            ReconciliationCategory category,
            Long ledgerAmount,
            String ledgerCurrency,
            Long settledAmount,
            String settledCurrency,
            int settlementRows,
            String lastNote) {}

    /**
     * An item with status {@code RESOLVED}, with who resolved it, how, and when it last changed.
     */
    public record Resolved(
            String itemId,
            ReconciliationCategory category,
            String resolvedBy,
            String resolution,
            Instant updatedAt) {}

    /**
     * The figures of a day. Maps keep their display order: categories in the enum's order,
     * providers by name with {@value #UNKNOWN} last, currencies by code.
     */
    public record Summary(
            int items,
            Map<ReconciliationCategory, CategoryFigures> categories,
            Map<String, ProviderFigures> providers,
            Map<String, CurrencyFigures> currencies,
            Map<String, Map<String, Long>> fees,
            List<OpenException> openExceptions,
            List<Resolved> resolved) {}

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    private static final Comparator<String> PROVIDER_ORDER =
            Comparator.<String, Boolean>comparing(UNKNOWN::equals)
                    .thenComparing(Comparator.naturalOrder());

    private static final String NONE = "—";

    private ReconciliationReport() {}

    /**
     * Writes the three files into {@code folder} (created if needed, files replaced).
     *
     * @param day the day reconciled, yyyy-MM-dd, shown in the title
     * @param items the day's items (the newest state of each)
     */
    public static Written write(
            Path folder, String day, List<ReconciliationItem> items, Instant generatedAt)
            throws IOException {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(generatedAt, "generatedAt");
        Summary summary = summarize(items);
        Files.createDirectories(folder);
        Written written =
                new Written(folder.resolve(MARKDOWN), folder.resolve(HTML), folder.resolve(JSON));
        Files.writeString(
                written.markdown(), markdown(day, generatedAt, summary), StandardCharsets.UTF_8);
        Files.writeString(written.html(), html(day, generatedAt, summary), StandardCharsets.UTF_8);
        Files.writeString(written.json(), json(day, generatedAt, summary), StandardCharsets.UTF_8);
        return written;
    }

    // ---------------------------------------------------------------- figures

    /** The figures of {@code items}; see the class comment for what each one counts. */
    public static Summary summarize(List<ReconciliationItem> items) {
        Map<ReconciliationCategory, int[]> categoryCounts =
                new EnumMap<>(ReconciliationCategory.class);
        Map<ReconciliationCategory, Map<String, Long>> categoryAmounts =
                new EnumMap<>(ReconciliationCategory.class);
        Map<ReconciliationCategory, Map<String, Long>> categoryDifferences =
                new EnumMap<>(ReconciliationCategory.class);
        for (ReconciliationCategory c : ReconciliationCategory.values()) {
            categoryCounts.put(c, new int[1]);
            categoryAmounts.put(c, new TreeMap<>());
            categoryDifferences.put(c, new TreeMap<>());
        }
        Map<String, int[]> providerCounts = new TreeMap<>(PROVIDER_ORDER);
        Map<String, Map<String, Long>> providerLedger = new TreeMap<>(PROVIDER_ORDER);
        Map<String, Map<String, Long>> providerSettled = new TreeMap<>(PROVIDER_ORDER);
        Map<String, long[]> currencies = new TreeMap<>();
        Map<String, Map<String, Long>> fees = new TreeMap<>(PROVIDER_ORDER);
        List<OpenException> exceptions = new ArrayList<>();
        List<ReconciliationItem> resolvedItems = new ArrayList<>();

        for (ReconciliationItem item : items) {
            ReconciliationCategory category = item.getCategory();
            Long ledger = item.getLedgerAmount();
            Long settled = item.getSettledAmount();
            String ledgerCurrency = orUnknown(item.getLedgerCurrency());
            String settledCurrency = orUnknown(item.getSettledCurrency());

            categoryCounts.get(category)[0]++;
            if (ledger != null) {
                add(categoryAmounts.get(category), ledgerCurrency, ledger);
            } else if (settled != null) {
                add(categoryAmounts.get(category), settledCurrency, settled);
            }
            if (category == ReconciliationCategory.AMOUNT_MISMATCH
                    && ledger != null
                    && settled != null
                    && ledgerCurrency.equals(settledCurrency)) {
                add(categoryDifferences.get(category), ledgerCurrency, settled - ledger);
            }

            String provider = orUnknown(item.getProvider());
            int[] counts = providerCounts.computeIfAbsent(provider, p -> new int[5]);
            counts[0]++;
            counts[1 + item.getStatus().ordinal()]++;
            Map<String, Long> pLedger =
                    providerLedger.computeIfAbsent(provider, p -> new TreeMap<>());
            Map<String, Long> pSettled =
                    providerSettled.computeIfAbsent(provider, p -> new TreeMap<>());
            if (ledger != null) {
                add(pLedger, ledgerCurrency, ledger);
                currencies.computeIfAbsent(ledgerCurrency, c -> new long[3])[1] += ledger;
            }
            if (settled != null) {
                add(pSettled, settledCurrency, settled);
                currencies.computeIfAbsent(settledCurrency, c -> new long[3])[2] += settled;
            }
            String itemCurrency = itemCurrency(item);
            if (itemCurrency != null) {
                currencies.computeIfAbsent(itemCurrency, c -> new long[3])[0]++;
            }

            if (item.getSettledCurrency() != null) {
                add(
                        fees.computeIfAbsent(provider, p -> new TreeMap<>()),
                        item.getSettledCurrency(),
                        item.getFee());
            }

            if (item.getStatus() == ReconciliationStatus.EXCEPTION) {
                exceptions.add(
                        new OpenException(
                                item.getItemId(),
                                item.getMerchantId(),
                                item.getProvider(),
                                category,
                                ledger,
                                item.getLedgerCurrency(),
                                settled,
                                item.getSettledCurrency(),
                                item.getSettlementRows().size(),
                                lastNote(item)));
            } else if (item.getStatus() == ReconciliationStatus.RESOLVED) {
                resolvedItems.add(item);
            }
        }

        Map<ReconciliationCategory, CategoryFigures> categories =
                new EnumMap<>(ReconciliationCategory.class);
        for (ReconciliationCategory c : ReconciliationCategory.values()) {
            categories.put(
                    c,
                    new CategoryFigures(
                            categoryCounts.get(c)[0],
                            freeze(categoryAmounts.get(c)),
                            freeze(categoryDifferences.get(c))));
        }
        Map<String, ProviderFigures> providers = new LinkedHashMap<>();
        providerCounts.forEach(
                (p, n) ->
                        providers.put(
                                p,
                                new ProviderFigures(
                                        n[0],
                                        n[1 + ReconciliationStatus.MATCHED.ordinal()],
                                        n[1 + ReconciliationStatus.EXCEPTION.ordinal()],
                                        n[1 + ReconciliationStatus.OPEN.ordinal()],
                                        n[1 + ReconciliationStatus.RESOLVED.ordinal()],
                                        freeze(providerLedger.get(p)),
                                        freeze(providerSettled.get(p)))));
        Map<String, CurrencyFigures> currencyFigures = new LinkedHashMap<>();
        currencies.forEach(
                (c, t) ->
                        currencyFigures.put(
                                c, new CurrencyFigures((int) t[0], t[1], t[2], t[2] - t[1])));
        Map<String, Map<String, Long>> feeFigures = new LinkedHashMap<>();
        fees.forEach((p, f) -> feeFigures.put(p, freeze(f)));

        exceptions.sort(
                Comparator.comparing(OpenException::category).thenComparing(OpenException::itemId));
        resolvedItems.sort(
                Comparator.comparing(ReconciliationItem::getUpdatedAt)
                        .reversed()
                        .thenComparing(ReconciliationItem::getItemId));
        List<Resolved> resolved = new ArrayList<>();
        for (ReconciliationItem item : resolvedItems) {
            resolved.add(
                    new Resolved(
                            item.getItemId(),
                            item.getCategory(),
                            item.getResolvedBy(),
                            item.getResolution(),
                            item.getUpdatedAt()));
        }
        return new Summary(
                items.size(),
                Collections.unmodifiableMap(categories),
                Collections.unmodifiableMap(providers),
                Collections.unmodifiableMap(currencyFigures),
                Collections.unmodifiableMap(feeFigures),
                List.copyOf(exceptions),
                List.copyOf(resolved));
    }

    /**
     * {@code minor} units as major units with two decimals and the currency code, {@code -12.34
     * EUR}.
     */
    public static String formatAmount(long minor, String currency) {
        return BigDecimal.valueOf(minor, 2).toPlainString() + " " + orUnknown(currency);
    }

    /** The currency an item counts in: its ledger side's when the ledger has an amount. */
    private static String itemCurrency(ReconciliationItem item) {
        if (item.getLedgerAmount() != null) {
            return orUnknown(item.getLedgerCurrency());
        }
        if (item.getSettledAmount() != null) {
            return orUnknown(item.getSettledCurrency());
        }
        return item.getLedgerCurrency() != null
                ? item.getLedgerCurrency()
                : item.getSettledCurrency();
    }

    private static String lastNote(ReconciliationItem item) {
        List<ReconciliationStep> history = item.getHistory();
        return history == null || history.isEmpty()
                ? null
                : history.get(history.size() - 1).getNote();
    }

    private static void add(Map<String, Long> amounts, String currency, long minor) {
        amounts.merge(currency, minor, Long::sum);
    }

    private static Map<String, Long> freeze(Map<String, Long> amounts) {
        return amounts == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(amounts));
    }

    private static String orUnknown(String text) {
        return text == null ? UNKNOWN : text;
    }

    /** Amounts per currency, {@code 12.34 EUR, 5.00 USD}; a dash when there is none. */
    private static String amounts(Map<String, Long> amounts) {
        if (amounts.isEmpty()) {
            return NONE;
        }
        List<String> parts = new ArrayList<>();
        amounts.forEach((c, v) -> parts.add(formatAmount(v, c)));
        return String.join(", ", parts);
    }

    private static String amount(Long minor, String currency) {
        return minor == null ? NONE : formatAmount(minor, currency);
    }

    private static String nothingToReconcile(String day) {
        return "Nothing to reconcile: no reconciliation item for " + day + ".";
    }

    private static String generated(Instant generatedAt, Summary s) {
        return "Generated "
                + TIME.format(generatedAt)
                + " UTC; "
                + s.items()
                + (s.items() == 1 ? " item." : " items.");
    }

    // ---------------------------------------------------------------- Markdown

    private static String markdown(String day, Instant generatedAt, Summary s) {
        StringBuilder md = new StringBuilder(8 * 1024);
        md.append("# Reconciliation ")
                .append(markdownText(day))
                .append("\n\n")
                .append(generated(generatedAt, s))
                .append("\n\n");
        if (s.items() == 0) {
            md.append(nothingToReconcile(markdownText(day))).append("\n\n");
        }

        int max = maxOf(s);
        md.append("## Categories\n\n")
                .append("| Category | Items | | Amount | Difference (settled − ledger) |\n")
                .append("|---|---:|---|---:|---:|\n");
        s.categories()
                .forEach(
                        (c, f) ->
                                md.append("| ")
                                        .append(c.name())
                                        .append(" | ")
                                        .append(f.count())
                                        .append(" | ")
                                        .append(textBar(f.count(), max))
                                        .append(" | ")
                                        .append(amounts(f.amounts()))
                                        .append(" | ")
                                        .append(
                                                c == ReconciliationCategory.AMOUNT_MISMATCH
                                                        ? amounts(f.differences())
                                                        : "")
                                        .append(" |\n"));

        md.append("\n## Providers\n\n");
        if (s.providers().isEmpty()) {
            md.append("None.\n");
        } else {
            md.append(
                            "| Provider | Items | Matched | Exceptions | Open | Resolved | Ledger | Settled |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            s.providers()
                    .forEach(
                            (p, f) ->
                                    md.append("| ")
                                            .append(markdownText(p))
                                            .append(" | ")
                                            .append(f.count())
                                            .append(" | ")
                                            .append(f.matched())
                                            .append(" | ")
                                            .append(f.exceptions())
                                            .append(" | ")
                                            .append(f.open())
                                            .append(" | ")
                                            .append(f.resolved())
                                            .append(" | ")
                                            .append(markdownText(amounts(f.ledger())))
                                            .append(" | ")
                                            .append(markdownText(amounts(f.settled())))
                                            .append(" |\n"));
        }

        md.append("\n## Currencies\n\n");
        if (s.currencies().isEmpty()) {
            md.append("None.\n");
        } else {
            md.append("| Currency | Items | Ledger | Settled | Difference (settled − ledger) |\n")
                    .append("|---|---:|---:|---:|---:|\n");
            s.currencies()
                    .forEach(
                            (c, f) ->
                                    md.append("| ")
                                            .append(markdownText(c))
                                            .append(" | ")
                                            .append(f.count())
                                            .append(" | ")
                                            .append(markdownText(formatAmount(f.ledger(), c)))
                                            .append(" | ")
                                            .append(markdownText(formatAmount(f.settled(), c)))
                                            .append(" | ")
                                            .append(markdownText(formatAmount(f.difference(), c)))
                                            .append(" |\n"));
        }

        md.append("\n## Fees\n\n");
        if (s.fees().isEmpty()) {
            md.append("None.\n");
        } else {
            md.append("| Provider | Fees |\n|---|---:|\n");
            s.fees()
                    .forEach(
                            (p, f) ->
                                    md.append("| ")
                                            .append(markdownText(p))
                                            .append(" | ")
                                            .append(markdownText(amounts(f)))
                                            .append(" |\n"));
        }

        md.append("\n## Open exceptions (").append(s.openExceptions().size()).append(")\n\n");
        if (s.openExceptions().isEmpty()) {
            md.append("None.\n");
        } else {
            md.append(
                            "| Item | Merchant | Provider | Category | Ledger | Settled | Settlement rows | Last note |\n")
                    .append("|---|---|---|---|---:|---:|---:|---|\n");
            for (OpenException e : s.openExceptions()) {
                md.append("| ")
                        .append(markdownText(e.itemId()))
                        .append(" | ")
                        .append(markdownText(orUnknown(e.merchantId())))
                        .append(" | ")
                        .append(markdownText(orUnknown(e.provider())))
                        .append(" | ")
                        .append(e.category().name())
                        .append(" | ")
                        .append(markdownText(amount(e.ledgerAmount(), e.ledgerCurrency())))
                        .append(" | ")
                        .append(markdownText(amount(e.settledAmount(), e.settledCurrency())))
                        .append(" | ")
                        .append(e.settlementRows())
                        .append(" | ")
                        .append(markdownText(e.lastNote() == null ? "" : e.lastNote()))
                        .append(" |\n");
            }
        }

        md.append("\n## Recently resolved (").append(s.resolved().size()).append(")\n\n");
        if (s.resolved().isEmpty()) {
            md.append("None.\n");
        } else {
            md.append("| Item | Category | Resolved by | Resolution | Updated (UTC) |\n")
                    .append("|---|---|---|---|---|\n");
            for (Resolved r : s.resolved()) {
                md.append("| ")
                        .append(markdownText(r.itemId()))
                        .append(" | ")
                        .append(r.category().name())
                        .append(" | ")
                        .append(markdownText(orUnknown(r.resolvedBy())))
                        .append(" | ")
                        .append(markdownText(r.resolution() == null ? "" : r.resolution()))
                        .append(" | ")
                        .append(TIME.format(r.updatedAt()))
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    private static int maxOf(Summary s) {
        int max = 0;
        for (CategoryFigures f : s.categories().values()) {
            max = Math.max(max, f.count());
        }
        return max;
    }

    /** Up to 20 blocks in proportion to {@code max}; at least one for a count above zero. */
    private static String textBar(int count, int max) {
        if (count <= 0 || max <= 0) {
            return "";
        }
        return "█".repeat(Math.max(1, (int) Math.round(20.0 * count / max)));
    }

    /** Text for a table cell: pipes, backslashes and tag brackets escaped, one line. */
    private static String markdownText(String text) {
        return text.replace("\\", "\\\\")
                .replace("|", "\\|")
                .replace("<", "\\<")
                .replace(">", "\\>")
                .replace("\r\n", " ")
                .replace('\n', ' ')
                .replace('\r', ' ');
    }

    // ---------------------------------------------------------------- HTML

    private static String html(String day, Instant generatedAt, Summary s) {
        String title = "Reconciliation " + day;
        StringBuilder h = new StringBuilder(32 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title))
                .append("</title>\n<style>\n")
                .append(
                        "body{font-family:sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append(
                        "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\n")
                .append(
                        "th:first-child,td:first-child,td.text{text-align:left}th{background:#f4f4f4}\n")
                .append("figure{margin:1em 0}figcaption{font-size:.9em;color:#555}\n")
                .append("</style>\n</head>\n<body>\n<h1>")
                .append(escape(title))
                .append("</h1>\n<p>")
                .append(escape(generated(generatedAt, s)))
                .append("</p>\n");
        if (s.items() == 0) {
            h.append("<p><b>").append(escape(nothingToReconcile(day))).append("</b></p>\n");
        }

        h.append("<h2>Categories</h2>\n<table>\n<tr><th>Category</th><th>Items</th>")
                .append("<th>Amount</th><th>Difference (settled − ledger)</th></tr>\n");
        s.categories()
                .forEach(
                        (c, f) ->
                                h.append("<tr><td>")
                                        .append(c.name())
                                        .append("</td><td>")
                                        .append(f.count())
                                        .append("</td><td>")
                                        .append(escape(amounts(f.amounts())))
                                        .append("</td><td>")
                                        .append(
                                                c == ReconciliationCategory.AMOUNT_MISMATCH
                                                        ? escape(amounts(f.differences()))
                                                        : "")
                                        .append("</td></tr>\n"));
        h.append("</table>\n");
        if (s.items() > 0) {
            h.append("<figure>\n")
                    .append(categoryChart(s))
                    .append("<figcaption>Items per category.</figcaption>\n</figure>\n");
        }

        h.append("<h2>Providers</h2>\n");
        if (s.providers().isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<table>\n<tr><th>Provider</th><th>Items</th><th>Matched</th>")
                    .append("<th>Exceptions</th><th>Open</th><th>Resolved</th><th>Ledger</th>")
                    .append("<th>Settled</th></tr>\n");
            s.providers()
                    .forEach(
                            (p, f) ->
                                    h.append("<tr><td>")
                                            .append(escape(p))
                                            .append("</td><td>")
                                            .append(f.count())
                                            .append("</td><td>")
                                            .append(f.matched())
                                            .append("</td><td>")
                                            .append(f.exceptions())
                                            .append("</td><td>")
                                            .append(f.open())
                                            .append("</td><td>")
                                            .append(f.resolved())
                                            .append("</td><td>")
                                            .append(escape(amounts(f.ledger())))
                                            .append("</td><td>")
                                            .append(escape(amounts(f.settled())))
                                            .append("</td></tr>\n"));
            h.append("</table>\n<figure>\n")
                    .append(providerChart(s))
                    .append("<figcaption>Items per provider by status.</figcaption>\n")
                    .append("</figure>\n");
        }

        h.append("<h2>Currencies</h2>\n");
        if (s.currencies().isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<table>\n<tr><th>Currency</th><th>Items</th><th>Ledger</th>")
                    .append("<th>Settled</th><th>Difference (settled − ledger)</th></tr>\n");
            s.currencies()
                    .forEach(
                            (c, f) ->
                                    h.append("<tr><td>")
                                            .append(escape(c))
                                            .append("</td><td>")
                                            .append(f.count())
                                            .append("</td><td>")
                                            .append(escape(formatAmount(f.ledger(), c)))
                                            .append("</td><td>")
                                            .append(escape(formatAmount(f.settled(), c)))
                                            .append("</td><td>")
                                            .append(escape(formatAmount(f.difference(), c)))
                                            .append("</td></tr>\n"));
            h.append("</table>\n");
        }

        h.append("<h2>Fees</h2>\n");
        if (s.fees().isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<table>\n<tr><th>Provider</th><th>Fees</th></tr>\n");
            s.fees()
                    .forEach(
                            (p, f) ->
                                    h.append("<tr><td>")
                                            .append(escape(p))
                                            .append("</td><td>")
                                            .append(escape(amounts(f)))
                                            .append("</td></tr>\n"));
            h.append("</table>\n");
        }

        h.append("<h2>Open exceptions (").append(s.openExceptions().size()).append(")</h2>\n");
        if (s.openExceptions().isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<table>\n<tr><th>Item</th><th>Merchant</th><th>Provider</th>")
                    .append("<th>Category</th><th>Ledger</th><th>Settled</th>")
                    .append("<th>Settlement rows</th><th>Last note</th></tr>\n");
            for (OpenException e : s.openExceptions()) {
                h.append("<tr><td>")
                        .append(escape(e.itemId()))
                        .append("</td><td class=\"text\">")
                        .append(escape(orUnknown(e.merchantId())))
                        .append("</td><td class=\"text\">")
                        .append(escape(orUnknown(e.provider())))
                        .append("</td><td class=\"text\">")
                        .append(e.category().name())
                        .append("</td><td>")
                        .append(escape(amount(e.ledgerAmount(), e.ledgerCurrency())))
                        .append("</td><td>")
                        .append(escape(amount(e.settledAmount(), e.settledCurrency())))
                        .append("</td><td>")
                        .append(e.settlementRows())
                        .append("</td><td class=\"text\">")
                        .append(escape(e.lastNote() == null ? "" : e.lastNote()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        h.append("<h2>Recently resolved (").append(s.resolved().size()).append(")</h2>\n");
        if (s.resolved().isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<table>\n<tr><th>Item</th><th>Category</th><th>Resolved by</th>")
                    .append("<th>Resolution</th><th>Updated (UTC)</th></tr>\n");
            for (Resolved r : s.resolved()) {
                h.append("<tr><td>")
                        .append(escape(r.itemId()))
                        .append("</td><td class=\"text\">")
                        .append(r.category().name())
                        .append("</td><td class=\"text\">")
                        .append(escape(orUnknown(r.resolvedBy())))
                        .append("</td><td class=\"text\">")
                        .append(escape(r.resolution() == null ? "" : r.resolution()))
                        .append("</td><td class=\"text\">")
                        .append(TIME.format(r.updatedAt()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** {@code text} with {@code & < > " '} as entities, so item data cannot break the page. */
    private static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- charts (inline SVG)

    private static final int CHART_WIDTH = 640;
    private static final int LABEL_WIDTH = 170;
    private static final int VALUE_WIDTH = 50;
    private static final int ROW_HEIGHT = 22;
    private static final int BAR_HEIGHT = 16;
    private static final int CHART_TOP = 10;

    private static final String GREEN = "#2ca02c";
    private static final String RED = "#d62728";
    private static final String ORANGE = "#ff7f0e";
    private static final String BLUE = "#1f77b4";

    private static String colour(ReconciliationCategory c) {
        return switch (c) {
            case MATCHED -> GREEN;
            case AWAITING_SETTLEMENT, AWAITING_LEDGER -> ORANGE;
            default -> RED;
        };
    }

    /** A horizontal bar per category, in the enum's order, its count at its end. */
    private static String categoryChart(Summary s) {
        int max = Math.max(1, maxOf(s));
        int rows = s.categories().size();
        int height = CHART_TOP * 2 + rows * ROW_HEIGHT;
        double plotW = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        StringBuilder svg = openSvg("Items per category", height);
        int row = 0;
        for (Map.Entry<ReconciliationCategory, CategoryFigures> e : s.categories().entrySet()) {
            double y = CHART_TOP + row * ROW_HEIGHT;
            int count = e.getValue().count();
            double w = plotW * count / max;
            svg.append(svgText(LABEL_WIDTH - 6, y + BAR_HEIGHT - 4, "end", e.getKey().name()));
            rect(
                    svg,
                    LABEL_WIDTH,
                    y,
                    w,
                    BAR_HEIGHT,
                    colour(e.getKey()),
                    e.getKey().name() + ": " + count);
            svg.append(svgText(LABEL_WIDTH + w + 4, y + BAR_HEIGHT - 4, "start", "" + count));
            row++;
        }
        svg.append(svgLine(LABEL_WIDTH, CHART_TOP - 2, LABEL_WIDTH, height - CHART_TOP + 2));
        return svg.append("</svg>\n").toString();
    }

    /** A stacked horizontal bar per provider: matched, exceptions, open, resolved; a legend. */
    private static String providerChart(Summary s) {
        int max = 1;
        for (ProviderFigures f : s.providers().values()) {
            max = Math.max(max, f.count());
        }
        int legendHeight = 22;
        int rows = s.providers().size();
        int height = CHART_TOP * 2 + legendHeight + rows * ROW_HEIGHT;
        double plotW = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        StringBuilder svg = openSvg("Items per provider by status", height);
        String[] names = {"matched", "exceptions", "open", "resolved"};
        String[] colours = {GREEN, RED, ORANGE, BLUE};
        for (int i = 0; i < names.length; i++) {
            double x = LABEL_WIDTH + i * 100;
            rect(svg, x, CHART_TOP, 12, 12, colours[i], names[i]);
            svg.append(svgText(x + 16, CHART_TOP + 12, "start", names[i]));
        }
        int row = 0;
        for (Map.Entry<String, ProviderFigures> e : s.providers().entrySet()) {
            ProviderFigures f = e.getValue();
            double y = CHART_TOP + legendHeight + row * ROW_HEIGHT;
            svg.append(svgText(LABEL_WIDTH - 6, y + BAR_HEIGHT - 4, "end", shorten(e.getKey())));
            int[] values = {f.matched(), f.exceptions(), f.open(), f.resolved()};
            double x = LABEL_WIDTH;
            for (int i = 0; i < values.length; i++) {
                if (values[i] == 0) {
                    continue;
                }
                double w = plotW * values[i] / max;
                rect(
                        svg,
                        x,
                        y,
                        w,
                        BAR_HEIGHT,
                        colours[i],
                        e.getKey() + ": " + values[i] + " " + names[i]);
                x += w;
            }
            svg.append(svgText(x + 4, y + BAR_HEIGHT - 4, "start", "" + f.count()));
            row++;
        }
        svg.append(
                svgLine(
                        LABEL_WIDTH,
                        CHART_TOP + legendHeight - 2,
                        LABEL_WIDTH,
                        height - CHART_TOP + 2));
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder openSvg(String title, int height) {
        return new StringBuilder()
                .append("<svg role=\"img\" width=\"")
                .append(CHART_WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(CHART_WIDTH)
                .append(' ')
                .append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\"><title>")
                .append(escape(title))
                .append("</title>\n");
    }

    private static void rect(
            StringBuilder svg,
            double x,
            double y,
            double width,
            double height,
            String colour,
            String tip) {
        svg.append("<rect x=\"")
                .append(fmt(x))
                .append("\" y=\"")
                .append(fmt(y))
                .append("\" width=\"")
                .append(fmt(width))
                .append("\" height=\"")
                .append(fmt(height))
                .append("\" fill=\"")
                .append(colour)
                .append("\"><title>")
                .append(escape(tip))
                .append("</title></rect>\n");
    }

    private static String svgText(double x, double y, String anchor, String value) {
        return "<text x=\""
                + fmt(x)
                + "\" y=\""
                + fmt(y)
                + "\" text-anchor=\""
                + anchor
                + "\">"
                + escape(value)
                + "</text>\n";
    }

    private static String svgLine(double x1, double y1, double x2, double y2) {
        return "<line x1=\""
                + fmt(x1)
                + "\" y1=\""
                + fmt(y1)
                + "\" x2=\""
                + fmt(x2)
                + "\" y2=\""
                + fmt(y2)
                + "\" stroke=\"#333\"/>\n";
    }

    private static String shorten(String name) {
        return name.length() <= 26 ? name : name.substring(0, 25) + "…";
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    // ---------------------------------------------------------------- JSON

    private static String json(String day, Instant generatedAt, Summary s) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("day", day);
        root.put("generated_at", generatedAt.toString());
        root.put("items", s.items());

        ObjectNode categories = root.putObject("categories");
        s.categories()
                .forEach(
                        (c, f) -> {
                            ObjectNode node = categories.putObject(c.name());
                            node.put("count", f.count());
                            putAmounts(node.putObject("amounts"), f.amounts());
                            if (c == ReconciliationCategory.AMOUNT_MISMATCH) {
                                putAmounts(node.putObject("differences"), f.differences());
                            }
                        });

        ObjectNode providers = root.putObject("providers");
        s.providers()
                .forEach(
                        (p, f) -> {
                            ObjectNode node = providers.putObject(p);
                            node.put("count", f.count());
                            node.put("matched", f.matched());
                            node.put("exceptions", f.exceptions());
                            node.put("open", f.open());
                            node.put("resolved", f.resolved());
                            putAmounts(node.putObject("ledger"), f.ledger());
                            putAmounts(node.putObject("settled"), f.settled());
                        });

        ObjectNode currencies = root.putObject("currencies");
        s.currencies()
                .forEach(
                        (c, f) -> {
                            ObjectNode node = currencies.putObject(c);
                            node.put("count", f.count());
                            node.put("ledger", f.ledger());
                            node.put("settled", f.settled());
                            node.put("difference", f.difference());
                        });

        ObjectNode fees = root.putObject("fees");
        s.fees().forEach((p, f) -> putAmounts(fees.putObject(p), f));

        ArrayNode exceptions = root.putArray("open_exceptions");
        for (OpenException e : s.openExceptions()) {
            ObjectNode node = exceptions.addObject();
            node.put("item_id", e.itemId());
            node.put("merchant_id", e.merchantId());
            node.put("provider", e.provider());
            node.put("category", e.category().name());
            node.put("ledger_amount", e.ledgerAmount());
            node.put("ledger_currency", e.ledgerCurrency());
            node.put("settled_amount", e.settledAmount());
            node.put("settled_currency", e.settledCurrency());
            node.put("settlement_rows", e.settlementRows());
            node.put("last_note", e.lastNote());
        }

        ArrayNode resolved = root.putArray("resolved");
        for (Resolved r : s.resolved()) {
            ObjectNode node = resolved.addObject();
            node.put("item_id", r.itemId());
            node.put("category", r.category().name());
            node.put("resolved_by", r.resolvedBy());
            node.put("resolution", r.resolution());
            node.put("updated_at", r.updatedAt().toString());
        }
        return mapper.writeValueAsString(root) + "\n";
    }

    private static void putAmounts(ObjectNode node, Map<String, Long> amounts) {
        amounts.forEach(node::put);
    }
}
