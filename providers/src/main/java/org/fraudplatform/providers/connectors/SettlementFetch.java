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
 * {@link #start} and directly by tests; {@link #fetch} fetches a given day at once, and {@link
 * #status} tells where each source stands, for {@code /health}.
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
    private final Map<String, Long> failuresBySource = new LinkedHashMap<>();
    private final Map<String, String> lastError = new LinkedHashMap<>();
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
            LocalDate last = fetched.get(name);
            if (last != null && !last.isBefore(day)) {
                continue;
            }
            Instant next = nextAttempt.get(name);
            if (next != null && now.isBefore(next)) {
                continue;
            }
            if (attempt(source, day, now, true)) {
                written++;
            }
        }
        return written;
    }

    /**
     * Fetches one day of every source now, whatever the schedule says (an operator's catch-up, or a
     * test): each report goes into the inbox like a scheduled one, and a failure is counted; the
     * schedule's own attempts and their pauses are left as they were.
     *
     * @return the sources whose day could not be fetched, with why
     */
    public synchronized Map<String, String> fetch(LocalDate day) {
        Map<String, String> failed = new LinkedHashMap<>();
        for (Source source : sources) {
            if (!attempt(source, day, clock.instant(), false)) {
                failed.put(source.provider(), lastError.get(source.provider()));
            }
        }
        return failed;
    }

    private boolean attempt(Source source, LocalDate day, Instant now, boolean scheduled) {
        String name = source.provider();
        try {
            List<SettlementReportFile.Row> rows = source.fetch(day).get(5, TimeUnit.MINUTES);
            write(name, day, rows);
            // a whole day counts as fetched; today's rows so far do not
            LocalDate last = fetched.get(name);
            if (day.isBefore(LocalDate.ofInstant(now, ZoneOffset.UTC))
                    && (last == null || day.isAfter(last))) {
                fetched.put(name, day);
            }
            nextAttempt.remove(name);
            pause.remove(name);
            lastError.remove(name);
            log.info("{}: settlement of {} fetched, {} rows", name, day, rows.size());
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failures.incrementAndGet();
            failuresBySource.merge(name, 1L, Long::sum);
            Duration wait = pause.getOrDefault(name, firstRetry);
            if (scheduled) {
                nextAttempt.put(name, now.plus(wait));
                Duration doubled = wait.multipliedBy(2);
                pause.put(name, doubled.compareTo(maxRetry) > 0 ? maxRetry : doubled);
            }
            String reason =
                    e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                            ? e.getCause().getMessage()
                            : e.toString();
            lastError.put(name, reason);
            log.warn(
                    "{}: settlement of {} not fetched ({}){}",
                    name,
                    day,
                    reason,
                    scheduled ? "; trying again in " + wait : "");
            return false;
        }
    }

    /**
     * Where one source's fetch stands, for {@code /health}.
     *
     * @param provider the source
     * @param state {@code fetched} (its previous day is in the inbox), {@code waiting} (the fetch
     *     time has not come, or its first attempt is this minute), {@code retrying} (an attempt
     *     failed, the next one is at {@code nextAttempt}) or {@code missing} (its previous day is
     *     still not fetched an hour after the fetch time: the alert)
     * @param lastFetched the last day fetched, or null
     * @param failures the fetches of it that failed since the start
     * @param lastError why the last attempt failed, or null once one succeeded
     * @param nextAttempt when it is asked again after a failure, or null
     */
    public record Status(
            String provider,
            String state,
            LocalDate lastFetched,
            long failures,
            String lastError,
            Instant nextAttempt) {}

    /** Each source's state, in the order the sources were given. */
    public synchronized List<Status> status() {
        List<String> missing = missing();
        LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        return sources.stream()
                .map(Source::provider)
                .map(
                        name -> {
                            LocalDate last = fetched.get(name);
                            String state =
                                    missing.contains(name)
                                            ? "missing"
                                            : last != null && !last.isBefore(yesterday)
                                                    ? "fetched"
                                                    : lastError.containsKey(name)
                                                            ? "retrying"
                                                            : "waiting";
                            return new Status(
                                    name,
                                    state,
                                    last,
                                    failuresBySource.getOrDefault(name, 0L),
                                    lastError.get(name),
                                    nextAttempt.get(name));
                        })
                .toList();
    }

    /** The providers fetched, in order. */
    public List<String> providers() {
        return sources.stream().map(Source::provider).toList();
    }

    /** Fetches of one provider that failed, for the metrics. */
    public synchronized long failures(String provider) {
        return failuresBySource.getOrDefault(provider, 0L);
    }

    /** Whether a provider's previous day is still missing an hour after the fetch time (0 or 1). */
    public synchronized int missing(String provider) {
        return missing().contains(provider) ? 1 : 0;
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
