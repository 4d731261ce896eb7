package org.fraudplatform.providers.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettlementFetchTest {

    private static final LocalDate YESTERDAY = LocalDate.parse("2026-03-01");
    private static final Instant T0 = Instant.parse("2026-03-02T04:00:00Z");
    private static final LocalTime FETCH_AT = LocalTime.of(4, 0);

    @TempDir Path inbox;

    private Instant now = T0;
    private final Clock clock =
            new Clock() {
                @Override
                public Instant instant() {
                    return now;
                }

                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }
            };

    @Test
    void shouldDropYesterdaysReportIntoTheInboxAtTheFetchTime() throws Exception {
        Stub stripe = new Stub("stripe-eu");
        SettlementFetch fetch = fetch(stripe);

        now = T0.minusSeconds(60);
        int early = fetch.runDue();
        now = T0;
        int due = fetch.runDue();
        int again = fetch.runDue();

        assertThat(early).isZero();
        assertThat(due).isEqualTo(1);
        assertThat(again).as("a day is fetched once").isZero();
        assertThat(stripe.asked).containsExactly(YESTERDAY);
        try (var files = Files.list(inbox)) {
            assertThat(files)
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly("stripe-eu-2026-03-01.csv");
        }
        assertThat(Files.readString(inbox.resolve("stripe-eu-2026-03-01.csv")))
                .isEqualTo(SettlementReportFile.toCsv(List.of(row("stripe-eu"))));
    }

    @Test
    void shouldAskAgainAfterGrowingPausesWhenAFetchFails() {
        Stub stripe = new Stub("stripe-eu");
        stripe.failures = 3;
        SettlementFetch fetch = fetch(stripe);

        fetch.runDue(); // fails, next in 1 min
        now = T0.plusSeconds(59);
        fetch.runDue(); // too early
        now = T0.plusSeconds(60);
        fetch.runDue(); // fails, next in 2 min
        now = T0.plusSeconds(60 + 119);
        fetch.runDue(); // too early
        now = T0.plusSeconds(60 + 120);
        fetch.runDue(); // fails, next in 4 min
        now = T0.plusSeconds(180 + 240);
        int written = fetch.runDue();

        assertThat(stripe.asked).hasSize(4);
        assertThat(written).isEqualTo(1);
        assertThat(fetch.failures()).isEqualTo(3);
    }

    @Test
    void shouldNameAProviderWhoseDayIsStillMissingAnHourAfterTheFetchTime() {
        Stub stripe = new Stub("stripe-eu");
        Stub adyen = new Stub("adyen");
        adyen.failures = Integer.MAX_VALUE;
        SettlementFetch fetch = fetch(stripe, adyen);

        fetch.runDue();
        now = T0.plus(Duration.ofMinutes(59));
        List<String> withinTheHour = fetch.missing();
        now = T0.plus(Duration.ofMinutes(61));
        fetch.runDue();
        List<String> afterTheHour = fetch.missing();

        assertThat(withinTheHour).isEmpty();
        assertThat(afterTheHour).containsExactly("adyen");
    }

    @Test
    void shouldTellEachProvidersStateWithItsLastError() {
        Stub stripe = new Stub("stripe-eu");
        Stub adyen = new Stub("adyen");
        adyen.failures = Integer.MAX_VALUE;
        SettlementFetch fetch = fetch(stripe, adyen);

        now = T0.minusSeconds(60);
        List<SettlementFetch.Status> beforeTheTime = fetch.status();
        now = T0;
        fetch.runDue();
        List<SettlementFetch.Status> afterAFailure = fetch.status();
        now = T0.plus(Duration.ofMinutes(61));
        List<SettlementFetch.Status> anHourLater = fetch.status();

        assertThat(beforeTheTime)
                .extracting(SettlementFetch.Status::state)
                .containsExactly("waiting", "waiting");
        assertThat(afterAFailure)
                .extracting(SettlementFetch.Status::state)
                .containsExactly("fetched", "retrying");
        assertThat(afterAFailure.get(1))
                .isEqualTo(
                        new SettlementFetch.Status(
                                "adyen",
                                "retrying",
                                null,
                                1,
                                "Stripe answered 500",
                                T0.plus(Duration.ofMinutes(1))));
        assertThat(afterAFailure.get(0).lastFetched()).isEqualTo(YESTERDAY);
        assertThat(anHourLater)
                .extracting(SettlementFetch.Status::state)
                .containsExactly("fetched", "missing");
        assertThat(fetch.missing("adyen")).isEqualTo(1);
        assertThat(fetch.missing("stripe-eu")).isZero();
        assertThat(fetch.failures("adyen")).isEqualTo(1);
    }

    @Test
    void shouldFetchAGivenDayAtOnceWithoutTouchingTheSchedulesPauses() throws Exception {
        Stub stripe = new Stub("stripe-eu");
        Stub adyen = new Stub("adyen");
        adyen.failures = 1;
        SettlementFetch fetch = fetch(stripe, adyen);
        LocalDate today = YESTERDAY.plusDays(1);

        now = T0.minus(Duration.ofHours(3)); // before the fetch time
        java.util.Map<String, String> failed = fetch.fetch(today);
        now = T0;
        int scheduled = fetch.runDue();

        assertThat(failed).containsExactly(java.util.Map.entry("adyen", "Stripe answered 500"));
        assertThat(Files.exists(inbox.resolve("stripe-eu-" + today + ".csv"))).isTrue();
        assertThat(scheduled).as("yesterday of both, at the time, without a pause").isEqualTo(2);
        assertThat(adyen.asked).containsExactly(today, YESTERDAY);
    }

    private SettlementFetch fetch(Stub... sources) {
        return new SettlementFetch(
                List.of(sources),
                inbox,
                FETCH_AT,
                clock,
                Duration.ofMinutes(1),
                Duration.ofHours(1));
    }

    private static Row row(String provider) {
        return new Row(
                provider,
                YESTERDAY,
                "capture",
                "pay_1",
                "cap",
                "ch_1",
                2_500,
                "EUR",
                60,
                T0.minus(Duration.ofHours(12)));
    }

    /** A provider that fails a number of times, then settles one capture. */
    private static final class Stub implements SettlementFetch.Source {
        private final String name;
        private final List<LocalDate> asked = new ArrayList<>();
        private int failures;

        Stub(String name) {
            this.name = name;
        }

        @Override
        public String provider() {
            return name;
        }

        @Override
        public CompletableFuture<List<Row>> fetch(LocalDate day) {
            asked.add(day);
            if (failures > 0) {
                failures--;
                return CompletableFuture.failedFuture(
                        new IllegalStateException("Stripe answered 500"));
            }
            return CompletableFuture.completedFuture(List.of(row(name)));
        }
    }
}
