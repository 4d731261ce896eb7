package org.fraudplatform.providers.adyen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fraudplatform.providers.http.Secret;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A day's settlement at Adyen, in the platform's settlement format: the Settlement details reports
 * of the payout batches that Adyen announced that day (UTC).
 *
 * <p>Adyen generates one report per batch, {@code settlement_detail_report_batch_<n>.csv}, and
 * announces it with a {@code REPORT_AVAILABLE} notification whose {@code pspReference} is the file
 * name ({@link AdyenNotifications} passes it to {@link #announce}). The fetch downloads each with
 * {@code GET <report base>/<file name>}, the report base being {@code
 * https://ca-test.adyen.com/reports/download/MerchantAccount/<merchant account>} by default (the
 * notification's URL is not followed: the credentials go only to the configured host), with the
 * report user's basic authentication or an API key of a report user ({@code X-API-Key}). Each
 * report is read whole by {@link AdyenSettlementReport}; if one cannot be downloaded or read, the
 * day fails and nothing of it is written, so the fetch asks again.
 *
 * <p>The announcements are written to a file of their own ({@code <day> <batch>} a line) when one
 * is given, so a report announced before a restart is still fetched with its day; without one they
 * live in memory only.
 */
public final class AdyenSettlements {

    private static final Logger log = LoggerFactory.getLogger(AdyenSettlements.class);
    private static final Pattern FILE =
            Pattern.compile("settlement_detail_report_batch_(\\d{1,9})\\.csv");

    /** Adyen's test Customer Area, where reports are downloaded from. */
    public static final String TEST_REPORTS =
            "https://ca-test.adyen.com/reports/download/MerchantAccount/";

    /**
     * How reports are downloaded.
     *
     * @param reportBase the folder of the merchant account's reports, without a trailing slash
     * @param user the report user ({@code report@Company.<company account>}) with {@code password},
     *     or null when an API key is used
     * @param password the report user's password, or null
     * @param apiKey an API key of the report user, or null when basic authentication is used
     */
    public record ReportAccess(URI reportBase, String user, Secret password, Secret apiKey) {
        public ReportAccess {
            Objects.requireNonNull(reportBase, "reportBase");
            String base = reportBase.toString();
            if (base.endsWith("/")) {
                reportBase = URI.create(base.substring(0, base.length() - 1));
            }
            if ((apiKey == null) == (user == null || password == null)) {
                throw new IllegalArgumentException(
                        "reports are downloaded with a report user and password, or an API key:"
                                + " exactly one of them");
            }
            String host = reportBase.getHost();
            boolean loopback =
                    "http".equals(reportBase.getScheme())
                            && host != null
                            && (host.equals("localhost") || host.equals("127.0.0.1"));
            if (!"https".equals(reportBase.getScheme()) && !loopback) {
                throw new IllegalArgumentException(
                        "Adyen's report URI must be https (plain http only on the loopback): "
                                + reportBase);
            }
        }

        /** The default report base of a merchant account in Adyen's test environment. */
        public static URI testBase(String merchantAccount) {
            return URI.create(TEST_REPORTS + merchantAccount);
        }
    }

    private final String provider;
    private final String merchantAccount;
    private final ReportAccess access;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<LocalDate, TreeSet<Integer>> announced = new TreeMap<>();
    private final java.nio.file.Path memory;

    /** Announcements remembered in memory only. */
    public AdyenSettlements(AdyenSettings settings, ReportAccess access) {
        this(settings, access, null);
    }

    /**
     * @param memory the file the announcements are kept in across restarts (read now, appended to
     *     on each new one), or null to keep them in memory only
     * @throws java.io.UncheckedIOException when the file exists and cannot be read
     * @throws IllegalStateException naming the line when the file holds something else
     */
    public AdyenSettlements(
            AdyenSettings settings, ReportAccess access, java.nio.file.Path memory) {
        this.provider = settings.name();
        this.merchantAccount = settings.merchantAccount();
        this.access = access;
        this.timeout = settings.callTimeout().multipliedBy(6);
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(settings.connectTimeout())
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        this.memory = memory;
        if (memory != null && java.nio.file.Files.exists(memory)) {
            try {
                List<String> lines =
                        java.nio.file.Files.readAllLines(memory, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.isEmpty()) {
                        continue;
                    }
                    String[] parts = line.split(" ");
                    try {
                        announced
                                .computeIfAbsent(LocalDate.parse(parts[0]), d -> new TreeSet<>())
                                .add(Integer.parseInt(parts[1]));
                    } catch (RuntimeException e) {
                        throw new IllegalStateException(
                                memory
                                        + ":"
                                        + (i + 1)
                                        + ": expected '<day> <batch>', found '"
                                        + line
                                        + "'");
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + memory, e);
            }
        }
    }

    public String provider() {
        return provider;
    }

    /**
     * Takes note of a report Adyen announced ({@code REPORT_AVAILABLE}); reports that are not a
     * Settlement details report of a batch are ignored.
     *
     * @return whether it is a settlement report the fetch of its day will download
     */
    public boolean announce(String fileName, Instant at) {
        Matcher m = FILE.matcher(fileName == null ? "" : fileName);
        if (!m.matches()) {
            return false;
        }
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        int batch = Integer.parseInt(m.group(1));
        synchronized (announced) {
            if (announced.computeIfAbsent(day, d -> new TreeSet<>()).add(batch) && memory != null) {
                try {
                    if (memory.getParent() != null) {
                        java.nio.file.Files.createDirectories(memory.getParent());
                    }
                    java.nio.file.Files.writeString(
                            memory,
                            day + " " + batch + "\n",
                            StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND,
                            java.nio.file.StandardOpenOption.SYNC);
                } catch (java.io.IOException e) {
                    // Adyen sends the notification again when it is not accepted
                    announced.get(day).remove(batch);
                    throw new java.io.UncheckedIOException(
                            "cannot remember " + fileName + " in " + memory, e);
                }
            }
        }
        log.info("{}: {} announced on {}", provider, fileName, day);
        return true;
    }

    /** The batches announced on a day, in order. */
    public List<Integer> batches(LocalDate day) {
        synchronized (announced) {
            return List.copyOf(announced.getOrDefault(day, new TreeSet<>()));
        }
    }

    /**
     * Fetches one day: every batch announced on it, downloaded and read whole.
     *
     * @throws IllegalStateException (through the future) when a report cannot be downloaded, and
     *     IllegalArgumentException when one cannot be read, so that the caller retries the day
     */
    public CompletableFuture<List<SettlementReportFile.Row>> fetch(LocalDate day) {
        List<CompletableFuture<AdyenSettlementReport.Read>> reports = new ArrayList<>();
        for (int batch : batches(day)) {
            reports.add(batch(batch, day));
        }
        return CompletableFuture.allOf(reports.toArray(new CompletableFuture<?>[0]))
                .thenApply(done -> rowsOf(reports.stream().map(r -> r.join()).toList()));
    }

    /**
     * A day's settlement rows from its reports, in the order the inbox gets them (booking time,
     * then item): the same reports always give the same bytes, so the importer takes a day once
     * whether it was fetched or brought in by hand.
     */
    public static List<SettlementReportFile.Row> rowsOf(List<AdyenSettlementReport.Read> reports) {
        List<SettlementReportFile.Row> rows = new ArrayList<>();
        reports.forEach(r -> rows.addAll(r.rows()));
        rows.sort(
                Comparator.comparing(SettlementReportFile.Row::bookedAt)
                        .thenComparing(SettlementReportFile.Row::itemId));
        return List.copyOf(rows);
    }

    /** Downloads and reads one batch's report, its rows dated {@code day}. */
    public CompletableFuture<AdyenSettlementReport.Read> batch(int batch, LocalDate day) {
        String file = "settlement_detail_report_batch_" + batch + ".csv";
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(access.reportBase() + "/" + file))
                        .timeout(timeout)
                        .GET();
        if (access.apiKey() != null) {
            request.header("X-API-Key", access.apiKey().reveal());
        } else {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (access.user() + ":" + access.password().reveal())
                                                    .getBytes(StandardCharsets.UTF_8)));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(
                        response -> {
                            log.info("{} GET {}: {}", provider, file, response.statusCode());
                            if (response.statusCode() != 200) {
                                throw new IllegalStateException(
                                        "Adyen answered " + response.statusCode() + " for " + file);
                            }
                            AdyenSettlementReport.Read read =
                                    AdyenSettlementReport.read(
                                            file, response.body(), provider, merchantAccount, day);
                            log.info(
                                    "{}: {} holds {} rows of ours, {} left out",
                                    provider,
                                    file,
                                    read.rows().size(),
                                    read.leftOut());
                            return read;
                        });
    }
}
