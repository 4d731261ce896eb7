package org.fraudplatform.platform.bench;

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

    public LatencyReport(
            long[] latencyNanos, double elapsedSeconds, Map<String, Integer> outcomes) {
        this.nanos = latencyNanos.clone();
        Arrays.sort(this.nanos);
        this.seconds = elapsedSeconds;
        this.outcomes = new TreeMap<>(outcomes);
    }

    public int count() {
        return nanos.length;
    }

    public double throughputPerSecond() {
        return seconds <= 0 ? 0 : nanos.length / seconds;
    }

    /** The latency at quantile q in (0, 1], in milliseconds; NaN when there is no sample. */
    public double percentileMillis(double q) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * nanos.length);
        return nanos[Math.min(nanos.length, Math.max(rank, 1)) - 1] / 1e6;
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
                percentileMillis(1.0));
    }
}
