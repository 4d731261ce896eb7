package org.fraudplatform.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.fraudplatform.schemas.DeadLetter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DomainMetricsTest {

    // cumulative, as Prometheus counts: a bucket holds every value up to its bound since start
    private final SimpleMeterRegistry meters =
            new SimpleMeterRegistry(
                    new io.micrometer.core.instrument.simple.SimpleConfig() {
                        @Override
                        public String get(String key) {
                            return null;
                        }

                        @Override
                        public io.micrometer.core.instrument.simple.CountingMode mode() {
                            return io.micrometer.core.instrument.simple.CountingMode.CUMULATIVE;
                        }
                    },
                    io.micrometer.core.instrument.Clock.SYSTEM);

    @BeforeEach
    void export() {
        Metrics.addRegistry(meters);
    }

    @AfterEach
    void stopExporting() {
        Metrics.removeRegistry(meters);
    }

    @Test
    void shouldNameOnlyTheKindOfWhatIsNotATopicSoAFileNameNeverBecomesATag() {
        assertThat(DomainMetrics.source("payments.requests")).isEqualTo("payments.requests");
        assertThat(DomainMetrics.source("file:settlement-2026-03-02.csv")).isEqualTo("file");
        assertThat(DomainMetrics.source("webhook:payment.captured")).isEqualTo("webhook");
        assertThat(DomainMetrics.source(null)).isEqualTo("unknown");
        assertThat(DomainMetrics.source("")).isEqualTo("unknown");
    }

    @Test
    void shouldCountADeadLetterByItsSourceAndTheProcessorThatRefusedIt() {
        DomainMetrics.deadLettered(letter("file:day-1.csv", "settlement-import"));
        DomainMetrics.deadLettered(letter("file:day-2.csv", "settlement-import"));

        assertThat(
                        meters.get("dead_letters")
                                .tag("topic", "file")
                                .tag("processor", "settlement-import")
                                .counter()
                                .count())
                .isEqualTo(2);
    }

    @Test
    void shouldPlaceEachModelScoreInTheBucketsOfItsVersionAndRole() {

        // scores 0.02, 0.35 and 0.97 for the champion v7
        recordScores("v7", "champion", 0.02, 0.35, 0.97);
        recordScores("v8", "shadow", 0.5);

        var champion = meters.get("model_score_percent").tag("model_version", "v7").summary();
        assertThat(champion.count()).isEqualTo(3);
        Map<Double, Double> cumulative =
                Arrays.stream(champion.takeSnapshot().histogramCounts())
                        .collect(
                                java.util.stream.Collectors.toMap(
                                        CountAtBucket::bucket, CountAtBucket::count));
        assertThat(cumulative.get(5.0)).isEqualTo(1);
        assertThat(cumulative.get(40.0)).isEqualTo(2);
        assertThat(cumulative.get(95.0)).isEqualTo(2);
        assertThat(cumulative.get(100.0)).isEqualTo(3);
        assertThat(meters.get("model_score_percent").tag("role", "shadow").summary().count())
                .isEqualTo(1);
    }

    @Test
    void shouldShowTheSeriesWithAFixedSetOfValuesAtZeroBeforeTheFirstOne() {
        DomainMetrics.registerKnownSeries();

        for (String action : new String[] {"approve", "review", "decline"}) {
            assertThat(meters.get("risk_decisions").tag("action", action).counter().count())
                    .isZero();
        }
        for (String outcome : new String[] {"delivered", "retried", "failed"}) {
            assertThat(meters.get("webhook_deliveries").tag("outcome", outcome).counter())
                    .isNotNull();
        }
        assertThat(meters.get("reconciliation_items").counters()).hasSizeGreaterThan(3);
    }

    private static void recordScores(String version, String role, double... scores) {
        for (double score : scores) {
            DomainMetrics.modelScore(version, role, score);
        }
    }

    private static DeadLetter letter(String topic, String processor) {
        return DeadLetter.newBuilder()
                .setTopic(topic)
                .setPartition(-1)
                .setOffset(-1)
                .setProcessor(processor)
                .setError("line 3: no amount")
                .setFailedAt(Instant.parse("2026-03-02T10:00:00Z"))
                .build();
    }
}
