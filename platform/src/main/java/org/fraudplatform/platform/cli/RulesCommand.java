package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fraudplatform.api.people.FourEyes;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.database.Database;
import org.fraudplatform.risk.RulesetCheck;
import org.fraudplatform.risk.RulesetReleases;
import org.fraudplatform.risk.releases.RulesetProposals;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.schemas.RulesetRelease;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fraud rules}: the analysts' ruleset, from a folder to live and back. */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description =
                "The fraud rules: test a ruleset folder, deploy it without a restart, see"
                        + " the history, roll back.",
        subcommands = {
            RulesCommand.Test.class,
            RulesCommand.Deploy.class,
            RulesCommand.Proposals.class,
            RulesCommand.Approve.class,
            RulesCommand.History.class,
            RulesCommand.Rollback.class,
            RulesCommand.Backtest.class,
            CommandLine.HelpCommand.class
        })
public final class RulesCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Says so when the scoring instances that trust only these keys refuse what was signed. */
    static void warnIfUntrusted(ReleaseSigner signer, TrustedKeys trusted, PrintWriter out) {
        if (!trusted.keyIds().contains(signer.keyId())) {
            out.printf(
                    "Warning: key %s is not among the trusted release keys (%s): scoring instances"
                            + " that trust only those refuse this release and keep the live one%n",
                    signer.keyId(), String.join(", ", trusted.keyIds()));
        }
    }

    /** Prints a check's outcome; true when it passes. */
    static boolean report(RulesetCheck check, PrintWriter out) {
        if (check.ruleset() != null) {
            out.printf(
                    "Compiled %d rules from %d files in %d ms (version %s)%n",
                    check.ruleset().ruleNames().size(),
                    check.source().files().size(),
                    check.compileMillis(),
                    check.ruleset().version());
        }
        check.problems().forEach(out::println);
        out.printf(
                "%d of %d cases passed%s%n",
                check.passed(),
                check.cases(),
                check.passes() ? "" : "; " + check.problems().size() + " problems");
        out.flush();
        return check.passes();
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = {
                "Compiles a ruleset folder, checks that its rules and cases read only features"
                        + " the platform computes, and runs every case of its *.cases.yaml files."
                        + " Every problem is printed as file:line: message.",
                "Exit status: 0 when everything passes, 1 otherwise."
            })
    static final class Test implements Callable<Integer> {

        @Option(
                names = "--dir",
                defaultValue = "rules/ruleset",
                description = "The ruleset folder. Default: ${DEFAULT-VALUE}")
        Path dir;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return report(RulesetCheck.of(dir), spec.commandLine().getOut()) ? 0 : 1;
        }
    }

    @Command(
            name = "deploy",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Tests a ruleset folder as 'rules test' does and, when it passes, puts it live:"
                        + " a versioned, content-hashed release (who, when, why) signed with the"
                        + " release-signing key (--signing-key) on rules.rulesets, which every"
                        + " scoring instance that trusts the key compiles in the background and"
                        + " swaps in between two payments; the change is written to audit.events."
                        + " New decisions carry the new version in ruleset_version.",
                "A folder that fails is refused and nothing is published (exit 1); without a"
                        + " readable signing key nothing is published either (exit 2).",
                "With --require-approval (four eyes) the tested release is only proposed:"
                        + " another person with the rules permission puts it live with 'fraud"
                        + " rules approve VERSION'; the proposal is audited (ruleset.propose)."
            })
    static final class Deploy implements Callable<Integer> {

        @Option(
                names = "--require-approval",
                description =
                        "Propose the release instead of putting it live: a second person must"
                                + " approve it ('fraud rules approve').")
        boolean requireApproval;

        @Option(
                names = "--dir",
                defaultValue = "rules/ruleset",
                description = "The ruleset folder. Default: ${DEFAULT-VALUE}")
        Path dir;

        @Option(
                names = {"-m", "--message"},
                required = true,
                converter = FreeTextConverter.class,
                description = "Why: what changed.")
        String message;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Mixin ReleaseKeyOptions keys = new ReleaseKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ReleaseSigner signer = keys.signer();
            TrustedKeys trusted = keys.trusted();
            RulesetCheck check = RulesetCheck.of(dir);
            if (!report(check, out)) {
                out.println("Refused: nothing was deployed.");
                out.flush();
                return 1;
            }
            String author = person.who(database, Permission.RULES);
            if (!requireApproval) {
                try (Database db = database.connect()) {
                    new FourEyes(db.dataSource(), Clock.systemUTC())
                            .refuseAlone(
                                    Permission.RULES,
                                    "rules deploys",
                                    "fraud rules deploy --require-approval");
                }
            }
            try (RulesetReleases releases =
                    new RulesetReleases(kafka.connection(), kafka.topics(), signer, trusted)) {
                if (requireApproval) {
                    try (Database db = database.connect()) {
                        RulesetRelease proposal =
                                RulesetReleases.proposal(
                                        check.source(), check.cases(), author, message);
                        new RulesetProposals(db.dataSource(), Clock.systemUTC())
                                .propose(proposal, author);
                        releases.recordProposal(proposal);
                        out.printf(
                                "Proposed ruleset %s (%s: %s); nothing is live yet: another"
                                        + " person with the rules permission puts it live with"
                                        + " 'fraud rules approve %s'%n",
                                proposal.getVersion(), author, message, proposal.getVersion());
                    }
                    out.flush();
                    return 0;
                }
                RulesetRelease r = releases.deploy(check.source(), check.cases(), author, message);
                out.printf(
                        "Deployed ruleset %s (%s: %s), signed by key %s%n",
                        r.getVersion(), r.getAuthor(), r.getMessage(), r.getSigningKeyId());
                warnIfUntrusted(signer, trusted, out);
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "proposals",
            mixinStandardHelpOptions = true,
            description =
                    "Lists the ruleset releases proposed with 'rules deploy --require-approval'"
                            + " that wait for a second person, oldest first.")
    static final class Proposals implements Callable<Integer> {

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<RulesetProposals.Proposal> pending;
            try (Database db = database.connect()) {
                pending = new RulesetProposals(db.dataSource(), Clock.systemUTC()).pending();
            }
            if (pending.isEmpty()) {
                out.println("No ruleset waits for approval.");
            }
            DateTimeFormatter time =
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
            for (RulesetProposals.Proposal p : pending) {
                out.printf(
                        "%s  %-12s %s: %s (%d files)%n",
                        time.format(p.proposedAt()),
                        p.release().getVersion(),
                        p.proposedBy(),
                        p.release().getMessage(),
                        p.release().getFiles().size());
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = {
                "Puts live a ruleset another person proposed with 'rules deploy"
                        + " --require-approval' (four eyes): signed with the release-signing key,"
                        + " published and audited as ruleset.deploy under your name, with who"
                        + " proposed it. The proposer cannot approve their own proposal."
            })
    static final class Approve implements Callable<Integer> {

        @Parameters(index = "0", description = "The proposed version ('rules proposals').")
        String version;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Mixin ReleaseKeyOptions keys = new ReleaseKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ReleaseSigner signer = keys.signer();
            TrustedKeys trusted = keys.trusted();
            String approver = person.who(database, Permission.RULES);
            try (Database db = database.connect();
                    RulesetReleases releases =
                            new RulesetReleases(
                                    kafka.connection(), kafka.topics(), signer, trusted)) {
                RulesetRelease r =
                        new RulesetProposals(db.dataSource(), Clock.systemUTC())
                                .approve(
                                        version,
                                        approver,
                                        proposal -> releases.publishApproved(proposal, approver));
                out.printf(
                        "Deployed ruleset %s (%s: %s), approved by %s, signed by key %s%n",
                        r.getVersion(),
                        r.getAuthor(),
                        r.getMessage(),
                        approver,
                        r.getSigningKeyId());
                warnIfUntrusted(signer, trusted, out);
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "history",
            mixinStandardHelpOptions = true,
            description =
                    "Lists the ruleset releases, oldest first; the last one that the trusted keys"
                            + " signed is live. A release they did not sign says why the scoring"
                            + " instances refuse it.")
    static final class History implements Callable<Integer> {

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Mixin TrustedKeyOptions trust = new TrustedKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<RulesetReleases.Entry> all;
            try (RulesetReleases releases =
                    new RulesetReleases(
                            kafka.connection(), kafka.topics(), null, trust.trusted())) {
                all = releases.checkedHistory();
            }
            int live = -1;
            for (int i = 0; i < all.size(); i++) {
                live = all.get(i).trusted() ? i : live;
            }
            if (all.isEmpty()) {
                out.println("No ruleset was deployed: the packaged ruleset decides.");
            }
            DateTimeFormatter time =
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
            for (int i = 0; i < all.size(); i++) {
                RulesetRelease r = all.get(i).release();
                out.printf(
                        "%s %s  %-8s %-12s %s%s%n",
                        i == live ? "*" : " ",
                        time.format(r.getReleasedAt()),
                        r.getKind(),
                        r.getVersion(),
                        r.getAuthor() + ": " + r.getMessage(),
                        i == live
                                ? "  (live)"
                                : all.get(i).trusted()
                                        ? ""
                                        : "  (refused: " + all.get(i).refusal().message() + ")");
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description =
                    "Puts an earlier release live again (see 'rules history' for versions), signed"
                            + " anew with the release-signing key; a release the scoring instances"
                            + " refused cannot come back.")
    static final class Rollback implements Callable<Integer> {

        @Parameters(index = "0", description = "The version to go back to.")
        String version;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Mixin ReleaseKeyOptions keys = new ReleaseKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ReleaseSigner signer = keys.signer();
            TrustedKeys trusted = keys.trusted();
            try (RulesetReleases releases =
                    new RulesetReleases(kafka.connection(), kafka.topics(), signer, trusted)) {
                Optional<RulesetRelease> r =
                        releases.rollback(version, person.who(database, Permission.RULES));
                if (r.isEmpty()) {
                    throw new IllegalArgumentException(
                            "no release has version " + version + "; see fraud rules history");
                }
                out.printf(
                        "Ruleset %s is live again, signed by key %s%n",
                        version, r.get().getSigningKeyId());
                warnIfUntrusted(signer, trusted, out);
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "backtest",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Replays history through a candidate ruleset and a baseline on Flink: every"
                        + " payment decided as the platform decides it (the same request details:"
                        + " currency, payment method, BIN, card country, channel, merchant"
                        + " category; the same rules and model scorer) on its point-in-time"
                        + " features, and scored against the fraud label known later. Writes"
                        + " <out>/report.md (tables and charts: hits, approve/review/decline,"
                        + " frauds caught, false positives, amount saved, review rate, per rule,"
                        + " and the difference against the baseline), the same as a web page"
                        + " with SVG charts in <out>/report.html, <out>/summary.json and,"
                        + " with --decisions, <out>/decisions.jsonl.",
                "History: --features <a backfill's features.csv>, or --input <file> [--format]"
                        + " or --from-topics to backfill it first (into <out>/features). A"
                        + " features.csv of an older backfill, without the request details, is"
                        + " refused: backfill it again.",
                "With --model champion (or the version the platform ran) and --against <that"
                        + " release>, the baseline reproduces what the platform decided on the"
                        + " same history, payment for payment.",
                "With --publish and your --token, report.html is also published to the"
                        + " platform: the console's Rules page lists it (who, when, the candidate"
                        + " and the baseline versions, the frauds each stops) and opens it; the"
                        + " publication is audited."
            })
    static final class Backtest implements Callable<Integer> {

        @Option(
                names = "--dir",
                defaultValue = "rules/ruleset",
                description = "The candidate ruleset folder. Default: ${DEFAULT-VALUE}")
        Path dir;

        @Option(
                names = "--against",
                defaultValue = "packaged",
                description =
                        "The baseline: 'packaged', a ruleset folder, or a released version (read"
                                + " from rules.rulesets). Default: ${DEFAULT-VALUE}")
        String against;

        @Option(names = "--features", description = "A feature backfill's features.csv.")
        Path features;

        @Option(
                names = "--input",
                description = "History to backfill first (see features backfill).")
        Path input;

        @Option(
                names = "--from-topics",
                description =
                        "Backfill the platform's own history from Kafka first (see features"
                                + " backfill).")
        boolean fromTopics;

        @Option(
                names = "--lists-from-topics",
                description =
                        "Judge each payment with the block and allow lists as they were at its"
                                + " time, read from rules.lists; default: no lists.")
        boolean listsFromTopics;

        @Option(
                names = "--format",
                defaultValue = "events",
                description =
                        "Format of --input: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
        org.fraudplatform.offline.backfill.HistoryFormat format;

        @Option(
                names = "--model",
                paramLabel = "<version|file>",
                description =
                        "Score every payment with this model as champion, its probability reaching"
                                + " the rules as model_score, as on the platform: a registered"
                                + " version (see models list), 'champion' for the registry's"
                                + " champion now, or a model file (<train --out>/models/"
                                + "<name>.model.json). Default: the rules alone.")
        String model;

        @Option(
                names = "--against-model",
                paramLabel = "<version|file|none>",
                description =
                        "The baseline's model, as --model; 'none' for the rules alone. Default:"
                                + " the same as --model, so that the comparison is of rules.")
        String againstModel;

        @Option(
                names = "--decisions",
                description =
                        "Also write every payment's candidate and baseline decision (action,"
                                + " score, reasons, model score) to <out>/decisions.jsonl, one JSON"
                                + " object a line, to compare with payments.decisions.")
        boolean decisions;

        @Option(
                names = "--from",
                converter = InstantConverter.class,
                description = "First event time included. " + InstantConverter.FORMS)
        java.time.Instant from;

        @Option(
                names = "--to",
                converter = InstantConverter.class,
                description = "First event time excluded. " + InstantConverter.FORMS)
        java.time.Instant to;

        @Option(names = "--out", required = true, description = "Folder for the report.")
        Path out;

        @Option(
                names = "--parallelism",
                defaultValue = "2",
                description = "Parallelism of the rule evaluation. Default: ${DEFAULT-VALUE}")
        int parallelism;

        @Option(
                names = "--publish",
                description =
                        "Publish <out>/report.html to the platform's console (Rules page, in your"
                                + " name: needs --token of an analyst or administrator, the"
                                + " platform's database and broker). Refused before the back-test"
                                + " runs when the token may not deploy rules; a report larger than"
                                + " 2 MiB is not published.")
        boolean publish;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Mixin CurrencyRatesOption currencyRates = new CurrencyRatesOption();

        @CommandLine.Mixin FlinkOptions flink = new FlinkOptions();

        /** For --model: the registry as the scoring instances see it. */
        @CommandLine.Mixin TrustedKeyOptions trust = new TrustedKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter console = spec.commandLine().getOut();
            int sources =
                    (features == null ? 0 : 1) + (input == null ? 0 : 1) + (fromTopics ? 1 : 0);
            if (sources != 1) {
                throw new IllegalArgumentException(
                        "give one of --features, --input or --from-topics");
            }
            RulesetCheck check = RulesetCheck.of(dir);
            if (check.ruleset() == null) {
                report(check, console);
                return 1;
            }
            org.fraudplatform.rules.engine.RulesetSource baseline = baseline();
            // who publishes is known before the run: a refused token fails in a second
            String publisher = publish ? person.who(database, Permission.RULES) : null;
            var stdout =
                    new java.io.PrintStream(
                            System.out, true, java.nio.charset.StandardCharsets.UTF_8);
            var catalogue = org.fraudplatform.features.FeatureCatalogue.standard();
            // resolved before any backfill: a wrong version fails in a second, not after it
            org.fraudplatform.schemas.ModelRelease candidateModel = model(model, catalogue);
            org.fraudplatform.schemas.ModelRelease baselineModel =
                    againstModel == null ? candidateModel : model(againstModel, catalogue);
            Path csv = features;
            if (features == null) {
                var backfill =
                        org.fraudplatform.offline.backfill.FeatureBackfill.run(
                                new org.fraudplatform.offline.backfill.FeatureBackfill.Settings(
                                        input,
                                        input == null ? null : format,
                                        fromTopics
                                                ? new org.fraudplatform.offline.backfill
                                                        .FeatureBackfill.TopicsInput(
                                                        kafka.bootstrapServers,
                                                        kafka.schemaRegistryUrl,
                                                        kafka.connection().clientSettings())
                                                : null,
                                        out.resolve("features"),
                                        catalogue,
                                        currencyRates.rates(),
                                        flink.target(),
                                        parallelism),
                                stdout);
                csv = backfill.csv();
            }
            var result =
                    org.fraudplatform.offline.backtest.RuleBacktest.run(
                            new org.fraudplatform.offline.backtest.RuleBacktest.Settings(
                                    csv,
                                    check.source(),
                                    baseline,
                                    candidateModel,
                                    baselineModel,
                                    catalogue,
                                    currencyRates.rates(),
                                    lists(),
                                    from,
                                    to,
                                    out,
                                    parallelism,
                                    decisions,
                                    flink.target()),
                            stdout);
            console.printf(
                    "Judged %,d payments at %,.0f/s: candidate stops %,d frauds (%,d false"
                            + " positives), baseline %,d (%,d)%n  %s%n  %s%n  %s%n",
                    result.candidate().payments,
                    result.rowsPerSecond(),
                    result.candidate().caught,
                    result.candidate().falsePositives,
                    result.baseline().caught,
                    result.baseline().falsePositives,
                    result.report(),
                    result.htmlReport(),
                    result.summary());
            if (result.decisions() != null) {
                console.printf("  %s%n", result.decisions());
            }
            if (publish) {
                String where =
                        ReportPublishing.publish(
                                database,
                                kafka,
                                new org.fraudplatform.api.reports.Reports.Publication(
                                        org.fraudplatform.api.reports.Reports.Kind.BACKTEST,
                                        result.settings().candidate().version(),
                                        result.settings().baseline().version(),
                                        headline(result),
                                        ReportPublishing.read(result.htmlReport())),
                                publisher);
                console.printf("Published the report to the console: %s%n", where);
            }
            console.flush();
            return 0;
        }

        /** The numbers the console lists beside a published back-test. */
        static String headline(org.fraudplatform.offline.backtest.RuleBacktest.Result r) {
            var s = r.settings();
            return String.format(
                    java.util.Locale.ROOT,
                    "%,d payments, %,d frauds: candidate stops %,d (%,d false positives),"
                            + " baseline %,d (%,d)%s",
                    r.candidate().payments,
                    r.candidate().frauds,
                    r.candidate().caught,
                    r.candidate().falsePositives,
                    r.baseline().caught,
                    r.baseline().falsePositives,
                    s.candidateModel() == null && s.baselineModel() == null
                            ? ""
                            : "; models "
                                    + (s.candidateModel() == null
                                            ? "none"
                                            : s.candidateModel().getVersion())
                                    + " and "
                                    + (s.baselineModel() == null
                                            ? "none"
                                            : s.baselineModel().getVersion()));
        }

        /** A registered version, the champion, a model file, or null for 'none' and no option. */
        private org.fraudplatform.schemas.ModelRelease model(
                String which, org.fraudplatform.features.FeatureCatalogue catalogue)
                throws Exception {
            if (which == null || which.equals("none")) {
                return null;
            }
            Path file = Path.of(which);
            if (java.nio.file.Files.isRegularFile(file)) {
                return org.fraudplatform.risk.models.ModelArtifact.read(file)
                        .release(
                                org.fraudplatform.schemas.ModelStage.CANDIDATE,
                                "backtest",
                                "back-tested from " + file,
                                java.time.Instant.EPOCH);
            }
            try (var registry =
                    new org.fraudplatform.risk.models.ModelRegistry(
                            kafka.connection(), kafka.topics(), catalogue, null, trust.trusted())) {
                var view = registry.view();
                return (which.equals("champion") ? view.champion() : view.version(which))
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                which.equals("champion")
                                                        ? "--model champion: the registry has no"
                                                                + " champion"
                                                        : "--model: no file and no registered"
                                                                + " version named "
                                                                + which
                                                                + " (see fraud models list)"));
            }
        }

        private org.fraudplatform.offline.backtest.ListTimeline lists() {
            if (!listsFromTopics) {
                return org.fraudplatform.offline.backtest.ListTimeline.empty();
            }
            try (var entries =
                    new org.fraudplatform.risk.ListEntries(kafka.connection(), kafka.topics())) {
                var timeline = new org.fraudplatform.offline.backtest.ListTimeline.Builder();
                for (var change : entries.changes()) {
                    timeline.record(change.key(), change.value(), change.timestamp());
                }
                return timeline.build();
            }
        }

        private org.fraudplatform.rules.engine.RulesetSource baseline() throws Exception {
            if (against.equals("packaged")) {
                return org.fraudplatform.rules.engine.RulesetSource.packaged();
            }
            Path folder = Path.of(against);
            if (java.nio.file.Files.isDirectory(folder)) {
                return org.fraudplatform.rules.engine.RulesetSource.fromDirectory(folder);
            }
            RulesetRelease release =
                    RulesetReleases.readAll(kafka.connection(), kafka.topics()).stream()
                            .filter(r -> r.getVersion().equals(against))
                            .reduce((a, b) -> b)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "--against: no folder and no release named "
                                                            + against));
            return org.fraudplatform.rules.engine.RulesetSource.ofBuffers(release.getFiles());
        }
    }
}
