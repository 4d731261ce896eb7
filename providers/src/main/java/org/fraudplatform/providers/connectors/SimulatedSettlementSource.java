package org.fraudplatform.providers.connectors;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;
import org.fraudplatform.schemas.SettlementRecord;

/**
 * Fetches a simulated provider's day of settlement over HTTP ({@link SimulatedSettlementServer}),
 * as the connectors fetch Stripe's and Adyen's: the report is read whole and checked before
 * anything is written (its header, every line, the provider and day on every row), so a report that
 * does not parse is a failed fetch, retried, never half a day in the inbox.
 */
public final class SimulatedSettlementSource implements SettlementFetch.Source {

    private final String provider;
    private final URI base;
    private final String secret;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public SimulatedSettlementSource(String provider, URI base, String secret) {
        this.provider = provider;
        this.base = base;
        this.secret = secret;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public CompletableFuture<List<SettlementReportFile.Row>> fetch(LocalDate day) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(base + "/v1/settlements/" + day))
                        .timeout(Duration.ofMinutes(1))
                        .header("Authorization", "Bearer " + secret)
                        .GET()
                        .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> rows(day, response));
    }

    private List<SettlementReportFile.Row> rows(LocalDate day, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    provider
                            + " answered "
                            + response.statusCode()
                            + " for the settlement of "
                            + day
                            + ": "
                            + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        SettlementReportFile.ParsedReport parsed =
                SettlementReportFile.parse(
                        provider + "-" + day + ".csv", response.body(), Instant.now());
        if (!parsed.quarantined().isEmpty()) {
            SettlementReportFile.Quarantined first = parsed.quarantined().get(0);
            throw new IllegalStateException(
                    provider
                            + "'s settlement of "
                            + day
                            + " has "
                            + parsed.quarantined().size()
                            + " malformed lines, line "
                            + first.line()
                            + ": "
                            + first.reason());
        }
        return parsed.rows().stream().map(r -> row(day, r)).toList();
    }

    private SettlementReportFile.Row row(LocalDate day, SettlementRecord r) {
        if (!r.getProvider().equals(provider) || !r.getSettlementDate().equals(day.toString())) {
            throw new IllegalStateException(
                    provider
                            + "'s settlement of "
                            + day
                            + " has a row of "
                            + r.getProvider()
                            + " for "
                            + r.getSettlementDate()
                            + " (line "
                            + r.getLine()
                            + ")");
        }
        return new SettlementReportFile.Row(
                r.getProvider(),
                day,
                r.getType().name().toLowerCase(java.util.Locale.ROOT),
                r.getPaymentId(),
                r.getOperationId(),
                r.getProviderReference(),
                r.getAmount(),
                r.getCurrency(),
                r.getFee(),
                r.getBookedAt());
    }
}
