package org.fraudplatform.streams.backtest;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.streams.backfill.BackfillProgress;
import org.fraudplatform.streams.features.FeatureCatalogue;

/**
 * Back-test of a candidate ruleset against a baseline on history: a Flink job (local MiniCluster)
 * over a feature backfill's {@code features.csv}, so every payment is judged on the features it had
 * at its time and scored against the fraud label known later. Writes {@code report.md} (tables and
 * charts) and {@code summary.json} with the same figures.
 */
public final class RuleBacktest {

    /**
     * @param features a backfill's {@code features.csv} (written with {@code catalogue})
     * @param candidate the ruleset under test
     * @param baseline the ruleset it is compared with (the live one, or the packaged one)
     * @param catalogue the backfill's catalogue
     * @param lists the block and allow lists through time ({@link ListTimeline#empty()} for none)
     * @param from first event time included, or null
     * @param to first event time excluded, or null
     * @param out folder for the report
     * @param parallelism parallelism of the rule evaluation
     */
    public record Settings(
            Path features,
            RulesetSource candidate,
            RulesetSource baseline,
            FeatureCatalogue catalogue,
            ListTimeline lists,
            Instant from,
            Instant to,
            Path out,
            int parallelism) {
        public Settings {
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(baseline, "baseline");
            Objects.requireNonNull(catalogue, "catalogue");
            Objects.requireNonNull(lists, "lists");
            Objects.requireNonNull(out, "out");
        }
    }

    /**
     * @param candidate the candidate ruleset's figures
     * @param baseline the baseline's
     * @param candidateRules per rule of the candidate
     * @param baselineRules per rule of the baseline
     */
    public record Result(
            Settings settings,
            Tally candidate,
            Tally baseline,
            Map<String, Tally> candidateRules,
            Map<String, Tally> baselineRules,
            Duration elapsed,
            Path report,
            Path summary) {
        public double rowsPerSecond() {
            return candidate.payments / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    private RuleBacktest() {}

    public static Result run(Settings s, PrintStream out) throws Exception {
        if (!Files.isRegularFile(s.features())) {
            throw new IllegalArgumentException("no such feature file: " + s.features());
        }
        long started = System.nanoTime();
        String runId = UUID.randomUUID().toString();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(s.parallelism());
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        FileSource<String> source =
                FileSource.forRecordStreamFormat(
                                new TextLineInputFormat(),
                                new org.apache.flink.core.fs.Path(s.features().toUri()))
                        .build();
        CloseableIterator<Tally> results =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "features")
                        .setParallelism(1)
                        .rebalance()
                        .flatMap(
                                new EvaluateRulesets(
                                        files(s.candidate()),
                                        files(s.baseline()),
                                        s.catalogue(),
                                        s.lists(),
                                        s.from() == null ? Long.MIN_VALUE : s.from().toEpochMilli(),
                                        s.to() == null ? Long.MAX_VALUE : s.to().toEpochMilli(),
                                        runId))
                        .name("judge with both rulesets")
                        .keyBy(t -> t.key)
                        .reduce(Tally::sum)
                        .name("sum per ruleset and rule")
                        .collectAsync();
        JobClient job = env.executeAsync("rule back-test of " + s.candidate().version());
        out.printf(
                "Back-test job %s: ruleset %s against %s over %s%n",
                job.getJobID(), s.candidate().version(), s.baseline().version(), s.features());
        try {
            var done = job.getJobExecutionResult();
            while (true) {
                try {
                    done.get(2, TimeUnit.SECONDS);
                    break;
                } catch (TimeoutException e) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    long rows = BackfillProgress.get(runId, BackfillProgress.LINES);
                    out.printf(
                            "  %5.0f s  judged %,d payments (%,.0f/s)%n",
                            seconds, rows, rows / seconds);
                }
            }
        } finally {
            BackfillProgress.forget(runId);
        }
        Map<String, Tally> byKey = new HashMap<>();
        try (results) {
            results.forEachRemaining(t -> byKey.merge(t.key, t, Tally::sum));
        }
        Map<String, Tally> candidateRules = new TreeMap<>();
        Map<String, Tally> baselineRules = new TreeMap<>();
        byKey.forEach(
                (k, t) -> {
                    if (k.startsWith("candidate-rule:")) {
                        candidateRules.put(k.substring("candidate-rule:".length()), t);
                    } else if (k.startsWith("baseline-rule:")) {
                        baselineRules.put(k.substring("baseline-rule:".length()), t);
                    }
                });
        Tally empty = new Tally();
        Files.createDirectories(s.out());
        Result partial =
                new Result(
                        s,
                        byKey.getOrDefault("candidate", empty),
                        byKey.getOrDefault("baseline", empty),
                        candidateRules,
                        baselineRules,
                        Duration.ofNanos(System.nanoTime() - started),
                        s.out().resolve("report.md"),
                        s.out().resolve("summary.json"));
        BacktestReport.write(partial);
        return partial;
    }

    private static Map<String, byte[]> files(RulesetSource source) {
        Map<String, byte[]> files = new HashMap<>();
        source.files().forEach(f -> files.put(f.name(), f.content()));
        return files;
    }
}
