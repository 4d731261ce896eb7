package org.fraudplatform.providers.connectors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches each provider's settlement of the previous day (UTC) once a day and drops it into the
 * settlement inbox, where the same importer as for a dropped file takes it (its content hash makes
 * a refetch import nothing twice).
 *
 * <p>From {@code fetchAt} (UTC) on, each source whose previous day is not yet fetched is asked; a
 * failure is asked again after a pause that doubles from {@code firstRetry} up to {@code maxRetry}.
 * The report is written as a dot-file and moved into place, so the inbox never sees it
 * half-written. {@link #missing} names the sources whose previous day is still not fetched an hour
 * after {@code fetchAt}: an alert. {@link #runDue} is the whole logic, called every minute by
 * {@link #start} and directly by tests.
 */
public final class SettlementFetch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SettlementFetch.class);

    /** A provider whose day of settlement can be fetched. */
    public interface Source {
        String provider();

        CompletableFuture<List<SettlementReportFile.Row>> fetch(LocalDate day);
    }

    private final List<Source> sources;
    private final Path inbox;
    private final LocalTime fetchAt;
    private final Clock clock;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final Map<String, LocalDate> fetched = new LinkedHashMap<>();
    private final Map<String, Instant> nextAttempt = new LinkedHashMap<>();
    private final Map<String, Duration> pause = new LinkedHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private final LocalDate firstDay;
    private java.util.concurrent.ScheduledExecutorService timer;

    public SettlementFetch(
            List<Source> sources,
            Path inbox,
            LocalTime fetchAt,
            Clock clock,
            Duration firstRetry,
            Duration maxRetry) {
        this.sources = List.copyOf(sources);
        this.inbox = inbox;
        this.fetchAt = fetchAt;
        this.clock = clock;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        // the first day this fetch answers for: the day before it was made
        this.firstDay = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
    }

    /** Checks every minute what is due, on a daemon thread. */
    public synchronized void start() {
        timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "settlement-fetch");
                            t.setDaemon(true);
                            return t;
                        });
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        runDue();
                    } catch (RuntimeException e) {
                        log.error("settlement fetch failed; trying again in a minute", e);
                    }
                },
                0,
                1,
                TimeUnit.MINUTES);
    }

    /**
     * Fetches the previous day of every source that is due now.
     *
     * @return how many reports it wrote
     */
    public synchronized int runDue() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (now.isBefore(today.atTime(fetchAt).toInstant(ZoneOffset.UTC))) {
            return 0;
        }
        LocalDate day = today.minusDays(1);
        int written = 0;
        for (Source source : sources) {
            String name = source.provider();
            if (day.equals(fetched.get(name))) {
                continue;
            }
            Instant next = nextAttempt.get(name);
            if (next != null && now.isBefore(next)) {
                continue;
            }
            try {
                List<SettlementReportFile.Row> rows = source.fetch(day).get(5, TimeUnit.MINUTES);
                write(name, day, rows);
                fetched.put(name, day);
                nextAttempt.remove(name);
                pause.remove(name);
                written++;
                log.info("{}: settlement of {} fetched, {} rows", name, day, rows.size());
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                failures.incrementAndGet();
                Duration wait = pause.getOrDefault(name, firstRetry);
                nextAttempt.put(name, now.plus(wait));
                Duration doubled = wait.multipliedBy(2);
                pause.put(name, doubled.compareTo(maxRetry) > 0 ? maxRetry : doubled);
                log.warn(
                        "{}: settlement of {} not fetched ({}); trying again in {}",
                        name,
                        day,
                        e.getCause() != null ? e.getCause().getMessage() : e.toString(),
                        wait);
            }
        }
        return written;
    }

    /** The sources whose previous day is still not fetched an hour after the fetch time. */
    public synchronized List<String> missing() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (now.isBefore(today.atTime(fetchAt).plusHours(1).toInstant(ZoneOffset.UTC))) {
            today = today.minusDays(1);
        }
        LocalDate due = today.minusDays(1);
        if (due.isBefore(firstDay)) {
            return List.of();
        }
        return sources.stream()
                .map(Source::provider)
                .filter(
                        name -> {
                            LocalDate last = fetched.get(name);
                            return last == null || last.isBefore(due);
                        })
                .toList();
    }

    /** Fetches that failed, for the metrics. */
    public long failures() {
        return failures.get();
    }

    private void write(String provider, LocalDate day, List<SettlementReportFile.Row> rows)
            throws IOException {
        Files.createDirectories(inbox);
        String name = provider + "-" + day + ".csv";
        Path partial = inbox.resolve("." + name + ".part");
        Files.writeString(partial, SettlementReportFile.toCsv(rows), StandardCharsets.UTF_8);
        Files.move(
                partial,
                inbox.resolve(name),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
