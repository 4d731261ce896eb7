package org.fraudplatform.offline.backfill;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.offline.FlinkTarget;
import org.fraudplatform.offline.StagedParts;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The point-in-time feature backfill: a Flink job that replays history through the feature
 * catalogue exactly as the risk topology computes it online, and writes one row per payment with
 * its features and the fraud label known later.
 *
 * <p>The job runs in BATCH mode: each keyed step reads its input sorted by key and then by input
 * position, so every entity sees its payments and outcomes in the order the online path would have,
 * and keeps its state only while its key is processed. Steps: parse (parallelism 1, input order) →
 * fan out to entities → per-entity {@code EntityHistory} → join per payment → part files. DuckDB
 * then assembles the part files into {@code features.csv} (with a header) and {@code
 * features.parquet}, in input order.
 */
public final class FeatureBackfill {

    /**
     * History in Kafka: the platform's own {@code payments.requests} and {@code payments.events},
     * read from the earliest offsets to the latest at the job's start.
     *
     * @param bootstrapServers the Kafka cluster
     * @param schemaRegistryUrl where the Avro schemas are ({@code http://…}, or {@code mem://…} in
     *     the same JVM)
     * @param clientSettings the connection settings the cluster asks of its clients (TLS, SASL)
     */
    public record TopicsInput(
            String bootstrapServers,
            String schemaRegistryUrl,
            java.util.Map<String, String> clientSettings) {
        public TopicsInput {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
            clientSettings = java.util.Map.copyOf(clientSettings);
        }

        /** A cluster that takes plain connections. */
        public TopicsInput(String bootstrapServers, String schemaRegistryUrl) {
            this(bootstrapServers, schemaRegistryUrl, java.util.Map.of());
        }
    }

