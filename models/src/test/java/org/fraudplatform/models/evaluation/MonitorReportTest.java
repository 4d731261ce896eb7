package org.fraudplatform.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production report of a champion with known frauds and a shadow scored before any label. */
class MonitorReportTest {

    static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    @TempDir Path dir;

    @Test
    void shouldCompareTheModelsAndRankTheFeaturesByDrift() throws Exception {
        // given
        double[] reference = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
        MonitorReport.ModelScores champion =
                new MonitorReport.ModelScores(
                        "champion",
                        "abc123",
                        new double[] {0.9, 0.85, 0.3, 0.1},
                        new int[] {1, 0, 1, 0},
                        reference);
        MonitorReport.ModelScores shadow =
                new MonitorReport.ModelScores(
                        "shadow",
                        "def456",
                        new double[] {0.9, 0.2},
                        new int[] {0, 0},
                        new double[0]);
        List<MonitorReport.FeatureValues> features =
                List.of(
                        new MonitorReport.FeatureValues(
                                "card_count_1d",
                                new double[] {1, 2, 3, 4},
                                new double[] {1, 2, 3, 4}),
                        new MonitorReport.FeatureValues(
                                "amount_minor",
                                new double[] {1, 2, 3, 4},
                                new double[] {9, 9, 9, 9}),
                        new MonitorReport.FeatureValues(
                                "new_feature", new double[0], new double[] {1}));

        // when
        MonitorReport.Summary s =
                MonitorReport.write(
                        dir.resolve("monitor"),
                        new MonitorReport.Period(
                                T0.plusSeconds(86_400), T0.plusSeconds(172_800), 4),
                        new MonitorReport.Period(T0, T0.plusSeconds(86_400), 10),
                        0.8,
                        List.of(champion, shadow),
                        features);

        // then
        MonitorReport.ModelSummary c = s.models().get(0);
        assertThat(c.frauds()).isEqualTo(2);
        assertThat(c.precision()).isCloseTo(0.5, within(1e-12));
        assertThat(c.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(c.averagePrecision()).isCloseTo((1 + 2 / 3.0) / 2, within(1e-12));
        MonitorReport.ModelSummary sh = s.models().get(1);
        assertThat(sh.precision()).isNaN();
        assertThat(sh.averagePrecision()).isNaN();
        assertThat(sh.scorePsi()).isNaN();
        assertThat(s.drift())
                .extracting(MonitorReport.FeatureDrift::name)
                .containsExactly("amount_minor", "card_count_1d", "new_feature");
        assertThat(s.drift().get(1).psi()).isZero();
        String md = Files.readString(s.markdown());
        assertThat(md)
                .contains("| champion | abc123 | 4 | 2 | 0.500 | 0.500 | 0.833 |")
                .contains("| shadow | def456 | 2 | 0 | n/a | n/a | n/a | n/a |")
                .contains("| amount_minor |")
                .contains("major shift")
                .contains("| new_feature | n/a | n/a | 0 | 1 |");
        String html = Files.readString(s.html());
        assertThat(html)
                .contains("<svg", "Precision-recall", "champion score: reference and monitored")
                .doesNotContain("<script", "shadow score: reference");
    }
}
