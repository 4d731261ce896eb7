package org.fraudplatform.providers.connectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.fraudplatform.providers.JournalEntry;
import org.fraudplatform.providers.SettlementReportGenerator;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;

/**
 * The simulated providers' settlement reports over HTTP, as a real provider serves its own: {@code
 * GET /{provider}/v1/settlements/{yyyy-MM-dd}} answers the day's report (the settlement CSV) from
 * what the provider performed, with the honest content {@link SettlementReportGenerator} gives
 * (every approved capture and refund booked that day, its fee, no flaw). Bound to the loopback
 * only; a caller must present the secret this server made at start ({@code Authorization: Bearer
 * …}). A day not yet begun is 404, an unknown provider 404, a malformed date 400, a missing or
 * wrong secret 401. The same journal gives the same bytes to every API instance, so the importer's
 * content hash takes the day once however many instances fetch it.
 */
public final class SimulatedSettlementServer implements AutoCloseable {

    private final HttpServer server;
    private final String secret;

    /** What a simulated provider performed on one UTC day, in the order it did. */
    @FunctionalInterface
    public interface DayJournal {
        List<JournalEntry> entries(String provider, LocalDate day);
    }

    private final Map<String, DayJournal> journals;
    private final Clock clock;

    /**
     * @param journals each simulated provider's journal by its name: the operations it performed on
     *     a day (across API instances), in order
     */
    public SimulatedSettlementServer(Map<String, DayJournal> journals, Clock clock)
            throws IOException {
        this.journals = Map.copyOf(journals);
        this.clock = clock;
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "simulated-settlements");
                            t.setDaemon(true);
                            return t;
                        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Where a provider's reports are: {@code <uri>/v1/settlements/<day>}. */
    public URI uri(String provider) {
        return URI.create(
                "http://"
                        + server.getAddress().getAddress().getHostAddress()
                        + ":"
                        + server.getAddress().getPort()
                        + "/"
                        + provider);
    }

    /** The secret a caller presents. */
    public String secret() {
        return secret;
    }

    /** One settlement source per simulated provider, fetching from this server over HTTP. */
    public List<SimulatedSettlementSource> sources() {
        return journals.keySet().stream()
                .sorted()
                .map(name -> new SimulatedSettlementSource(name, uri(name), secret))
                .toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, "only GET");
                return;
            }
            String given = exchange.getRequestHeaders().getFirst("Authorization");
            if (given == null
                    || !MessageDigest.isEqual(
                            given.getBytes(StandardCharsets.UTF_8),
                            ("Bearer " + secret).getBytes(StandardCharsets.UTF_8))) {
                answer(exchange, 401, "a settlement report needs the provider's secret");
                return;
            }
            String[] parts = exchange.getRequestURI().getPath().split("/");
            // "", provider, "v1", "settlements", day
            if (parts.length != 5 || !parts[2].equals("v1") || !parts[3].equals("settlements")) {
                answer(exchange, 404, "no such resource: use /{provider}/v1/settlements/{day}");
                return;
            }
            DayJournal journal = journals.get(parts[1]);
            if (journal == null) {
                answer(exchange, 404, "no simulated provider named " + parts[1]);
                return;
            }
            LocalDate day;
            try {
                day = LocalDate.parse(parts[4]);
            } catch (DateTimeParseException e) {
                answer(exchange, 400, "the day must be yyyy-MM-dd, was " + parts[4]);
                return;
            }
            if (day.isAfter(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC))) {
                answer(exchange, 404, day + " has not begun: nothing is settled for it yet");
                return;
            }
            List<SettlementReportFile.Row> rows =
                    SettlementReportGenerator.generate(
                                    journal.entries(parts[1], day),
                                    parts[1],
                                    day,
                                    SettlementReportGenerator.FeeModel.standard(),
                                    SettlementReportGenerator.Flaws.none(),
                                    1L)
                            .rows();
            byte[] body = SettlementReportFile.toCsv(rows).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/csv; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (RuntimeException e) {
            answer(exchange, 500, "the report could not be made: " + e.getMessage());
        }
    }

    private static void answer(HttpExchange exchange, int status, String message)
            throws IOException {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
