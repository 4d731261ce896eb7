package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.providers.ProviderJournal;
import org.fraudplatform.providers.SettlementReportGenerator;
import org.fraudplatform.reconciliation.report.ReconciliationReport;
import org.fraudplatform.reconciliation.settlement.SettlementImporter;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.ReconciliationItem;
import org.fraudplatform.schemas.ReconciliationResolution;
import org.fraudplatform.schemas.ReconciliationStatus;
import org.fraudplatform.schemas.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fraud reconcile …}: settlement reports in, reconciliation out. */
@Command(
        name = "reconcile",
        mixinStandardHelpOptions = true,
        description = {
            "Reconciles the ledger with providers' settlement reports: import reports (or drop"
                    + " them into <data>/settlements/inbox of a running platform), see and resolve"
                    + " the exceptions, write a day's report. The reconciliation topology classifies"
                    + " every capture and refund: matched, amount / currency / status mismatch,"
                    + " missing in settlement, missing in ledger, duplicate; open while the other"
                    + " side may still arrive (--reconciliation-window of 'fraud run')."
        },
        subcommands = {
            ReconcileCommand.Import.class,
            ReconcileCommand.ImportAdyen.class,
            ReconcileCommand.Report.class,
            ReconcileCommand.Exceptions.class,
            ReconcileCommand.Resolve.class,
            ReconcileCommand.SimulateReport.class,
            ReconcileCommand.Bench.class,
            CommandLine.HelpCommand.class
        })
