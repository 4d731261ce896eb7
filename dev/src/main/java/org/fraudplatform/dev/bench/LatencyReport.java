package org.fraudplatform.dev.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latencies of one run and what happened to each request, summarized as throughput and percentiles
 * (nearest-rank on the sorted sample; no histogram bucketing error).
 */
public final class LatencyReport {

    private final long[] nanos;
    private final double seconds;
    private final Map<String, Integer> outcomes;
    private final long[] accepted;
    private final long[] refused;
    private final long[] failed;

    public LatencyReport(
            long[] latencyNanos, double elapsedSeconds, Map<String, Integer> outcomes) {
        this(latencyNanos, elapsedSeconds, outcomes, new boolean[latencyNanos.length]);
    }

    /**
     * @param refusedAtCapacity per request, whether the platform refused it at capacity (503): the
     *     report then gives the latency of accepted and refused requests apart too
     */
    public LatencyReport(
            long[] latencyNanos,
            double elapsedSeconds,
            Map<String, Integer> outcomes,
            boolean[] refusedAtCapacity) {
        this(
                latencyNanos,
                elapsedSeconds,
                outcomes,
                refusedAtCapacity,
                new boolean[latencyNanos.length]);
    }

    /**
     * @param refusedAtCapacity per request, whether the platform refused it at capacity (503)
     * @param failed per request, whether it got no answer at all (a connection error or a timeout):
     *     neither accepted nor refused, and reported apart from both
     */
    public LatencyReport(
            long[] latencyNanos,
            double elapsedSeconds,
            Map<String, Integer> outcomes,
            boolean[] refusedAtCapacity,
            boolean[] failed) {
        this.nanos = latencyNanos.clone();
        Arrays.sort(this.nanos);
        this.seconds = elapsedSeconds;
        this.outcomes = new TreeMap<>(outcomes);
        int refusedCount = 0;
        int failedCount = 0;
        for (int i = 0; i < latencyNanos.length; i++) {
            if (failed[i]) {
                failedCount++;
            } else if (refusedAtCapacity[i]) {
                refusedCount++;
            }
        }
        this.accepted = new long[latencyNanos.length - refusedCount - failedCount];
        this.refused = new long[refusedCount];
        this.failed = new long[failedCount];
        for (int i = 0, a = 0, r = 0, f = 0; i < latencyNanos.length; i++) {
            if (failed[i]) {
                this.failed[f++] = latencyNanos[i];
            } else if (refusedAtCapacity[i]) {
                refused[r++] = latencyNanos[i];
            } else {
                accepted[a++] = latencyNanos[i];
            }
        }
        Arrays.sort(accepted);
        Arrays.sort(refused);
        Arrays.sort(this.failed);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1] / 1e6;
    }

    private static String line(String what, long[] sorted) {
        return String.format(
                "%n  %s (%d) ms  p50 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
                what,
                sorted.length,
                percentile(sorted, 0.50),
                percentile(sorted, 0.95),
                percentile(sorted, 0.99),
                percentile(sorted, 0.999),
                percentile(sorted, 1.0));
    }

    public int count() {
        return nanos.length;
    }

    public double throughputPerSecond() {
        return seconds <= 0 ? 0 : nanos.length / seconds;
    }

    /** The latency at quantile q in (0, 1], in milliseconds; NaN when there is no sample. */
    public double percentileMillis(double q) {
        return percentile(nanos, q);
    }

    public Map<String, Integer> outcomes() {
        return outcomes;
    }

    public String format(String title) {
        return String.format(
                        "%s%n  completed %d in %.1f s: %.0f/s%n  outcomes %s%n"
                                + "  latency ms  p50 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
                        title,
                        nanos.length,
                        seconds,
                        throughputPerSecond(),
                        outcomes,
                        percentileMillis(0.50),
                        percentileMillis(0.95),
                        percentileMillis(0.99),
                        percentileMillis(0.999),
                        percentileMillis(1.0))
                + (refused.length == 0 && failed.length == 0
                        ? ""
                        : line("accepted", accepted)
                                + (refused.length == 0
                                        ? ""
                                        : line("refused at capacity (503)", refused))
                                + (failed.length == 0
                                        ? ""
                                        : line("failed without an answer", failed)));
    }
}
