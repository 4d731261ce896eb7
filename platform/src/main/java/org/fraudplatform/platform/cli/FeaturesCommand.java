package org.fraudplatform.platform.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.features.FeatureDefinition;
import org.fraudplatform.offline.backfill.FeatureBackfill;
import org.fraudplatform.offline.backfill.HistoryFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fraud features}: the feature catalogue and the point-in-time backfill. */
@Command(
        name = "features",
        mixinStandardHelpOptions = true,
        description = "The feature catalogue: list it, or backfill features over history.",
        subcommands = {
            FeaturesCommand.ListFeatures.class,
            FeaturesCommand.Backfill.class,
            CommandLine.HelpCommand.class
        })
public final class FeaturesCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options both subcommands share: which catalogue. */
    static final class CatalogueOptions {
        @Option(
                names = "--label-delay",
                defaultValue = "7d",
                converter = DurationConverter.class,
                description =
                        "How long after a payment its fraud label counts as known (the lag of the"
                                + " merchant fraud-rate features). Default: ${DEFAULT-VALUE}")
        Duration labelDelay;

        @Option(
                names = "--grace",
                defaultValue = "5m",
                converter = DurationConverter.class,
                description =
                        "How far behind an entity's newest payment a payment may arrive and still"
                                + " count. Default: ${DEFAULT-VALUE}")
        Duration grace;

        @Option(
                names = "--merchant-bucket",
                defaultValue = "10m",
                converter = DurationConverter.class,
                description =
                        "Time bucket the merchant is counted in (its windows count whole buckets;"
                                + " state bounded whatever its volume); 0s keeps every payment for"
                                + " exact windows. The running platform uses the default, and"
                                + " models record the catalogue hash. Default: ${DEFAULT-VALUE}")
        Duration merchantBucket;

        FeatureCatalogue catalogue() {
            return FeatureCatalogue.standard(labelDelay, grace, merchantBucket);
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Prints every feature: name, window and what it computes.")
    static final class ListFeatures implements Callable<Integer> {

        @CommandLine.Mixin CatalogueOptions catalogueOptions = new CatalogueOptions();

        @Option(
                names = "--markdown",
                description = "Print the catalogue as Markdown (what docs/features.md holds).")
        boolean markdown;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            FeatureCatalogue catalogue = catalogueOptions.catalogue();
            var out = spec.commandLine().getOut();
            if (markdown) {
                out.print(catalogue.toMarkdown());
                out.flush();
                return 0;
            }
            out.printf(
                    "%d features, catalogue hash %s%n",
                    catalogue.features().size(), catalogue.hash().substring(0, 12));
            for (var entity : catalogue.entities()) {
                if (!catalogue.bucket(entity).isZero()) {
                    out.printf(
                            "%s windows count whole %s buckets (see docs/features.md)%n",
                            entity.prefix(),
                            org.fraudplatform.features.Durations.format(catalogue.bucket(entity)));
                }
            }
            for (FeatureDefinition f : catalogue.features()) {
                out.printf(
                        "  %-34s %-34s %s%n",
                        f.name(), f.windowSemantics(), f.aggregation().description());
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "backfill",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Replays history through the feature catalogue on Flink (the local MiniCluster,"
                        + " or a cluster with --flink-master) and writes one row per payment with"
                        + " its point-in-time features and the fraud label known later:"
                        + " <output>/features.csv (with a header) and <output>/features.parquet,"
                        + " plus <output>/rejected.txt with every line it could not use and why.",
                "Formats: 'events' (the platform's history: kind,transaction_id,time,…) and"
                        + " 'handbook' (the fraud handbook's simulated transactions: customer ="
                        + " card, terminal = merchant); --from-topics reads the running"
                        + " platform's own topics."
            })
    static final class Backfill implements Callable<Integer> {

        @Option(
                names = "--input",
                description = "History file (CSV, plain or .gz); or --from-topics.")
        Path input;

        @Option(
                names = "--from-topics",
                description =
                        "Read the platform's own history from Kafka instead of a file:"
                                + " payments.requests and the declines and fraud chargebacks of"
                                + " payments.events, from the beginning to their end at the start.")
        boolean fromTopics;

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @Option(
                names = "--format",
                defaultValue = "events",
                description = "Input format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
        HistoryFormat format;

        @Option(names = "--output", required = true, description = "Output folder (created).")
        Path output;

        @CommandLine.Mixin FlinkOptions flink = new FlinkOptions();

        @Option(
                names = "--parallelism",
                defaultValue = "2",
                description = "Parallelism of the keyed steps. Default: ${DEFAULT-VALUE}")
        int parallelism;

        @CommandLine.Mixin CatalogueOptions catalogueOptions = new CatalogueOptions();

        @CommandLine.Mixin CurrencyRatesOption currencyRates = new CurrencyRatesOption();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if ((input != null) == fromTopics) {
                throw new IllegalArgumentException("give either --input <file> or --from-topics");
            }
            if (input != null && !Files.isRegularFile(input)) {
                throw new IllegalArgumentException("--input: no such file: " + input);
            }
            var out =
                    new java.io.PrintStream(
                            System.out, true, java.nio.charset.StandardCharsets.UTF_8);
            FeatureBackfill.Result r =
                    FeatureBackfill.run(
                            new FeatureBackfill.Settings(
                                    input,
                                    format,
                                    fromTopics
                                            ? new FeatureBackfill.TopicsInput(
                                                    kafka.bootstrapServers,
                                                    kafka.schemaRegistryUrl,
                                                    kafka.connection().clientSettings())
                                            : null,
                                    output,
                                    catalogueOptions.catalogue(),
                                    currencyRates.rates(),
                                    flink.target(),
                                    parallelism),
                            out);
            out.printf(
                    "Wrote %,d rows (%,d fraud) in %.1f s: %,.0f rows/s%n",
                    r.rows(), r.frauds(), r.elapsed().toMillis() / 1e3, r.rowsPerSecond());
            out.printf("  %s%n  %s%n", r.csv(), r.parquet());
            if (r.rejected() > 0) {
                out.printf(
                        "Rejected %,d lines; see %s%n",
                        r.rejected(), output.resolve("rejected.txt"));
            }
            return 0;
        }
    }
}
