package org.fraudplatform.offline.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.offline.FlinkTarget;
import org.fraudplatform.offline.backfill.BackfillOutput;
import org.fraudplatform.offline.backfill.FeatureBackfill;
import org.fraudplatform.offline.backfill.HistoryFormat;
import org.fraudplatform.risk.models.Releases;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A candidate that declines from the fourth payment in ten minutes, back-tested against one that
 * declines from the sixth, on a small history written by the test: a card-testing burst (fraud) and
 * a busy honest card.
 */
class RuleBacktestTest {

    @TempDir Path dir;

    private static final String VELOCITY =
            """
            package org.fraudplatform.rules.ruleset;
            import org.fraudplatform.rules.facts.Features;
            global org.fraudplatform.rules.facts.Verdict verdict;
            rule "Card used fast"
            when
                Features( has("card_count_10m") && get("card_count_10m") > %d )
            then
                verdict.decline("VELOCITY_CARD_10M", "fast", 0.9);
            end
            rule "Card used twice (trial)"
                @shadow
            when
                Features( has("card_count_10m") && get("card_count_10m") > 1 )
            then
                verdict.decline("VELOCITY_CARD_10M_STRICT", "twice", 0.9);
            end
            """;

    @Test
    void shouldCountWhatEachRulesetStopsAgainstTheLabels() throws Exception {
        // given 8 fraudulent payments in 8 minutes on card 1, and 5 honest ones in 5 minutes on
        // card 2; when back-tested
        RuleBacktest.Result r = burstAndBusyCard();

        // then the candidate stops card 1 from its 4th payment (5 frauds) and card 2's 4th and
        // 5th (2 false positives); the baseline from the 6th (3 frauds, none honest)
        assertThat(r.candidate().payments).isEqualTo(13);
        assertThat(r.candidate().frauds).isEqualTo(8);
        assertThat(r.candidate().decline).isEqualTo(7);
        assertThat(r.candidate().caught).isEqualTo(5);
        assertThat(r.candidate().falsePositives).isEqualTo(2);
        assertThat(r.candidate().amountSaved).isEqualTo(5 * 100);
        assertThat(r.baseline().caught).isEqualTo(3);
        assertThat(r.baseline().falsePositives).isZero();
        assertThat(r.candidateRules())
                .containsOnlyKeys("Card used fast", "Card used twice (trial) (shadow)");
        assertThat(r.candidateRules().get("Card used fast").payments).isEqualTo(7);
        // the shadow rule hit card 1 from its 2nd payment and card 2 from its 2nd, deciding nothing
        Tally trial = r.candidateRules().get("Card used twice (trial) (shadow)");
        assertThat(trial.payments).isEqualTo(11);
        assertThat(trial.caught).isEqualTo(7);
        assertThat(trial.falsePositives).isEqualTo(4);

        String report = Files.readString(r.report());
        assertThat(report)
                .contains("| frauds caught | 3 | 5 | +2 |")
                .contains("| false positives | 0 | 2 | +2 |")
                .contains("```mermaid");
        assertThat(Files.readString(r.summary()))
                .contains("\"frauds_caught\": 5")
                .contains("\"candidate_version\": \"" + ruleset(3).version() + "\"");
    }