public final class ReconcileCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Every item's newest state on the topic, of one day (all days when {@code day} is null). */
    static List<ReconciliationItem> items(KafkaOptions kafka, Topics topics, String day) {
        Map<String, ReconciliationItem> latest = new LinkedHashMap<>();
        for (var r : TopicIo.readAll(kafka.connection(), topics.reconciliationItems())) {
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r.value());
            }
        }
        List<ReconciliationItem> out = new ArrayList<>();
        for (ReconciliationItem i : latest.values()) {
            if (day == null || i.getDay().equals(day)) {
                out.add(i);
            }
        }
        return out;
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description =
                    "Imports settlement report files: valid rows are published for reconciliation,"
                            + " malformed rows are quarantined with their line and reason, a file"
                            + " imported before (same content) is not imported again.")
    static final class Import implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Settlement report CSVs.")
        List<Path> files;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            int refused = 0;
            try (SettlementImporter importer =
                    new SettlementImporter(kafka.connection(), kafka.topics(), Clock.systemUTC())) {
                for (Path file : files) {
                    SettlementImporter.Result r;
                    try {
                        r =
                                importer.importFile(
                                        file, person.who(database, Permission.RECONCILIATION));
                    } catch (IllegalArgumentException e) {
                        out.printf("%s: refused: %s%n", file, e.getMessage());
                        refused++;
                        continue;
                    }
                    if (r.alreadyImported()) {
                        out.printf(
                                "%s: already imported (content %s, as %s at %s): nothing to do%n",
                                file,
                                r.fileHash(),
                                r.previous().getFileName(),
                                r.previous().getImportedAt());
                        continue;
                    }
                    out.printf(
                            Locale.ROOT,
                            "%s: %d rows published, %d quarantined (content %s) in %.2f s, %.0f"
                                    + " rows/s%n",
                            file,
                            r.rows(),
                            r.quarantined(),
                            r.fileHash(),
                            r.seconds(),
                            r.rows() / Math.max(r.seconds(), 1e-9));
                    for (var q : r.report().quarantined()) {
                        out.printf("  line %d quarantined: %s%n", q.line(), q.reason());
                    }
                }
            }
            out.flush();
            return refused == 0 ? 0 : 1;
        }
    }

    @Command(
            name = "import-adyen",
            mixinStandardHelpOptions = true,
            description = {
                "Imports an Adyen Settlement details report by hand (one whose REPORT_AVAILABLE"
                        + " notification never arrived, or downloaded from Adyen's Customer Area):"
                        + " its Settled and Refunded rows of --merchant-account become the"
                        + " settlement rows of --provider for --date, converted exactly as the"
                        + " scheduled fetch converts them, so that a later fetch of the same"
                        + " report imports nothing twice.",
                "A report that cannot be read is refused whole, naming the line and column."
            })
    static final class ImportAdyen implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The report (CSV).")
        Path file;

        @Option(
                names = "--provider",
                required = true,
                description = "The Adyen connector's name in the providers file.")
        String provider;

        @Option(
                names = "--merchant-account",
                required = true,
                description = "The merchant account whose rows are taken.")
        String merchantAccount;

        @Option(
                names = "--date",
                required = true,
                description = "The settlement day (UTC) the rows belong to: the batch's day.")
        LocalDate date;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            org.fraudplatform.providers.adyen.AdyenSettlementReport.Read read;
            try {
                read =
                        org.fraudplatform.providers.adyen.AdyenSettlementReport.read(
                                file.getFileName().toString(),
                                Files.readAllBytes(file),
                                provider,
                                merchantAccount,
                                date);
            } catch (IllegalArgumentException e) {
                out.printf("%s: refused: %s%n", file, e.getMessage());
                out.flush();
                return 1;
            }
            String who = person.who(database, Permission.RECONCILIATION);
            // the name and bytes the scheduled fetch would drop for this day
            Path folder = Files.createTempDirectory("adyen-import");
            Path converted = folder.resolve(provider + "-" + date + ".csv");
            try (SettlementImporter importer =
                    new SettlementImporter(kafka.connection(), kafka.topics(), Clock.systemUTC())) {
                Files.writeString(
                        converted,
                        SettlementReportFile.toCsv(
                                org.fraudplatform.providers.adyen.AdyenSettlements.rowsOf(
                                        List.of(read))));
                SettlementImporter.Result r = importer.importFile(converted, who);
                if (r.alreadyImported()) {
                    out.printf(
                            "%s: already imported (content %s, as %s at %s): nothing to do%n",
                            file,
                            r.fileHash(),
                            r.previous().getFileName(),
                            r.previous().getImportedAt());
                } else {
                    out.printf(
                            "%s: %d rows of %s for %s published (content %s), %d rows of other"
                                    + " types or accounts left out%n",
                            file, r.rows(), provider, date, r.fileHash(), read.leftOut());
                }
            } finally {
                Files.deleteIfExists(converted);
                Files.deleteIfExists(folder);
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description =
                    "Writes a day's reconciliation report: report.md and report.html (counts and"
                            + " amounts per category, provider and currency, fees, the open"
                            + " exceptions, charts) and summary.json.")
    static final class Report implements Callable<Integer> {
        @Option(names = "--date", required = true, description = "The day, yyyy-MM-dd (UTC).")
        LocalDate date;

        @Option(names = "--out", required = true, description = "Output folder (created).")
        Path out;

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<ReconciliationItem> items = items(kafka, kafka.topics(), date.toString());
            ReconciliationReport.Written w =
                    ReconciliationReport.write(out, date.toString(), items, Instant.now());
            PrintWriter o = spec.commandLine().getOut();
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (ReconciliationItem i : items) {
                counts.merge(i.getCategory().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
            o.printf("%d items on %s: %s%n", items.size(), date, counts);
            o.printf("Report: %s (and %s, %s)%n", w.html(), w.markdown(), w.json());
            o.flush();
            return 0;
        }
    }

    @Command(
            name = "exceptions",
            mixinStandardHelpOptions = true,
            description = "Lists the open exceptions, of one day or of all.")
    static final class Exceptions implements Callable<Integer> {
        @Option(names = "--date", description = "The day, yyyy-MM-dd (UTC). Default: every day.")
        LocalDate date;

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            int n = 0;
            for (ReconciliationItem i :
                    items(kafka, kafka.topics(), date == null ? null : date.toString())) {
                if (i.getStatus() != ReconciliationStatus.EXCEPTION) {
                    continue;
                }
                n++;
                o.printf(
                        "%-40s %-22s %-10s ledger %-14s settled %-14s %s%n",
                        i.getItemId(),
                        i.getCategory().name().toLowerCase(Locale.ROOT),
                        i.getDay(),
                        money(i.getLedgerAmount(), i.getLedgerCurrency()),
                        money(i.getSettledAmount(), i.getSettledCurrency()),
                        i.getProvider() == null ? "" : i.getProvider());
            }
            o.printf("%d open exception(s)%n", n);
            o.flush();
            return 0;
        }
    }

    @Command(
            name = "resolve",
            mixinStandardHelpOptions = true,
            description =
                    "Resolves an exception with a note; the resolution and who made it are"
                            + " audited.")
    static final class Resolve implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ITEM", description = "<payment id>/<operation id>")
        String itemId;

        @Option(
                names = {"-m", "--note"},
                required = true,
                converter = FreeTextConverter.class,
                description = "How it was resolved.")
        String note;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Topics topics = kafka.topics();
            ReconciliationItem item =
                    items(kafka, topics, null).stream()
                            .filter(i -> i.getItemId().equals(itemId))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "no reconciliation item " + itemId));
            if (item.getStatus() != ReconciliationStatus.EXCEPTION) {
                throw new IllegalArgumentException(
                        itemId
                                + " is "
                                + item.getStatus().name().toLowerCase(Locale.ROOT)
                                + ", not an exception");
            }
            String who = person.who(database, Permission.RECONCILIATION);
            try (KafkaProducer<String, ReconciliationResolution> p =
                    TopicIo.producer(kafka.connection(), topics.reconciliationResolutions())) {
                p.send(
                                new ProducerRecord<>(
                                        topics.reconciliationResolutions().name(),
                                        item.getPaymentId(),
                                        ReconciliationResolution.newBuilder()
                                                .setItemId(itemId)
                                                .setResolvedBy(who)
                                                .setNote(note)
                                                .setAt(Instant.now())
                                                .build()))
                        .get();
            }
            spec.commandLine()
                    .getOut()
                    .printf("%s (%s) resolved by %s%n", itemId, item.getCategory(), who);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(
            name = "simulate-report",
            mixinStandardHelpOptions = true,
            description = {
                "Writes the settlement report a simulated provider would send for a day, from its"
                        + " journal (<data>/providers), with flaws on request, e.g. --flaws"
                        + " missing=2,amount=1,currency=1,duplicate=1,unknown=2,late=1,malformed=1."
                        + " Late rows go to --late-out (the next day's report)."
            })
    static final class SimulateReport implements Callable<Integer> {
        @Option(
                names = "--data-dir",
                defaultValue = "data",
                description = "The platform's data folder. Default: ${DEFAULT-VALUE}")
        Path dataDir;

        @Option(
                names = "--provider",
                defaultValue = "simulated-a",
                description = "Which simulated provider. Default: ${DEFAULT-VALUE}")
        String provider;

        @Option(names = "--date", description = "The day (UTC). Default: today.")
        LocalDate date;

        @Option(names = "--flaws", defaultValue = "", description = "Flaws to put in.")
        String flaws;

        @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}")
        long seed;

        @Option(names = "--out", required = true, description = "The report file to write.")
        Path out;

        @Option(names = "--late-out", description = "Where the late rows go (the next day's file).")
        Path lateOut;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            LocalDate day = date == null ? LocalDate.now(java.time.ZoneOffset.UTC) : date;
            var journal =
                    ProviderJournal.read(
                            ProviderJournal.file(dataDir.resolve("providers"), provider));
            SettlementReportGenerator.Generated g =
                    SettlementReportGenerator.generate(
                            journal,
                            provider,
                            day,
                            SettlementReportGenerator.FeeModel.standard(),
                            flaws.isBlank()
                                    ? SettlementReportGenerator.Flaws.none()
                                    : SettlementReportGenerator.Flaws.parse(flaws),
                            seed);
            SettlementReportFile.write(out, g.rows(), g.malformedLines());
            PrintWriter o = spec.commandLine().getOut();
            o.printf(
                    "%s: %d rows of %s for %s (from %d journal entries)%n",
                    out, g.rows().size(), provider, day, journal.size());
            g.flawsApplied().forEach((k, v) -> o.printf("  %s: %s%n", k, v));
            if (lateOut != null && !g.lateRows().isEmpty()) {
                SettlementReportFile.write(lateOut, g.lateRows(), List.of());
                o.printf(
                        "%s: %d late rows (the next day's report)%n", lateOut, g.lateRows().size());
            }
            o.flush();
            return 0;
        }
    }

    @Command(
            name = "bench",
            mixinStandardHelpOptions = true,
            description = {
                "Measures reconciliation throughput on a running platform: imports a synthetic"
                        + " settlement report of --rows rows (payments the ledger never saw, so"
                        + " it changes no real item) and times the import and the topology until"
                        + " every row has its item on reconciliation.items."
            })
    static final class Bench implements Callable<Integer> {
        @Option(names = "--rows", defaultValue = "20000", description = "Default: ${DEFAULT-VALUE}")
        int rows;

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            Topics topics = kafka.topics();
            String run = "bench" + Long.toString(System.currentTimeMillis(), 36);
            LocalDate day = LocalDate.now(java.time.ZoneOffset.UTC);
            List<SettlementReportFile.Row> synthetic = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = 0; i < rows; i++) {
                synthetic.add(
                        new SettlementReportFile.Row(
                                "bench",
                                day,
                                "capture",
                                "pay_" + run + "_" + i,
                                "capture",
                                "",
                                1_000 + i % 5_000,
                                "EUR",
                                39,
                                now));
            }
            Path file = Files.createTempFile("settlement-" + run, ".csv");
            SettlementReportFile.write(file, synthetic, List.of());
            java.util.Set<String> expected = new java.util.HashSet<>();
            synthetic.forEach(r -> expected.add(r.paymentId() + "/capture"));
            try (var consumer =
                    new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                            consumerProps(kafka.connection()),
                            topics.reconciliationItems().keySerde().deserializer(),
                            topics.reconciliationItems().valueSerde().deserializer())) {
                var partitions =
                        consumer
                                .partitionsFor(
                                        topics.reconciliationItems().name(),
                                        java.time.Duration.ofSeconds(30))
                                .stream()
                                .map(
                                        i ->
                                                new org.apache.kafka.common.TopicPartition(
                                                        i.topic(), i.partition()))
                                .toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                long started = System.nanoTime();
                SettlementImporter.Result r;
                try (SettlementImporter importer =
                        new SettlementImporter(kafka.connection(), topics, Clock.systemUTC())) {
                    r = importer.importFile(file, "bench");
                }
                double imported = (System.nanoTime() - started) / 1e9;
                long deadline = System.nanoTime() + java.time.Duration.ofMinutes(10).toNanos();
                while (!expected.isEmpty() && System.nanoTime() < deadline) {
                    for (var rec : consumer.poll(java.time.Duration.ofMillis(200))) {
                        expected.remove(rec.key());
                    }
                }
                double total = (System.nanoTime() - started) / 1e9;
                o.printf(
                        Locale.ROOT,
                        "Imported %,d rows in %.2f s (%,.0f rows/s, parse, validate and publish in"
                                + " one transaction)%n",
                        r.rows(),
                        imported,
                        r.rows() / imported);
                o.printf(
                        Locale.ROOT,
                        "Reconciled %,d rows in %.2f s end to end (%,.0f rows/s)%s%n",
                        rows - expected.size(),
                        total,
                        (rows - expected.size()) / total,
                        expected.isEmpty() ? "" : "; " + expected.size() + " never arrived");
            } finally {
                Files.deleteIfExists(file);
            }
            o.flush();
            return 0;
        }

        private static java.util.Properties consumerProps(KafkaConnection kafka) {
            java.util.Properties p = new java.util.Properties();
            p.putAll(kafka.map());
            p.put("enable.auto.commit", false);
            p.put("isolation.level", "read_committed");
            return p;
        }
    }

    private static String money(Long minor, String currency) {
        return minor == null
                ? "-"
                : java.math.BigDecimal.valueOf(minor, 2).toPlainString() + " " + currency;
    }
}
