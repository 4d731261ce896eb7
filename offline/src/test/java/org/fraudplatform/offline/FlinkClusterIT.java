package org.fraudplatform.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.offline.backfill.FeatureBackfill;
import org.fraudplatform.offline.backfill.HistoryFormat;
import org.fraudplatform.offline.backtest.ListTimeline;
import org.fraudplatform.offline.backtest.RuleBacktest;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline jobs on a real Flink standalone cluster (a JobManager and a TaskManager in JVMs of
 * their own, started from Flink's Maven artifacts), submitted as {@code --flink-master} does: over
 * the JobManager's REST endpoint with the module's job jar shipped. Each job's output there is the
 * output of the same job on the local MiniCluster, byte for byte. Slow: two cluster processes and
 * four jobs, about 40 s on two cores.
 */
@Tag("slow")
class FlinkClusterIT {

    private static final FeatureCatalogue CATALOGUE = FeatureCatalogue.standard();
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir static Path dir;
    private static StandaloneFlinkCluster cluster;
    private static Path jobJar;
    private static Path history;
    private static FeatureBackfill.Result local;

    @BeforeAll
    static void startCluster() throws Exception {
        jobJar = Path.of(System.getProperty("offline.job.jar", "missing"));
        assertThat(jobJar).as("the job jar this module packages").isRegularFile();
        history = dir.resolve("history.csv");
        Files.write(history, handbookHistory(3_000), StandardCharsets.UTF_8);
        cluster = StandaloneFlinkCluster.start(dir.resolve("cluster"));
        local = backfill(FlinkTarget.local(), "local", QUIET);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldNotFindThePlatformsClassesOnTheClusterButInTheJobJar() {
        String clusterClassPath = StandaloneFlinkCluster.distributionClassPath();

        assertThat(clusterClassPath)
                .contains("flink-runtime")
                .doesNotContain("flink-connector-kafka");
        assertThat(clusterClassPath.split(java.io.File.pathSeparator))
                .noneMatch(entry -> entry.contains("fraudplatform") || entry.contains("offline"));
    }

    @Test
    void shouldBackfillOnTheClusterWhatTheMiniClusterBackfillsItsPartsUnderTheStagingUri()
            throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        // the shared storage the task managers write to, apart from the output folder
        Path shared = Files.createDirectories(dir.resolve("shared-backfill"));

        FeatureBackfill.Result remote =
                backfill(
                        FlinkTarget.cluster(cluster.master(), jobJar).withStaging(shared.toUri()),
                        "remote",
                        new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("on the Flink cluster at " + cluster.master());
        assertThat(remote.rows()).isEqualTo(3_000).isEqualTo(local.rows());
        assertThat(remote.frauds()).isPositive().isEqualTo(local.frauds());
        assertThat(Files.readAllLines(remote.csv()))
                .as("the cluster's features.csv")
                .isEqualTo(Files.readAllLines(local.csv()));
        try (var left = Files.list(shared)) {
            assertThat(left.toList()).as("the staged parts, deleted once fetched").isEmpty();
        }
    }

    @Test
    void shouldBackTestOnTheClusterWhatTheMiniClusterBackTests() throws Exception {
        RuleBacktest.Result onMiniCluster = backtest(FlinkTarget.local(), "backtest-local");
        Path shared = Files.createDirectories(dir.resolve("shared-backtest"));
        RuleBacktest.Result remote =
                backtest(
                        FlinkTarget.cluster(cluster.master(), jobJar).withStaging(shared.toUri()),
                        "backtest-remote");

        assertThat(remote.candidate().payments).isEqualTo(3_000);
        assertThat(remote.candidate())
                .usingRecursiveComparison()
                .isEqualTo(onMiniCluster.candidate());
        assertThat(remote.candidateRules())
                .usingRecursiveComparison()
                .isEqualTo(onMiniCluster.candidateRules());
        assertThat(sorted(remote.decisions()))
                .as("every payment's decisions")
                .isNotEmpty()
                .isEqualTo(sorted(onMiniCluster.decisions()));
        try (var left = Files.list(shared)) {
            assertThat(left.toList()).as("the staged decisions, deleted once fetched").isEmpty();
        }
    }

    @Test
    void shouldRefuseAClusterWithoutItsJobJar() {
        assertThatThrownBy(() -> FlinkTarget.cluster(cluster.master(), dir.resolve("no-such.jar")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no job jar at");
    }

    private static FeatureBackfill.Result backfill(FlinkTarget target, String name, PrintStream out)
            throws Exception {
        return FeatureBackfill.run(
                new FeatureBackfill.Settings(
                        history,
                        HistoryFormat.HANDBOOK,
                        null,
                        dir.resolve(name),
                        CATALOGUE,
                        CurrencyRates.packaged(),
                        target,
                        2),
                out);
    }

    /** The packaged ruleset against itself over the backfill's features, with decisions. */
    private static RuleBacktest.Result backtest(FlinkTarget target, String name) throws Exception {
        return RuleBacktest.run(
                new RuleBacktest.Settings(
                        local.csv(),
                        RulesetSource.packaged(),
                        RulesetSource.packaged(),
                        null,
                        null,
                        CATALOGUE,
                        CurrencyRates.packaged(),
                        ListTimeline.empty(),
                        null,
                        null,
                        dir.resolve(name),
                        2,
                        true,
                        target),
                QUIET);
    }

    private static List<String> sorted(Path file) throws Exception {
        return Files.readAllLines(file).stream().sorted().toList();
    }

    /**
     * Card payments in the handbook's format over six weeks: 60 cards at 25 terminals, amounts up
     * to 300 (the handbook's first scenario: over 220 is fraud), in time order.
     */
    private static List<String> handbookHistory(int payments) {
        Random random = new Random(20_180_401);
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        LocalDateTime start = LocalDateTime.of(2018, 4, 1, 0, 0);
        long seconds = 0;
        List<String> lines = new ArrayList<>(List.of(HistoryFormat.HANDBOOK.header()));
        for (int id = 0; id < payments; id++) {
            seconds += 1 + random.nextInt(2 * 42 * 86_400 / payments);
            double amount = Math.round(random.nextDouble() * 30_000) / 100.0;
            int fraud = amount > 220 ? 1 : 0;
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "%d,%s,%d,%d,%.2f,%d,%d,%d,%d",
                            id,
                            start.plusSeconds(seconds).format(format),
                            random.nextInt(60),
                            random.nextInt(25),
                            amount,
                            seconds,
                            seconds / 86_400,
                            fraud,
                            fraud));
        }
        return lines;
    }
}