    @Test
    void shouldWriteTheReportAsHtmlWithAccessibleSvgChartsOfTheRunsNumbers() throws Exception {
        // given
        RuleBacktest.Result r = burstAndBusyCard();

        // when
        String html = Files.readString(r.htmlReport());
        Files.copy(
                r.htmlReport(),
                Path.of("target/backtest-report.html"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        // then: it parses as XML (XHTML), and says what the run counted, in tables and charts
        org.w3c.dom.Document page = xml(html);
        javax.xml.xpath.XPath xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        assertThat(xpath.evaluate("//*[local-name()='tr'][*[1]='frauds caught']", page))
                .isEqualToIgnoringWhitespace("frauds caught35+2");
        assertThat(xpath.evaluate("//*[local-name()='tr'][*[1]='false positives']", page))
                .isEqualToIgnoringWhitespace("false positives02+2");
        assertThat(xpath.evaluate("//*[local-name()='tr'][*[1]='Card used fast']", page))
                .startsWith("Card used fast7");
        assertThat(xpath.evaluate("count(//*[local-name()='svg'][@role='img'])", page))
                .isEqualTo("2");
        assertThat(html)
                .as("the history by its folder and file, not the operator's whole path")
                .contains("<code>features/features.csv</code>")
                .doesNotContain(dir.toString());
        assertThat(xpath.evaluate("//*[local-name()='svg'][1]/*[local-name()='title']", page))
                .isEqualTo("Stopped payments: baseline and candidate");
        assertThat(xpath.evaluate("//*[local-name()='svg'][1]/*[local-name()='desc']", page))
                .contains("frauds caught: baseline 3, candidate 5")
                .contains("false positives: baseline 0, candidate 2");
        assertThat(
                        xpath.evaluate(
                                "count(//*[local-name()='rect']/*[local-name()='title'][.="
                                        + "'candidate, frauds caught: 5'])",
                                page))
                .isEqualTo("1");
        assertThat(xpath.evaluate("//*[local-name()='svg'][2]/*[local-name()='desc']", page))
                .contains("Card used fast: 7")
                .contains("Card used twice (trial) (shadow): 11");
        assertThat(xpath.evaluate("//*[local-name()='text'][@class='axis-label']", page))
                .isEqualTo("payments");
        assertThat(html).doesNotContain("<script").doesNotContain("mermaid");
    }

    private static org.w3c.dom.Document xml(String html) throws Exception {
        javax.xml.parsers.DocumentBuilderFactory f =
                javax.xml.parsers.DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The back-test of the velocity candidate (4th payment) against the baseline (6th) on 8
     * fraudulent payments in 8 minutes on card 1 and 5 honest ones in 5 minutes on card 2.
     */
    private RuleBacktest.Result burstAndBusyCard() throws Exception {
        List<String> lines = new ArrayList<>(List.of(HistoryFormat.HANDBOOK.header()));
        int id = 0;
        for (int i = 0; i < 8; i++) {
            lines.add(id++ + ",2018-04-01 10:0" + i + ":00,1,7,1.00,0,0,1,3");
        }
        for (int i = 0; i < 5; i++) {
            lines.add(id++ + ",2018-04-01 11:0" + i + ":00,2,8,20.00,0,0,0,0");
        }
        Path history = dir.resolve("history.csv");
        Files.write(history, lines, StandardCharsets.UTF_8);
        FeatureCatalogue catalogue = FeatureCatalogue.standard();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Path features =
                FeatureBackfill.run(
                                new FeatureBackfill.Settings(
                                        history,
                                        HistoryFormat.HANDBOOK,
                                        null,
                                        dir.resolve("features"),
                                        catalogue,
                                        CurrencyRates.packaged(),
                                        FlinkTarget.local(),
                                        2),
                                quiet)
                        .csv();

        return RuleBacktest.run(
                new RuleBacktest.Settings(
                        features,
                        ruleset(3),
                        ruleset(5),
                        catalogue,
                        ListTimeline.empty(),
                        null,
                        null,
                        dir.resolve("report"),
                        2),
                quiet);
    }

    @Test
    void shouldJudgeOnlyTheChosenPeriod() throws Exception {
        Path features = dir.resolve("features.csv");
        FeatureCatalogue catalogue = FeatureCatalogue.standard();
        StringBuilder csv =
                new StringBuilder(String.join(",", BackfillOutput.header(catalogue)) + "\n");
        for (String day : List.of("2018-08-07", "2018-08-08", "2018-08-09")) {
            csv.append("t").append(day).append(',').append(day).append(" 12:00:00,100,c,m,,,,,");
            catalogue.names().forEach(n -> csv.append(','));
            csv.append(",0,,100,EUR,CARD,,,,,,,\n");
        }
        Files.writeString(features, csv);

        RuleBacktest.Result r =
                RuleBacktest.run(
                        new RuleBacktest.Settings(
                                features,
                                ruleset(3),
                                ruleset(5),
                                catalogue,
                                ListTimeline.empty(),
                                Instant.parse("2018-08-08T00:00:00Z"),
                                Instant.parse("2018-08-09T00:00:00Z"),
                                dir.resolve("report"),
                                1),
                        new PrintStream(OutputStream.nullOutputStream()));

        assertThat(r.candidate().payments).isEqualTo(1);
    }

    @Test
    void shouldRefuseAFeatureFileOfAnOlderBackfillWithoutTheRequestDetails() throws Exception {
        // given a features.csv as backfills wrote it before they kept the request's details
        Path features = dir.resolve("features.csv");
        FeatureCatalogue catalogue = FeatureCatalogue.standard();
        StringBuilder csv = new StringBuilder(String.join(",", BackfillOutput.LEADING));
        catalogue.names().forEach(n -> csv.append(',').append(n));
        csv.append(",is_fraud,fraud_known_at\nt1,2018-08-07 12:00:00,100,c,m,,,,,");
        catalogue.names().forEach(n -> csv.append(','));
        csv.append(",0,\n");
        Files.writeString(features, csv);

        // when / then
        assertThatThrownBy(
                        () ->
                                RuleBacktest.run(
                                        new RuleBacktest.Settings(
                                                features,
                                                ruleset(3),
                                                ruleset(5),
                                                catalogue,
                                                ListTimeline.empty(),
                                                null,
                                                null,
                                                dir.resolve("report"),
                                                1),
                                        new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lacks the columns a decision reads")
                .hasMessageContaining("card_bin")
                .hasMessageContaining("Backfill the history again");
        assertThat(dir.resolve("report")).doesNotExist();
    }

    @Test
    void shouldRefuseAModelTrainedOnAnotherCatalogueBeforeJudgingAnything() throws Exception {
        Path features = dir.resolve("features.csv");
        FeatureCatalogue catalogue = FeatureCatalogue.standard();
        Files.writeString(features, String.join(",", BackfillOutput.header(catalogue)) + "\n");
        org.fraudplatform.schemas.ModelRelease foreign =
                Releases.release(
                                "m-1",
                                org.fraudplatform.schemas.ModelStage.CANDIDATE,
                                Instant.EPOCH,
                                new byte[0])
                        .setFeatureNames(List.of("amount_minor"))
                        .setCatalogueHash("another-catalogue")
                        .build();

        assertThatThrownBy(
                        () ->
                                RuleBacktest.run(
                                        new RuleBacktest.Settings(
                                                features,
                                                ruleset(3),
                                                ruleset(5),
                                                foreign,
                                                null,
                                                catalogue,
                                                CurrencyRates.packaged(),
                                                ListTimeline.empty(),
                                                null,
                                                null,
                                                dir.resolve("report"),
                                                1,
                                                false,
                                                FlinkTarget.local()),
                                        new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model m-1 refused")
                .hasMessageContaining("feature catalogue");
    }

    private static RulesetSource ruleset(int above) {
        return RulesetSource.of(
                Map.of("velocity.drl", VELOCITY.formatted(above).getBytes(StandardCharsets.UTF_8)));
    }
}
