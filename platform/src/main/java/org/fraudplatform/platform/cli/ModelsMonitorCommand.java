package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudplatform.models.evaluation.MonitorReport;
import org.fraudplatform.models.evaluation.Monitoring;
import org.fraudplatform.runtime.TopicIo;
import org.fraudplatform.schemas.Label;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fraud models monitor}: the champion and shadow models watched on the platform's own
 * decisions. Reads the decisions topic (each carries the features it used, the champion's and the
 * shadow's score and versions) and the labels topic to its end, and writes {@link MonitorReport}.
 */
@Command(
        name = "monitor",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Watches the models in production from the platform's decisions and labels: champion"
                    + " and shadow compared on the labels known so far (precision and recall at"
                    + " --threshold, average precision; a payment without a fraud label counts as"
                    + " genuine, and every number is n/a while no fraud is known), and drift: the"
                    + " Population Stability Index of every feature the decisions carry (the"
                    + " catalogue's) and of each model's score, in 10 bins at the reference's"
                    + " deciles.",
            "The reference is the decisions of an earlier period (by default the 28 days before"
                    + " --since), not the training rows: a release keeps no per-feature"
                    + " distribution. A score's PSI compares the same model version only.",
            "Writes <out>/report.html (self-contained, with charts) and <out>/report.md, and"
                    + " prints a summary."
        })
final class ModelsMonitorCommand implements Callable<Integer> {

    static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    static final Duration DEFAULT_REFERENCE = Duration.ofDays(28);

    @Option(
            names = "--since",
            converter = InstantConverter.class,
            description =
                    "Start of the monitored period. Default: 7 days before --to. "
                            + InstantConverter.FORMS)
    Instant since;

    @Option(
            names = "--to",
            converter = InstantConverter.class,
            description =
                    "End of the monitored period (exclusive). Default: just after the newest"
                            + " decision.")
    Instant to;

    @Option(
            names = "--reference-from",
            converter = InstantConverter.class,
            description =
                    "Start of the reference period for drift. Default: 28 days before its end.")
    Instant referenceFrom;

    @Option(
            names = "--reference-to",
            converter = InstantConverter.class,
            description = "End of the reference period (exclusive). Default: --since.")
    Instant referenceTo;

    @Option(
            names = "--threshold",
            defaultValue = "0.8",
            description =
                    "Score from which a payment counts as flagged, for precision and recall."
                            + " Default: ${DEFAULT-VALUE} (the packaged review band).")
    double threshold;

    @Option(names = "--out", required = true, description = "Output folder (created).")
    Path out;