    /**
     * What to run.
     *
     * @param input the history file (plain or .gz), or null to read {@code topics}
     * @param format how to read the file
     * @param topics the history topics, or null to read {@code input}
     * @param output the output folder (created; on a cluster it must be a folder the job's task
     *     managers and this process share)
     * @param catalogue the features to compute
     * @param currencyRates converts amounts into the reference currency, as the risk topology does:
     *     give both the same table, or their amount features differ
     * @param flink where the job runs: the local MiniCluster, or a session cluster given the job
     *     jar
     * @param parallelism parallelism of the keyed steps
     */
    public record Settings(
            Path input,
            HistoryFormat format,
            TopicsInput topics,
            Path output,
            FeatureCatalogue catalogue,
            CurrencyRates currencyRates,
            FlinkTarget flink,
            int parallelism) {
        public Settings {
            if ((input == null) == (topics == null)) {
                throw new IllegalArgumentException("read either a file or the topics");
            }
            if (input != null) {
                Objects.requireNonNull(format, "format");
            }
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(catalogue, "catalogue");
            Objects.requireNonNull(currencyRates, "currencyRates");
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1");
            }
            Objects.requireNonNull(flink, "flink");
        }
    }

    /**
     * What came out.
     *
     * @param rows payments written with their features
     * @param rejected lines refused (syntax, or later than the grace), listed in {@code
     *     rejected.txt}
     * @param frauds rows labelled fraud
     * @param elapsed wall-clock time of the whole run
     * @param csv the CSV file
     * @param parquet the Parquet file
     */
    public record Result(
            long rows, long rejected, long frauds, Duration elapsed, Path csv, Path parquet) {
        public double rowsPerSecond() {
            return rows / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    private FeatureBackfill() {}

    /** Runs the job and assembles its output, printing progress to {@code out}. */
    public static Result run(Settings s, PrintStream out) throws Exception {
        long started = System.nanoTime();
        if (s.input() != null && !Files.isRegularFile(s.input())) {
            throw new IllegalArgumentException("no such file: " + s.input());
        }
        Files.createDirectories(s.output());
        StagedParts staged = StagedParts.of(s.flink(), s.output().resolve("parts"));
        String runId = UUID.randomUUID().toString();

        StreamExecutionEnvironment env = environment(s);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        build(env, s, staged, runId);

        String from =
                s.input() != null
                        ? s.input()
                                + " ("
                                + s.format().name().toLowerCase(java.util.Locale.ROOT)
                                + ")"
                        : Topics.PAYMENT_REQUESTS
                                + " + "
                                + Topics.PAYMENT_EVENTS
                                + " at "
                                + s.topics().bootstrapServers();
        JobClient job = env.executeAsync("feature backfill of " + from);
        out.printf(
                "Backfill job %s on %s: %s → %s%n",
                job.getJobID(), s.flink().describe(), from, s.output());
        try {
            waitWithProgress(job, runId, started, s.flink().isLocal(), out);
        } finally {
            BackfillProgress.forget(runId);
        }

        out.println("Assembling features.csv and features.parquet …");
        Path staging = staged.fetch();
        BackfillOutput.Counts counts = BackfillOutput.assemble(staging, s.output(), s.catalogue());
        // which catalogue computed these features: a model trained on them records it
        java.nio.file.Files.writeString(
                s.output().resolve(BackfillOutput.CATALOGUE_HASH), s.catalogue().hash() + "\n");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Result result =
                new Result(
                        counts.rows(),
                        counts.rejected(),
                        counts.frauds(),
                        elapsed,
                        s.output().resolve(BackfillOutput.CSV),
                        s.output().resolve(BackfillOutput.PARQUET));
        staged.clear();
        try {
            deleteRecursively(s.output().resolve(".flink-tmp"));
        } catch (IOException e) {
            // the MiniCluster may still be writing there while it stops; it is scratch space
        }
        return result;
    }

    /** Wires the job's steps into {@code env}. */
    static void build(
            StreamExecutionEnvironment env, Settings s, StagedParts staging, String runId) {
        FeatureCatalogue catalogue = s.catalogue();
        SingleOutputStreamOperator<HistoryRow> rows =
                s.input() != null ? fileRows(env, s, runId) : topicRows(env, s, runId);
        SingleOutputStreamOperator<HistoryRow> ordered =
                rows.assignTimestampsAndWatermarks(
                                WatermarkStrategy.<HistoryRow>forMonotonousTimestamps()
                                        .withTimestampAssigner((row, ts) -> row.sequence))
                        .name("input order")
                        .setParallelism(1);
        SingleOutputStreamOperator<EntityUpdate> updates =
                ordered.process(new BackfillFunctions.FanOut(catalogue))
                        .name("fan out to entities")
                        .setParallelism(1);
        SingleOutputStreamOperator<String> features =
                updates.keyBy(u -> u.key)
                        .process(new BackfillFunctions.EntityFeatures(catalogue))
                        .name("entity features")
                        .setParallelism(s.parallelism())
                        .keyBy(p -> p.transactionId)
                        .process(new BackfillFunctions.JoinParts(runId))
                        .name("join parts")
                        .setParallelism(s.parallelism());

        features.sinkTo(textSink(staging.sink("features"))).name("features part files");
        DataStream<String> rejected =
                rows.getSideOutput(BackfillFunctions.REJECTED)
                        .union(features.getSideOutput(BackfillFunctions.REJECTED));
        rejected.sinkTo(textSink(staging.sink("rejected")))
                .name("rejected part files")
                .setParallelism(1);
        updates.getSideOutput(BackfillFunctions.LABELS)
                .sinkTo(textSink(staging.sink("labels")))
                .name("label part files")
                .setParallelism(1);
    }

    /** Lines of the file, numbered in order (parallelism 1): the sequence is the line number. */
    private static SingleOutputStreamOperator<HistoryRow> fileRows(
            StreamExecutionEnvironment env, Settings s, String runId) {
        FileSource<String> source =
                FileSource.forRecordStreamFormat(
                                new TextLineInputFormat(),
                                new org.apache.flink.core.fs.Path(s.input().toUri()))
                        .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "history")
                .setParallelism(1)
                .process(
                        new BackfillFunctions.ParseLines(
                                s.format(),
                                s.catalogue().labelDelay().toMillis(),
                                s.currencyRates(),
                                runId))
                .name("parse")
                .setParallelism(1);
    }

    /** Requests and ledger events from Kafka: the sequence is the event time. */
    private static SingleOutputStreamOperator<HistoryRow> topicRows(
            StreamExecutionEnvironment env, Settings s, String runId) {
        DataStream<HistoryRow> requests =
                env.fromSource(
                        kafkaSource(s, Topics.PAYMENT_REQUESTS, TopicHistory.Kind.REQUESTS, runId),
                        WatermarkStrategy.noWatermarks(),
                        Topics.PAYMENT_REQUESTS);
        DataStream<HistoryRow> events =
                env.fromSource(
                        kafkaSource(s, Topics.PAYMENT_EVENTS, TopicHistory.Kind.EVENTS, runId),
                        WatermarkStrategy.noWatermarks(),
                        Topics.PAYMENT_EVENTS);
        return requests.union(events)
                .process(new BackfillFunctions.SplitRejected())
                .name("split unreadable records");
    }

    private static KafkaSource<HistoryRow> kafkaSource(
            Settings s, String topic, TopicHistory.Kind kind, String runId) {
        java.util.Properties connection = new java.util.Properties();
        connection.putAll(s.topics().clientSettings());
        return KafkaSource.<HistoryRow>builder()
                .setBootstrapServers(s.topics().bootstrapServers())
                .setProperties(connection)
                .setTopics(topic)
                .setGroupId("fraud-features-backfill-" + runId)
                .setClientIdPrefix(
                        "fraud-features-backfill-" + kind.name().toLowerCase(java.util.Locale.ROOT))
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setProperty("enable.auto.commit", "false")
                // the ledger writes in transactions: never train on an aborted one
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(
                        new TopicHistory(
                                kind, s.topics().schemaRegistryUrl(), runId, s.currencyRates()))
                .build();
    }

    private static FileSink<String> textSink(org.apache.flink.core.fs.Path folder) {
        return FileSink.forRowFormat(folder, new SimpleStringEncoder<String>("UTF-8"))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix("part")
                                .withPartSuffix(".csv")
                                .build())
                .build();
    }

    private static StreamExecutionEnvironment environment(Settings s) throws IOException {
        Configuration conf = new Configuration();
        if (s.flink().isLocal()) {
            // Beside the part files, not among them: the MiniCluster clears it while it shuts
            // down, which can overlap the assembly.
            Path tmp = s.output().resolve(".flink-tmp");
            Files.createDirectories(tmp);
            conf.set(CoreOptions.TMP_DIRS, tmp.toString());
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("256m"));
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("64m"));
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("64m"));
            // One process: a task manager that misses heartbeats is starved of CPU by the job
            // itself (or by a busy machine), not dead; the default 50 s failed long backfills.
            conf.set(
                    org.apache.flink.configuration.HeartbeatManagerOptions.HEARTBEAT_TIMEOUT,
                    java.time.Duration.ofMinutes(10));
        }
        return s.flink().environment(s.parallelism(), conf);
    }

    private static void waitWithProgress(
            JobClient job, String runId, long started, boolean local, PrintStream out)
            throws Exception {
        var done = job.getJobExecutionResult();
        long lastLines = -1;
        while (true) {
            try {
                done.get(2, java.util.concurrent.TimeUnit.SECONDS);
                break;
            } catch (java.util.concurrent.TimeoutException e) {
                double seconds = (System.nanoTime() - started) / 1e9;
                if (local) {
                    long lines = BackfillProgress.get(runId, BackfillProgress.LINES);
                    long rows = BackfillProgress.get(runId, BackfillProgress.ROWS);
                    if (lines != lastLines || rows > 0) {
                        out.printf(
                                "  %5.0f s  read %,d lines (%,.0f/s), wrote %,d rows%n",
                                seconds, lines, lines / seconds, rows);
                        lastLines = lines;
                    }
                } else {
                    out.printf("  %5.0f s  job %s%n", seconds, job.getJobStatus().get());
                }
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new IllegalStateException(
                        "the backfill job failed: " + rootMessage(cause), e);
            }
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * Deletes a folder tree; files that vanish meanwhile (a shutting-down MiniCluster's) are fine.
     */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (var walk = Files.walk(dir)) {
            paths = walk.sorted(java.util.Comparator.reverseOrder()).toList();
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.file.NoSuchFileException) {
                deleteRecursively(dir);
                return;
            }
            throw e;
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
