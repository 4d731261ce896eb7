package org.fraudplatform.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyReportTest {

    @Test
    void shouldReportNearestRankPercentilesInMilliseconds() {
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (i + 1) * 1_000_000L; // 1 ms … 1000 ms, shuffled below
        }
        for (int i = 0; i < nanos.length; i += 2) {
            long t = nanos[i];
            nanos[i] = nanos[nanos.length - 1 - i];
            nanos[nanos.length - 1 - i] = t;
        }

        LatencyReport report = new LatencyReport(nanos, 2.0, Map.of("200:authorized", 1000));

        assertThat(report.percentileMillis(0.50)).isEqualTo(500.0);
        assertThat(report.percentileMillis(0.99)).isEqualTo(990.0);
        assertThat(report.percentileMillis(0.999)).isEqualTo(999.0);
        assertThat(report.percentileMillis(1.0)).isEqualTo(1000.0);
        assertThat(report.throughputPerSecond()).isEqualTo(500.0);
    }

    @Test
    void shouldGiveTheLatencyOfAcceptedAndRefusedRequestsApart() {
        // four accepted at 100..400 ms, two refused at capacity at 1 and 2 ms
        long ms = 1_000_000L;
        long[] nanos = {100 * ms, 1 * ms, 200 * ms, 300 * ms, 2 * ms, 400 * ms};
        boolean[] refused = {false, true, false, false, true, false};

        String text =
                new LatencyReport(
                                nanos,
                                1.0,
                                Map.of("201:authorized", 4, "503:overloaded", 2),
                                refused)
                        .format("run");

        assertThat(text)
                .contains("accepted (4) ms  p50 200.00  p95 400.00")
                .contains("refused at capacity (503) (2) ms  p50 1.00  p95 2.00");
    }

    @Test
    void shouldNeverCountARequestWithoutAnAnswerAsAccepted() {
        // two accepted at 10 and 20 ms, one refused at 1 ms, two connect timeouts at 5 and 6 s
        long ms = 1_000_000L;
        long[] nanos = {10 * ms, 1 * ms, 5_000 * ms, 20 * ms, 6_000 * ms};
        boolean[] refused = {false, true, false, false, false};
        boolean[] failed = {false, false, true, false, true};

        String text =
                new LatencyReport(
                                nanos,
                                1.0,
                                Map.of(
                                        "201:authorized",
                                        2,
                                        "503:overloaded",
                                        1,
                                        "error:HttpConnectTimeoutException",
                                        2),
                                refused,
                                failed)
                        .format("run");

        assertThat(text)
                .contains("accepted (2) ms  p50 10.00  p95 20.00")
                .contains("refused at capacity (503) (1) ms")
                .contains("failed without an answer (2) ms  p50 5000.00");
    }

    @Test
    void shouldMakeLuhnValidCardNumbers() {
        assertThat(org.fraudplatform.api.validation.CardNumbers.withCheckDigit("424242424242424"))
                .isEqualTo("4242424242424242");
        assertThat(org.fraudplatform.api.validation.CardNumbers.withCheckDigit("400000000000000"))
                .isEqualTo("4000000000000002");
    }
}