    @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** The periods, with every default settled. */
    record Periods(Instant from, Instant to, Instant referenceFrom, Instant referenceTo) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        Topics topics = kafka.topics();
        log.printf("Reading %s…%n", topics.paymentDecisions().name());
        log.flush();
        List<RiskDecision> decisions =
                TopicIo.readAll(kafka.connection(), topics.paymentDecisions()).stream()
                        .map(ConsumerRecord::value)
                        .toList();
        log.printf("  %d decisions%nReading %s…%n", decisions.size(), topics.labels().name());
        log.flush();
        List<Label> labels =
                TopicIo.readAll(kafka.connection(), topics.labels()).stream()
                        .map(ConsumerRecord::value)
                        .toList();
        log.printf("  %d labels%n", labels.size());
        log.flush();
        MonitorReport.Summary s =
                report(
                        out,
                        decisions,
                        labels,
                        periods(decisions, since, to, referenceFrom, referenceTo),
                        threshold);
        print(log, s);
        return 0;
    }

    static Periods periods(
            List<RiskDecision> decisions,
            Instant since,
            Instant to,
            Instant referenceFrom,
            Instant referenceTo) {
        Instant end = to;
        if (end == null) {
            end =
                    decisions.stream()
                            .map(RiskDecision::getDecidedAt)
                            .max(Instant::compareTo)
                            .orElse(Instant.EPOCH)
                            .plusMillis(1);
        }
        Instant start = since != null ? since : end.minus(DEFAULT_WINDOW);
        Instant refEnd = referenceTo != null ? referenceTo : start;
        Instant refStart = referenceFrom != null ? referenceFrom : refEnd.minus(DEFAULT_REFERENCE);
        if (!start.isBefore(end) || !refStart.isBefore(refEnd)) {
            throw new IllegalArgumentException(
                    "a period must end after it starts: monitored "
                            + start
                            + " .. "
                            + end
                            + ", reference "
                            + refStart
                            + " .. "
                            + refEnd);
        }
        return new Periods(start, end, refStart, refEnd);
    }

    /** Selects the periods' decisions, joins the labels and writes the report. */
    static MonitorReport.Summary report(
            Path folder,
            List<RiskDecision> decisions,
            List<Label> labels,
            Periods p,
            double threshold)
            throws java.io.IOException {
        Map<String, Label> latest = new HashMap<>();
        for (Label l : labels) {
            latest.merge(
                    l.getPaymentId(), l, (a, b) -> b.getKnownAt().isBefore(a.getKnownAt()) ? a : b);
        }
        List<RiskDecision> current = within(decisions, p.from(), p.to());
        List<RiskDecision> reference = within(decisions, p.referenceFrom(), p.referenceTo());
        List<MonitorReport.ModelScores> models = new ArrayList<>();
        addModel(
                models,
                "champion",
                current,
                reference,
                latest,
                RiskDecision::getModelVersion,
                RiskDecision::getModelScore);
        addModel(
                models,
                "shadow",
                current,
                reference,
                latest,
                RiskDecision::getShadowModelVersion,
                RiskDecision::getShadowModelScore);
        TreeSet<String> names = new TreeSet<>();
        current.forEach(d -> names.addAll(d.getFeatures().keySet()));
        reference.forEach(d -> names.addAll(d.getFeatures().keySet()));
        List<MonitorReport.FeatureValues> features = new ArrayList<>();
        for (String name : names) {
            features.add(
                    new MonitorReport.FeatureValues(
                            name, values(reference, name), values(current, name)));
        }
        return MonitorReport.write(
                folder,
                new MonitorReport.Period(p.from(), p.to(), current.size()),
                new MonitorReport.Period(p.referenceFrom(), p.referenceTo(), reference.size()),
                threshold,
                models,
                features);
    }

    /**
     * The newest version in the role over the monitored period, scored on the payments it scored; a
     * version that changed mid-period is reported as its latest only.
     */
    private static void addModel(
            List<MonitorReport.ModelScores> models,
            String role,
            List<RiskDecision> current,
            List<RiskDecision> reference,
            Map<String, Label> labels,
            Function<RiskDecision, String> version,
            Function<RiskDecision, Double> score) {
        String newest = null;
        Instant at = null;
        for (RiskDecision d : current) {
            if (version.apply(d) != null
                    && score.apply(d) != null
                    && (at == null || !d.getDecidedAt().isBefore(at))) {
                newest = version.apply(d);
                at = d.getDecidedAt();
            }
        }
        if (newest == null) {
            return;
        }
        List<Double> scores = new ArrayList<>();
        List<Integer> fraud = new ArrayList<>();
        for (RiskDecision d : current) {
            if (newest.equals(version.apply(d)) && score.apply(d) != null) {
                scores.add(score.apply(d));
                Label l = labels.get(d.getPaymentId());
                fraud.add(l != null && l.getFraud() ? 1 : 0);
            }
        }
        List<Double> before = new ArrayList<>();
        for (RiskDecision d : reference) {
            if (newest.equals(version.apply(d)) && score.apply(d) != null) {
                before.add(score.apply(d));
            }
        }
        models.add(
                new MonitorReport.ModelScores(
                        role,
                        newest,
                        scores.stream().mapToDouble(Double::doubleValue).toArray(),
                        fraud.stream().mapToInt(Integer::intValue).toArray(),
                        before.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    private static List<RiskDecision> within(List<RiskDecision> all, Instant from, Instant to) {
        return all.stream()
                .filter(d -> !d.getDecidedAt().isBefore(from) && d.getDecidedAt().isBefore(to))
                .toList();
    }

    private static double[] values(List<RiskDecision> decisions, String feature) {
        return decisions.stream()
                .map(d -> d.getFeatures().get(feature))
                .filter(v -> v != null && !v.isNaN())
                .mapToDouble(Double::doubleValue)
                .toArray();
    }

    /** A few lines: each model's numbers, then the features that moved. */
    static void print(PrintWriter log, MonitorReport.Summary s) {
        if (s.models().isEmpty()) {
            log.println("No model scored the monitored payments.");
        }
        for (MonitorReport.ModelSummary m : s.models()) {
            log.printf(
                    Locale.ROOT,
                    "  %s %s: %d payments, %d known frauds; precision %s  recall %s  AP %s;"
                            + " score PSI %s%n",
                    m.role(),
                    m.version(),
                    m.payments(),
                    m.frauds(),
                    MonitorReport.number(m.precision()),
                    MonitorReport.number(m.recall()),
                    MonitorReport.number(m.averagePrecision()),
                    MonitorReport.number(m.scorePsi()));
        }
        long moved = s.drift().stream().filter(d -> d.psi() >= Monitoring.PSI_MODERATE).count();
        log.printf(
                Locale.ROOT,
                "  %d of %d features drifted (PSI >= %s)",
                moved,
                s.drift().size(),
                Monitoring.PSI_MODERATE);
        s.drift().stream()
                .filter(d -> d.psi() >= Monitoring.PSI_MODERATE)
                .limit(5)
                .forEach(
                        d ->
                                log.printf(
                                        Locale.ROOT,
                                        "%n    %s: PSI %s (%s)",
                                        d.name(),
                                        MonitorReport.number(d.psi()),
                                        Monitoring.verdict(d.psi())));
        log.printf("%nReport: %s%n", s.html());
        log.flush();
    }
}
