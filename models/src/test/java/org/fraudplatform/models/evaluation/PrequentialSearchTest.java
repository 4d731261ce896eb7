package org.fraudplatform.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fraudplatform.models.runtime.Contribution;
import org.fraudplatform.models.runtime.ScoringModel;
import org.fraudplatform.models.training.TrainingData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prequential search: every candidate trained on each fold's training rows and scored on its
 * validation days; the highest mean validation average precision chooses.
 */
class PrequentialSearchTest {

    @TempDir Path dir;

    /**
     * One fold: training 01-01 (3 rows), gap 01-02, validation 01-03 with four payments of distinct
     * cards, by amount: 400 fraud, 300 genuine, 200 fraud, 100 genuine. Scoring by the amount ranks
     * fraud, genuine, fraud, genuine: AP = (1/1 + 2/3) / 2 = 5/6; scoring by minus the amount ranks
     * them the other way round: AP = (1/2 + 2/4) / 2 = 1/2.
     */
    @Test
    void shouldTrainOnTheFoldsTrainingRowsAndScoreItsValidationDays() throws Exception {
        // given
        Protocol fold = Protocol.of(LocalDate.of(2018, 1, 1), 1, 1, 1);
        Path csv =
                new FeatureCsv()
                        .genuine("t1", "2018-01-01 08:00:00", "A", 10, 1, 10, 0)
                        .fraud(
                                "t2",
                                "2018-01-01 09:00:00",
                                "B",
                                "2018-01-01 20:00:00",
                                20,
                                1,
                                10,
                                0)
                        .genuine("t3", "2018-01-01 10:00:00", "C", 30, 1, 10, 0)
                        .genuine("g1", "2018-01-02 10:00:00", "D", 50, 1, 10, 0)
                        .fraud(
                                "v1",
                                "2018-01-03 01:00:00",
                                "E",
                                "2018-01-09 00:00:00",
                                400,
                                1,
                                10,
                                0)
                        .genuine("v2", "2018-01-03 02:00:00", "F", 300, 1, 10, 0)
                        .fraud(
                                "v3",
                                "2018-01-03 03:00:00",
                                "G",
                                "2018-01-09 00:00:00",
                                200,
                                1,
                                10,
                                0)
                        .genuine("v4", "2018-01-03 04:00:00", "H", 100, 1, 10, 0)
                        .write(dir.resolve("features.csv"));
        Split split = fold.split(FeatureFile.read(csv, fold.dataFrom(), fold.dataTo()));
        List<TrainingData> seen = new ArrayList<>();

        // when
        PrequentialSearch.Result result =
                PrequentialSearch.run(
                        List.of(split),
                        List.of(
                                candidate("by amount", seen, x -> x[0]),
                                candidate("by minus the amount", seen, x -> -x[0])),
                        line -> {});

        // then each candidate trained on the three training rows, the known fraud labelled
        assertThat(seen).hasSize(2);
        for (TrainingData data : seen) {
            assertThat(data.size()).isEqualTo(3);
            assertThat(data.y()).containsExactly(0, 1, 0);
        }
        // and was scored on the four validation rows
        assertThat(result.outcomes().get(0).averagePrecision()[0])
                .isCloseTo(5.0 / 6, within(1e-12));
        assertThat(result.outcomes().get(1).averagePrecision()[0]).isCloseTo(0.5, within(1e-12));
        assertThat(result.best().candidate().name()).isEqualTo("by amount");
        assertThat(result.folds()).containsExactly(fold.describe());
    }

    @Test
    void shouldChooseTheHighestMeanApOverTheFoldsRatherThanTheBestSingleFold() {
        PrequentialSearch.Result result =
                new PrequentialSearch.Result(
                        List.of("fold 1", "fold 2"),
                        List.of(outcome("sharp", 1.0, 0.5), outcome("steady", 0.8, 0.8)));

        assertThat(result.best().candidate().name()).isEqualTo("steady");
        assertThat(result.best().meanAveragePrecision()).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void shouldRankAnUndefinedApLastAndKeepTheFirstOfEquals() {
        PrequentialSearch.Result result =
                new PrequentialSearch.Result(
                        List.of("fold 1"),
                        List.of(
                                outcome("undefined", Double.NaN),
                                outcome("first", 0.6),
                                outcome("second", 0.6)));

        assertThat(result.best().candidate().name()).isEqualTo("first");
    }

    @Test
    void shouldRefuseTwoCandidatesOfOneName() {
        List<TrainingData> seen = new ArrayList<>();
        PrequentialSearch.Candidate a = candidate("same", seen, x -> x[0]);

        assertThatThrownBy(() -> PrequentialSearch.run(List.of(), List.of(a, a), line -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PrequentialSearch.Outcome outcome(String name, double... ap) {
        return new PrequentialSearch.Outcome(
                new PrequentialSearch.Candidate(name, Map.of(), data -> null),
                ap,
                new double[ap.length],
                new double[ap.length],
                0);
    }

    /** A candidate whose "training" records the data and returns a model scoring by {@code f}. */
    private static PrequentialSearch.Candidate candidate(
            String name, List<TrainingData> seen, Function<double[], Double> f) {
        return new PrequentialSearch.Candidate(
                name,
                Map.of("scored by", name),
                data -> {
                    seen.add(data);
                    return new ScoringModel() {
                        @Override
                        public String kind() {
                            return "test";
                        }

                        @Override
                        public List<String> featureNames() {
                            return data.featureNames();
                        }

                        @Override
                        public double score(double[] x) {
                            return f.apply(x);
                        }

                        @Override
                        public List<Contribution> explain(double[] x, int top) {
                            return List.of();
                        }
                    };
                });
    }
}
