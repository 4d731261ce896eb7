package org.fraudplatform.offline.backtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.util.CloseableIterator;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.offline.FlinkTarget;
import org.fraudplatform.offline.StagedParts;
import org.fraudplatform.offline.backfill.BackfillOutput;
import org.fraudplatform.offline.backfill.BackfillProgress;
import org.fraudplatform.offline.backfill.RequestColumns;
import org.fraudplatform.risk.models.LoadedModel;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.money.CurrencyRates;

/**
 * Back-test of a candidate ruleset against a baseline on history: a Flink job (local MiniCluster)
 * over a feature backfill's {@code features.csv}, so every payment is judged on the features it had
 * at its time and scored against the fraud label known later. Each payment is decided as the risk
 * topology decides it: the request the backfill kept ({@code RequestColumns}) scored by the same
 * {@code RiskScorer}, with a chosen model as champion or none; so a back-test of the live ruleset
 * and the live champion reproduces, payment for payment, what the platform decided on that history.
 * Writes {@code report.md} (tables and Mermaid charts), {@code report.html} (the same, its charts
 * drawn as inline SVG), {@code summary.json} with the same figures and, when asked, {@code
 * decisions.jsonl} with every payment's two decisions.
 */
public final class RuleBacktest {

    /**
     * @param features a backfill's {@code features.csv} (written with {@code catalogue})
     * @param candidate the ruleset under test
     * @param baseline the ruleset it is compared with (the live one, or the packaged one)
     * @param catalogue the backfill's catalogue
     * @param candidateModel the model whose score the candidate's rules read as {@code model_score}
     *     (the champion's part), or null for the rules alone
     * @param baselineModel the same for the baseline
     * @param catalogue the backfill's catalogue
     * @param rates the rate table the backfill converted amounts with (the platform's)
     * @param lists the block and allow lists through time ({@link ListTimeline#empty()} for none)
     * @param from first event time included, or null
     * @param to first event time excluded, or null
     * @param out folder for the report
     * @param parallelism parallelism of the rule evaluation
     * @param decisions whether to write every payment's decisions ({@value #DECISIONS})
     * @param flink where the job runs: the local MiniCluster, or a session cluster given the job
     *     jar
     */
    public record Settings(
            Path features,
            RulesetSource candidate,
            RulesetSource baseline,
            ModelRelease candidateModel,
            ModelRelease baselineModel,
            FeatureCatalogue catalogue,
            CurrencyRates rates,
            ListTimeline lists,
            Instant from,
            Instant to,
            Path out,
            int parallelism,
            boolean decisions,
            FlinkTarget flink) {
        public Settings {
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(baseline, "baseline");
            Objects.requireNonNull(catalogue, "catalogue");
            Objects.requireNonNull(rates, "rates");
            Objects.requireNonNull(lists, "lists");
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(flink, "flink");
        }

        /** Rules alone on both sides, the packaged rate table, no decisions file. */
        public Settings(
                Path features,
                RulesetSource candidate,
                RulesetSource baseline,
                FeatureCatalogue catalogue,
                ListTimeline lists,
                Instant from,
                Instant to,
                Path out,
                int parallelism) {
            this(
                    features,
                    candidate,
                    baseline,
                    null,
                    null,
                    catalogue,
                    CurrencyRates.packaged(),
                    lists,
                    from,
                    to,
                    out,
                    parallelism,
                    false,
                    FlinkTarget.local());
        }
    }

    /** Every payment's decisions, one JSON object a line (see the module README). */
    public static final String DECISIONS = "decisions.jsonl";

