package org.fraudplatform.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of two models on three generated weeks under the handbook's protocol: the four files,
 * readable by a person and by a program, and scores from which anyone recomputes the metrics.
 */
class EvaluationReportTest {

    @TempDir Path dir;

    private Split split;
    private FeatureFile data;
    private List<ModelResult> models;

    @BeforeEach
    void evaluateTwoModelsOnGeneratedWeeks() throws Exception {
        // 60 payments a day over 300 cards, 2018-07-25 .. 08-14; a compromised card's payments
        // are fraud from its compromise on, each label known 7 days later
        Protocol protocol = Protocol.handbookDefault();
        Random random = new Random(5);
        FeatureCsv csv = new FeatureCsv();
        Map<String, LocalDate> compromisedFrom = new HashMap<>();
        for (int c = 0; c < 300; c++) {
            if (random.nextInt(10) == 0) {
                compromisedFrom.put("card" + c, protocol.trainFrom().plusDays(random.nextInt(21)));
            }
        }
        int id = 0;
        for (LocalDate d = protocol.trainFrom();
                d.isBefore(protocol.testTo().plusDays(1));
                d = d.plusDays(1)) {
            for (int i = 0; i < 60; i++) {
                String card = "card" + random.nextInt(300);
                Instant at = d.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(i * 1400L);
                boolean fraud =
                        compromisedFrom.containsKey(card) && !d.isBefore(compromisedFrom.get(card));
                double amount = fraud ? random.nextInt(12_000) : random.nextInt(10_000);
                double[] features = {amount, random.nextInt(5), amount / 2, random.nextDouble()};
                String time = text(at);
                if (fraud) {
                    csv.fraud("tx" + id++, time, card, text(at.plusSeconds(7 * 86_400L)), features);
                } else {
                    csv.genuine("tx" + id++, time, card, features);
                }
            }
        }
        data =
                FeatureFile.read(
                        csv.write(dir.resolve("features.csv")),
                        protocol.dataFrom(),
                        protocol.dataTo());
        split = protocol.split(data);

        int[] labels = split.testLabels();
        double[][] features = split.testFeatures();
        double[] noisyOracle = new double[labels.length];
        double[] amount = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            noisyOracle[i] = 0.4 * labels[i] + 0.6 * random.nextDouble();
            amount[i] = features[i][0] / 12_000;
        }
        models =
                List.of(
                        ModelResult.evaluate(
                                "amount <rule> & co",
                                "threshold on amount_minor",
                                0.01,
                                Map.of(),
                                split,
                                amount),
                        ModelResult.evaluate(
                                "noisy-oracle",
                                "label plus noise",
                                1.5,
                                Map.of("noise", "0.6"),
                                split,
                                noisyOracle));
    }

    @Test
    void shouldWriteAReadableSelfContainedPage() throws Exception {
        EvaluationReport.Written written =
                EvaluationReport.write(dir.resolve("report"), split, models);

        String html = Files.readString(written.html(), StandardCharsets.UTF_8);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("features.csv, 2018-07-25 .. 2018-08-14")
                .contains(
                        "train 2018-07-25 .. 2018-07-31 (7 days), gap 7 days, test 2018-08-08 .. 2018-08-14")
                .contains("amount &lt;rule&gt; &amp; co")
                .doesNotContain("<rule>")
                .contains("handbook: logistic regression", "0.871", "0.606", "0.291")
                .contains("handbook: XGBoost (tuned)", "0.869", "0.687", "0.303")
                .contains("<td class=\"best\">")
                .contains("ROC curves", "Precision-recall curves", "Scores of noisy-oracle")
                .contains("<h2>Reliability</h2>", "share of fraud in the bin", "Brier score")
                .doesNotContain("<script", "http://", "https://cdn", "<link", "<img");
        assertThat(html.split("<svg", -1)).hasSize(1 + 3 + models.size());
        assertThat(Files.size(written.html())).isLessThan(200_000);

        String md = Files.readString(written.markdown(), StandardCharsets.UTF_8);
        assertThat(md)
                .contains("| Model | Kind | ROC AUC | Average precision | Card precision@100 |")
                .contains("| noisy-oracle ★ |")
                .contains("_handbook: logistic regression_")
                .contains("| Brier score |")
                .contains("## Reliability of noisy-oracle")
                .contains("| score | rows | mean score | share of fraud |");
    }

    @Test
    void shouldNameTheChampionAndKeepEveryMetricInTheJson() throws Exception {
        EvaluationReport.Written written =
                EvaluationReport.write(dir.resolve("report"), split, models);

        JsonNode json = new ObjectMapper().readTree(written.json().toFile());

        assertThat(written.champion()).isEqualTo("noisy-oracle");
        assertThat(json.at("/champion/name").asText()).isEqualTo("noisy-oracle");
        assertThat(json.at("/champion/selected_by").asText()).isEqualTo("average_precision");
        assertThat(json.at("/protocol/test_from").asText()).isEqualTo("2018-08-08");
        assertThat(json.at("/protocol/gap_days").asInt()).isEqualTo(7);
        assertThat(json.at("/counts/training_rows").asInt()).isEqualTo(split.training().size());
        assertThat(json.at("/counts/test_rows").asInt()).isEqualTo(split.testSize());
        assertThat(json.at("/counts/test_days")).hasSize(7);
        assertThat(json.at("/models")).hasSize(2);
        for (int i = 0; i < models.size(); i++) {
            JsonNode model = json.at("/models/" + i);
            assertThat(model.at("/name").asText()).isEqualTo(models.get(i).name());
            for (String key :
                    List.of(
                            Metrics.ROC_AUC,
                            Metrics.AVERAGE_PRECISION,
                            Metrics.CARD_PRECISION_AT_100,
                            Metrics.RECALL_AT_1PCT_FPR,
                            Metrics.BRIER)) {
                assertThat(model.at("/metrics/" + key).asDouble())
                        .as(key)
                        .isEqualTo(models.get(i).metric(key));
            }
            long binned = 0;
            for (JsonNode bin : model.at("/reliability")) {
                binned += bin.at("/rows").asLong();
                assertThat(bin.at("/mean_score").asDouble())
                        .isBetween(bin.at("/low").asDouble(), bin.at("/high").asDouble());
            }
            assertThat(binned).as("every test row in one bin").isEqualTo(split.testSize());
            assertThat(model.at("/card_precision_at_100_by_day")).hasSize(7);
        }
    }

    @Test
    void shouldListEverySettingTheSearchTriedWithItsValidationApPerFold() throws Exception {
        // given a search of two settings over two folds
        PrequentialSearch.Result search =
                new PrequentialSearch.Result(
                        List.of("fold one's windows", "fold two's windows"),
                        List.of(
                                new PrequentialSearch.Outcome(
                                        new PrequentialSearch.Candidate(
                                                "depth 5", Map.of("max_depth", "5"), d -> null),
                                        new double[] {0.61, 0.63},
                                        new double[] {0.85, 0.86},
                                        new double[] {0.25, 0.27},
                                        12),
                                new PrequentialSearch.Outcome(
                                        new PrequentialSearch.Candidate(
                                                "depth 9", Map.of("max_depth", "9"), d -> null),
                                        new double[] {0.66, 0.70},
                                        new double[] {0.87, 0.88},
                                        new double[] {0.28, 0.29},
                                        20)));

        // when
        EvaluationReport.Written written =
                EvaluationReport.write(dir.resolve("report"), split, models, search);

        // then the markdown has the folds and a row per setting, the chosen one marked
        String md = Files.readString(written.markdown(), StandardCharsets.UTF_8);
        assertThat(md)
                .contains("## Model selection: prequential validation")
                .contains("- fold 1: fold one's windows")
                .contains("- fold 2: fold two's windows")
                .contains("| depth 5 | 0.610 | 0.630 | 0.6200 | 0.8550 | 0.2600 | 12 |")
                .contains("| depth 9 ★ | 0.660 | 0.700 | **0.6800** | 0.8750 | 0.2850 | 20 |");
        assertThat(Files.readString(written.html(), StandardCharsets.UTF_8))
                .contains("<h2>Model selection: prequential validation</h2>")
                .contains("<td>depth 9 ★</td><td>0.660</td><td>0.700</td><td><b>0.6800</b></td>");

        // and the JSON has the same numbers for a program
        JsonNode json = new ObjectMapper().readTree(written.json().toFile()).get("search");
        assertThat(json.get("chosen").asText()).isEqualTo("depth 9");
        assertThat(json.get("folds")).hasSize(2);
        JsonNode first = json.get("candidates").get(0);
        assertThat(first.get("settings").get("max_depth").asText()).isEqualTo("5");
        assertThat(first.get("validation_average_precision").get(1).asDouble()).isEqualTo(0.63);
        assertThat(first.get("mean_average_precision").asDouble()).isCloseTo(0.62, within(1e-12));
    }

    @Test
    void shouldLeaveTheSearchOutWhenThereWasNone() throws Exception {
        EvaluationReport.Written written =
                EvaluationReport.write(dir.resolve("report"), split, models);

        assertThat(Files.readString(written.markdown(), StandardCharsets.UTF_8))
                .doesNotContain("prequential");
        assertThat(new ObjectMapper().readTree(written.json().toFile()).has("search")).isFalse();
    }

    @Test
    void shouldWriteChampionScoresThatRecomputeTheReportedMetrics() throws Exception {
        EvaluationReport.Written written =
                EvaluationReport.write(dir.resolve("report"), split, models);
        JsonNode json = new ObjectMapper().readTree(written.json().toFile());
        JsonNode champion = null;
        for (JsonNode model : json.at("/models")) {
            if (model.at("/name").asText().equals(json.at("/champion/name").asText())) {
                champion = model.at("/metrics");
            }
        }

        // given only the scores file and the feature file's labels
        List<String> lines = Files.readAllLines(written.scores(), StandardCharsets.UTF_8);
        Map<String, Integer> labelById = new HashMap<>();
        for (int r = 0; r < data.size(); r++) {
            labelById.put(data.transactionId(r), data.fraudLabel(r));
        }
        double[] scores = new double[lines.size() - 1];
        int[] labels = new int[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).split(",");
            scores[i - 1] = Double.parseDouble(fields[1]);
            labels[i - 1] = labelById.get(fields[0]);
        }

        // then
        assertThat(lines.get(0)).isEqualTo("transaction_id,score");
        assertThat(scores).hasSize(split.testSize());
        assertThat(Metrics.rocAuc(scores, labels))
                .isCloseTo(champion.at("/roc_auc").asDouble(), within(1e-12));
        assertThat(Metrics.averagePrecision(scores, labels))
                .isCloseTo(champion.at("/average_precision").asDouble(), within(1e-12));
    }

    private static String text(Instant at) {
        return at.toString().replace('T', ' ').replace("Z", "");
    }
}
