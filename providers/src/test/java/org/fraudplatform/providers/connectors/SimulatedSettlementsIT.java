package org.fraudplatform.providers.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.fraudplatform.providers.JournalEntry;
import org.fraudplatform.providers.JournalEntry.Operation;
import org.fraudplatform.providers.ProviderResult.Outcome;
import org.fraudplatform.providers.SettlementReportGenerator;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated providers serve their day of settlement over HTTP on the loopback, and the
 * settlement fetch reads it as it reads a real provider's: whole and checked, or not at all.
 */
class SimulatedSettlementsIT {

    private static final LocalDate DAY = LocalDate.of(2026, 3, 2);
    private static final Clock NEXT_MORNING =
            Clock.fixed(Instant.parse("2026-03-03T04:00:00Z"), ZoneOffset.UTC);

    private final List<JournalEntry> journal =
            List.of(
                    entry("2026-03-02T09:00:00Z", "pay_1", Operation.AUTHORIZE, "", 2_500),
                    entry("2026-03-02T09:00:01Z", "pay_1", Operation.CAPTURE, "capture", 2_500),
                    entry("2026-03-02T10:00:00Z", "pay_1", Operation.REFUND, "refund-1", 500),
                    entry("2026-03-01T23:59:59Z", "pay_0", Operation.CAPTURE, "capture", 900),
                    entry("2026-03-03T00:00:00Z", "pay_2", Operation.CAPTURE, "capture", 700));
    private SimulatedSettlementServer server;
    private HttpServer broken;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (broken != null) {
            broken.stop(0);
        }
    }

    @Test
    void shouldServeTheDaysCapturesAndRefundsWithFeesAsTheGeneratorMakesThem() throws Exception {
        server =
                new SimulatedSettlementServer(
                        Map.of(
                                "simulated-a",
                                (name, day) -> journal,
                                "simulated-b",
                                (name, day) -> List.of()),
                        NEXT_MORNING);

        List<SettlementReportFile.Row> a = fetch(source("simulated-a"), DAY);
        List<SettlementReportFile.Row> b = fetch(source("simulated-b"), DAY);

        assertThat(a)
                .isEqualTo(
                        SettlementReportGenerator.generate(
                                        journal,
                                        "simulated-a",
                                        DAY,
                                        SettlementReportGenerator.FeeModel.standard(),
                                        SettlementReportGenerator.Flaws.none(),
                                        1L)
                                .rows());
        assertThat(a)
                .extracting(
                        SettlementReportFile.Row::paymentId,
                        SettlementReportFile.Row::type,
                        SettlementReportFile.Row::amount,
                        SettlementReportFile.Row::fee)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pay_1", "capture", 2_500L, 60L),
                        org.assertj.core.groups.Tuple.tuple("pay_1", "refund", 500L, 0L));
        assertThat(b).isEmpty();
        assertThat(server.sources())
                .extracting(SimulatedSettlementSource::provider)
                .containsExactly("simulated-a", "simulated-b");
    }

    @Test
    void shouldRefuseACallerWithoutTheSecretAnUnknownProviderAndADayNotBegun() throws Exception {
        server =
                new SimulatedSettlementServer(
                        Map.of("simulated-a", (name, day) -> journal), NEXT_MORNING);
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> noSecret =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                server.uri("simulated-a")
                                                        + "/v1/settlements/"
                                                        + DAY))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(noSecret.statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> fetch(source("simulated-z"), DAY))
                .hasMessageContaining("404")
                .hasMessageContaining("no simulated provider named simulated-z");
        assertThatThrownBy(() -> fetch(source("simulated-a"), LocalDate.of(2026, 3, 4)))
                .hasMessageContaining("404")
                .hasMessageContaining("has not begun");
        assertThatThrownBy(
                        () ->
                                fetch(
                                        new SimulatedSettlementSource(
                                                "simulated-a", server.uri("simulated-a"), "wrong"),
                                        DAY))
                .hasMessageContaining("401");
    }

    @Test
    void shouldFailTheWholeFetchWhenTheReportHasAMalformedLineOrAnotherDaysRow() throws Exception {
        String good =
                "simulated-a,2026-03-02,capture,pay_1,capture,ref_1,2500,EUR,60,2026-03-02T09:00:01Z";
        broken = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve(
                "/bad-line/v1/settlements/" + DAY,
                SettlementReportFile.HEADER
                        + "\n"
                        + good
                        + "\nsimulated-a,2026-03-02,capture,pay_2\n");
        serve(
                "/other-day/v1/settlements/" + DAY,
                SettlementReportFile.HEADER
                        + "\n"
                        + good.replace("2026-03-02,", "2026-03-01,")
                        + "\n");
        broken.start();
        String base = "http://127.0.0.1:" + broken.getAddress().getPort();

        assertThatThrownBy(
                        () ->
                                fetch(
                                        new SimulatedSettlementSource(
                                                "simulated-a", URI.create(base + "/bad-line"), "s"),
                                        DAY))
                .hasMessageContaining("1 malformed lines, line 3");
        assertThatThrownBy(
                        () ->
                                fetch(
                                        new SimulatedSettlementSource(
                                                "simulated-a",
                                                URI.create(base + "/other-day"),
                                                "s"),
                                        DAY))
                .hasMessageContaining("a row of simulated-a for 2026-03-01");
    }

    private void serve(String path, String body) {
        broken.createContext(
                path,
                exchange -> {
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                    exchange.close();
                });
    }

    private SimulatedSettlementSource source(String provider) {
        return new SimulatedSettlementSource(provider, server.uri(provider), server.secret());
    }

    private static List<SettlementReportFile.Row> fetch(
            SimulatedSettlementSource source, LocalDate day) throws Exception {
        try {
            return source.fetch(day).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static JournalEntry entry(
            String time, String paymentId, Operation operation, String operationId, long amount) {
        return new JournalEntry(
                Instant.parse(time),
                paymentId,
                operation,
                operationId,
                amount,
                "EUR",
                Outcome.APPROVED,
                "ref_" + paymentId,
                null);
    }
}