    /**
     * @param candidate the candidate ruleset's figures
     * @param baseline the baseline's
     * @param candidateRules per rule of the candidate
     * @param baselineRules per rule of the baseline
     * @param decisions the decisions file, or null when not asked for
     */
    public record Result(
            Settings settings,
            Tally candidate,
            Tally baseline,
            Map<String, Tally> candidateRules,
            Map<String, Tally> baselineRules,
            Duration elapsed,
            Path report,
            Path summary,
            Path decisions) {
        /** The same report as {@link #report()} in HTML with SVG charts: {@code report.html}. */
        public Path htmlReport() {
            return report.resolveSibling("report.html");
        }

        public double rowsPerSecond() {
            return candidate.payments / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    private RuleBacktest() {}

    public static Result run(Settings s, PrintStream out) throws Exception {
        if (!Files.isRegularFile(s.features())) {
            throw new IllegalArgumentException("no such feature file: " + s.features());
        }
        checkHeader(s.features(), s.catalogue());
        for (ModelRelease model : new ModelRelease[] {s.candidateModel(), s.baselineModel()}) {
            if (model != null) {
                LoadedModel.load(model, s.catalogue()); // refused now, with the reason
            }
        }
        StagedParts decisionParts = StagedParts.of(s.flink(), s.out().resolve("decisions-parts"));
        long started = System.nanoTime();
        String runId = UUID.randomUUID().toString();
        StreamExecutionEnvironment env =
                s.flink().environment(s.parallelism(), new Configuration());
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        FileSource<String> source =
                FileSource.forRecordStreamFormat(
                                new TextLineInputFormat(),
                                new org.apache.flink.core.fs.Path(s.features().toUri()))
                        .build();
        SingleOutputStreamOperator<Tally> judged =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "features")
                        .setParallelism(1)
                        .rebalance()
                        .process(
                                new EvaluateRulesets(
                                        s, files(s.candidate()), files(s.baseline()), runId))
                        .name("judge with both rulesets");
        if (s.decisions()) {
            judged.getSideOutput(EvaluateRulesets.DECISIONS)
                    .sinkTo(
                            FileSink.forRowFormat(
                                            decisionParts.sink("decisions"),
                                            new SimpleStringEncoder<String>("UTF-8"))
                                    .withBucketAssigner(new BasePathBucketAssigner<>())
                                    .withOutputFileConfig(
                                            OutputFileConfig.builder()
                                                    .withPartPrefix("part")
                                                    .withPartSuffix(".jsonl")
                                                    .build())
                                    .build())
                    .name("decision part files");
        }
        CloseableIterator<Tally> results =
                judged.keyBy(t -> t.key)
                        .reduce(Tally::sum)
                        .name("sum per ruleset and rule")
                        .collectAsync();
        JobClient job = env.executeAsync("rule back-test of " + s.candidate().version());
        out.printf(
                "Back-test job %s on %s: ruleset %s%s against %s%s over %s%n",
                job.getJobID(),
                s.flink().describe(),
                s.candidate().version(),
                s.candidateModel() == null ? "" : " with model " + s.candidateModel().getVersion(),
                s.baseline().version(),
                s.baselineModel() == null ? "" : " with model " + s.baselineModel().getVersion(),
                s.features());
        try {
            var done = job.getJobExecutionResult();
            while (true) {
                try {
                    done.get(2, TimeUnit.SECONDS);
                    break;
                } catch (TimeoutException e) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    if (s.flink().isLocal()) {
                        long rows = BackfillProgress.get(runId, BackfillProgress.LINES);
                        out.printf(
                                "  %5.0f s  judged %,d payments (%,.0f/s)%n",
                                seconds, rows, rows / seconds);
                    } else {
                        out.printf("  %5.0f s  job %s%n", seconds, job.getJobStatus().get());
                    }
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
        Path decisions = null;
        if (s.decisions()) {
            decisions = s.out().resolve(DECISIONS);
            concatenate(decisionParts.fetch(), decisions);
            decisionParts.clear();
        }
        Result partial =
                new Result(
                        s,
                        byKey.getOrDefault("candidate", empty),
                        byKey.getOrDefault("baseline", empty),
                        candidateRules,
                        baselineRules,
                        Duration.ofNanos(System.nanoTime() - started),
                        s.out().resolve("report.md"),
                        s.out().resolve("summary.json"),
                        decisions);
        BacktestReport.write(partial);
        return partial;
    }

    /**
     * Refuses a file that is not a backfill of this catalogue, or one written before the backfill
     * kept what the decision reads of each request: judged without it, payments would be decided
     * otherwise than online.
     */
    static void checkHeader(Path features, FeatureCatalogue catalogue) throws IOException {
        String header;
        try (BufferedReader r = Files.newBufferedReader(features, StandardCharsets.UTF_8)) {
            header = r.readLine();
        }
        List<String> expected = BackfillOutput.header(catalogue);
        List<String> found = header == null ? List.of() : List.of(header.trim().split(",", -1));
        if (found.equals(expected)) {
            return;
        }
        if (found.equals(expected.subList(0, expected.size() - RequestColumns.NAMES.size()))) {
            throw new IllegalArgumentException(
                    features
                            + " lacks the columns a decision reads besides the features ("
                            + String.join(", ", RequestColumns.NAMES)
                            + "): it was written by an older backfill, and its payments would be"
                            + " judged as card payments in the reference currency without BIN,"
                            + " card country, channel or merchant category. Backfill the history"
                            + " again (fraud features backfill) and back-test the new file.");
        }
        throw new IllegalArgumentException(
                features
                        + " is not a feature backfill of this catalogue (hash "
                        + catalogue.hash().substring(0, 12)
                        + "): its header differs from "
                        + String.join(",", expected));
    }

    private static void concatenate(Path parts, Path target) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(parts)) {
            try (var all = Files.walk(parts)) {
                all.filter(p -> p.getFileName().toString().startsWith("part"))
                        .filter(Files::isRegularFile)
                        .sorted()
                        .forEach(files::add);
            }
        }
        try (OutputStream out = Files.newOutputStream(target)) {
            for (Path f : files) {
                Files.copy(f, out);
            }
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Map<String, byte[]> files(RulesetSource source) {
        Map<String, byte[]> files = new HashMap<>();
        source.files().forEach(f -> files.put(f.name(), f.content()));
        return files;
    }
}
