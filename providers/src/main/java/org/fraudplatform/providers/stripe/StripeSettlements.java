package org.fraudplatform.providers.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.fraudplatform.providers.PaymentProvider;
import org.fraudplatform.providers.http.Exchange;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;

/**
 * A day's settlement at Stripe, in the platform's settlement format: Stripe's balance transactions
 * created that day (UTC), {@code GET /v1/balance_transactions?created[gte]=…&created[lt]=…} page by
 * page ({@code starting_after}), each with its source expanded ({@code expand[]=data.source}).
 *
 * <ul>
 *   <li>A {@code charge} or {@code payment} becomes a {@code capture} row: our payment id and the
 *       capture's operation id from the PaymentIntent's metadata ({@code payment_id}, {@code
 *       capture_operation_id}; {@code capture} for an automatic capture), the charge's captured
 *       amount and currency, Stripe's fee.
 *   <li>A {@code refund} becomes a {@code refund} row: the operation id from the refund's metadata,
 *       the refund's amount.
 *   <li>Other types (payouts, adjustments, disputes, Stripe's own fees) are no movement the ledger
 *       ordered and are left out; a charge of a PaymentIntent without our payment id (made outside
 *       the platform) is left out too, and counted.
 * </ul>
 *
 * The fee is in the balance's currency, which is the charge's when the account settles in it.
 * Fetching a day again gives the same rows, so the importer's content hash takes it once.
 */
public final class StripeSettlements {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 100;

    private final StripeConnector connector;

    public StripeSettlements(StripeConnector connector) {
        this.connector = connector;
    }

    /** What a fetch found: the rows, and the balance transactions it could not attribute. */
    public record Day(List<SettlementReportFile.Row> rows, int notOurs) {}

    /**
     * Fetches one day.
     *
     * @throws IllegalStateException (through the future) when Stripe does not answer 200, so that
     *     the caller retries the whole day
     */
    public CompletableFuture<Day> fetch(LocalDate day) {
        return page(day, null, new ArrayList<>(), new int[1], new HashMap<>());
    }

    private CompletableFuture<Day> page(
            LocalDate day,
            String after,
            List<SettlementReportFile.Row> rows,
            int[] notOurs,
            Map<String, JsonNode> intents) {
        long from = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        String query =
                "/v1/balance_transactions?limit="
                        + PAGE
                        + "&"
                        + encode("created[gte]")
                        + "="
                        + from
                        + "&"
                        + encode("created[lt]")
                        + "="
                        + to
                        + "&"
                        + encode("expand[]")
                        + "="
                        + encode("data.source")
                        + (after == null ? "" : "&starting_after=" + encode(after));
        return connector
                .read(query)
                .thenCompose(
                        exchange -> {
                            JsonNode list = ok(exchange, "balance transactions of " + day);
                            List<CompletableFuture<Void>> rowsOfPage = new ArrayList<>();
                            String last = null;
                            for (JsonNode txn : list.path("data")) {
                                last = txn.path("id").asText();
                                rowsOfPage.add(row(day, txn, rows, notOurs, intents));
                            }
                            String next = last;
                            return CompletableFuture.allOf(
                                            rowsOfPage.toArray(new CompletableFuture<?>[0]))
                                    .thenCompose(
                                            done ->
                                                    list.path("has_more").asBoolean()
                                                                    && next != null
                                                            ? page(
                                                                    day, next, rows, notOurs,
                                                                    intents)
                                                            : CompletableFuture.completedFuture(
                                                                    new Day(
                                                                            sorted(rows),
                                                                            notOurs[0])));
                        });
    }

    private CompletableFuture<Void> row(
            LocalDate day,
            JsonNode txn,
            List<SettlementReportFile.Row> rows,
            int[] notOurs,
            Map<String, JsonNode> intents) {
        String type = txn.path("type").asText();
        boolean capture = type.equals("charge") || type.equals("payment");
        if (!capture && !type.equals("refund")) {
            return CompletableFuture.completedFuture(null);
        }
        JsonNode source = txn.path("source");
        String intentId = source.path("payment_intent").asText(null);
        if (intentId == null) {
            synchronized (rows) {
                notOurs[0]++;
            }
            return CompletableFuture.completedFuture(null);
        }
        return intent(intentId, intents)
                .thenAccept(
                        intent -> {
                            String paymentId =
                                    intent.path("metadata")
                                            .path(StripeConnector.PAYMENT_ID)
                                            .asText(null);
                            String operationId =
                                    capture
                                            ? intent.path("metadata")
                                                    .path(StripeConnector.CAPTURE_OPERATION_ID)
                                                    .asText(PaymentProvider.AUTOMATIC_CAPTURE)
                                            : source.path("metadata")
                                                    .path(StripeConnector.OPERATION_ID)
                                                    .asText(null);
                            synchronized (rows) {
                                if (paymentId == null || operationId == null) {
                                    notOurs[0]++;
                                    return;
                                }
                                rows.add(
                                        new SettlementReportFile.Row(
                                                connector.name(),
                                                day,
                                                capture ? "capture" : "refund",
                                                paymentId,
                                                operationId,
                                                source.path("id").asText(null),
                                                capture
                                                        ? source.path("amount_captured")
                                                                .asLong(
                                                                        source.path("amount")
                                                                                .asLong())
                                                        : source.path("amount").asLong(),
                                                source.path("currency")
                                                        .asText(txn.path("currency").asText())
                                                        .toUpperCase(Locale.ROOT),
                                                txn.path("fee").asLong(),
                                                Instant.ofEpochSecond(
                                                        txn.path("created").asLong())));
                            }
                        });
    }

    private CompletableFuture<JsonNode> intent(String id, Map<String, JsonNode> intents) {
        synchronized (intents) {
            JsonNode known = intents.get(id);
            if (known != null) {
                return CompletableFuture.completedFuture(known);
            }
        }
        return connector
                .read("/v1/payment_intents/" + encode(id))
                .thenApply(
                        exchange -> {
                            JsonNode intent = ok(exchange, "PaymentIntent " + id);
                            synchronized (intents) {
                                intents.put(id, intent);
                            }
                            return intent;
                        });
    }

    private static List<SettlementReportFile.Row> sorted(List<SettlementReportFile.Row> rows) {
        List<SettlementReportFile.Row> copy = new ArrayList<>(rows);
        copy.sort(
                java.util.Comparator.comparing(SettlementReportFile.Row::bookedAt)
                        .thenComparing(SettlementReportFile.Row::itemId));
        return List.copyOf(copy);
    }

    private static JsonNode ok(Exchange exchange, String what) {
        if (exchange instanceof Exchange.Answered a && a.status() == 200) {
            try {
                return JSON.readTree(a.body());
            } catch (IOException e) {
                throw new IllegalStateException("Stripe's " + what + " is not JSON");
            }
        }
        throw new IllegalStateException("Stripe did not give the " + what + ": " + exchange);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
