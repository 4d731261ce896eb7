package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fraudplatform.api.people.FourEyes;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.api.reports.Reports;
import org.fraudplatform.database.Database;
import org.fraudplatform.risk.models.ModelArtifact;
import org.fraudplatform.risk.models.ModelProposals;
import org.fraudplatform.risk.models.ModelRegistry;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.schemas.ModelRelease;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fraud models …}: train, evaluate and manage the fraud models. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "Fraud models: train and evaluate them on a feature backfill, register them, put one in"
                    + " shadow, promote one to champion, roll back. Every change is signed with the"
                    + " release-signing key (--signing-key) and audited; the running risk topology"
                    + " picks it up without a restart when it trusts the key.",
            "Stages: candidate (registered), shadow (scored and recorded, deciding nothing),"
                    + " champion (its score reaches the rules as model_score), retired."
        },
        subcommands = {
            ModelsTrainCommand.class,
            ModelsEvaluateCommand.class,
            ModelsMonitorCommand.class,
            ModelsImportCommand.class,
            ModelsCommand.Register.class,
            ModelsCommand.PublishReport.class,
            ModelsCommand.ListModels.class,
            ModelsCommand.Promote.class,
            ModelsCommand.Proposals.class,
            ModelsCommand.Approve.class,
            ModelsCommand.Shadow.class,
            ModelsCommand.Rollback.class,
            CommandLine.HelpCommand.class
        })
public final class ModelsCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the registry is, and the feature catalogue models must fit. */
    static final class RegistryOptions {
        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Mixin
        FeaturesCommand.CatalogueOptions features = new FeaturesCommand.CatalogueOptions();

        /** The registry for reading and, with a signer, for changes. */
        ModelRegistry open(ReleaseSigner signer, TrustedKeys trusted) {
            return new ModelRegistry(
                    kafka.connection(), kafka.topics(), features.catalogue(), signer, trusted);
        }

        ModelRegistry open(ReleaseKeyOptions keys) {
            ReleaseSigner signer = keys.signer(); // a missing key fails before anything else
            return open(signer, keys.trusted());
        }
    }

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            description = {
                "Registers a trained model file (<train --out>/models/<name>.model.json) as a"
                        + " candidate, signed with the release-signing key. Refused when its"
                        + " features do not fit the catalogue.",
                "With --report <train --out>/report.html (or an evaluate --out's), the evaluation"
                        + " report is published with the registered version, audited, and the"
                        + " console's Models page links it. A report that is missing, larger than"
                        + " 2 MiB or not an HTML page is refused before anything is registered."
            })
    static final class Register implements Callable<Integer> {
        @Parameters(index = "0", description = "The model file.")
        Path file;

        @Option(
                names = "--report",
                paramLabel = "<report.html>",
                description =
                        "The model's evaluation report (report.html of 'models train' or"
                                + " 'models evaluate') to publish for the console's Models page.")
        Path report;

        @Option(
                names = {"-m", "--message"},
                required = true,
                converter = FreeTextConverter.class,
                description = "Why this model.")
        String message;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin RegistryOptions where = new RegistryOptions();

        @CommandLine.Mixin ReleaseKeyOptions keys = new ReleaseKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ModelArtifact artifact = ModelArtifact.read(file);
            byte[] html = report == null ? null : ReportPublishing.read(report);
            try (ModelRegistry registry = where.open(keys)) {
                String who = person.who(database, Permission.MODELS);
                ModelRelease r = registry.register(artifact, who, message);
                PrintWriter out = spec.commandLine().getOut();
                out.printf(
                        "Registered %s (%s, %s) as %s%n",
                        r.getVersion(),
                        r.getName(),
                        r.getKind(),
                        r.getStage().name().toLowerCase(Locale.ROOT));
                if (html != null) {
                    String where =
                            ReportPublishing.publish(
                                    database,
                                    this.where.kafka,
                                    new Reports.Publication(
                                            Reports.Kind.EVALUATION,
                                            r.getVersion(),
                                            null,
                                            headline(r),
                                            html),
                                    who);
                    out.printf("Published its evaluation report to the console: %s%n", where);
                }
                out.flush();
            }
            return 0;
        }

        /** The test metrics the console lists beside an evaluation report. */
        static String headline(ModelRelease r) {
            StringBuilder b = new StringBuilder(r.getName() + ", " + r.getKind());
            for (String metric : List.of("roc_auc", "average_precision")) {
                Double v = r.getMetrics().get(metric);
                if (v != null && !v.isNaN()) {
                    b.append(String.format(Locale.ROOT, ", %s %.3f", metric, v));
                }
            }
            return b.toString();
        }
    }

    @Command(
            name = "publish-report",
            mixinStandardHelpOptions = true,
            description = {
                "Publishes an evaluation report (report.html of 'models train' or 'models"
                        + " evaluate') for a registered model version: the console's Models page"
                        + " links the newest published for each version. Audited in your name;"
                        + " data scientists and administrators.",
                "A report that is missing, larger than 2 MiB or not an HTML page is refused, and"
                        + " the version's earlier report stays linked."
            })
    static final class PublishReport implements Callable<Integer> {
        @Parameters(index = "0", description = "The registered model version (see models list).")
        String version;

        @Parameters(index = "1", paramLabel = "<report.html>", description = "The report.")
        Path report;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin RegistryOptions where = new RegistryOptions();

        @CommandLine.Mixin TrustedKeyOptions trust = new TrustedKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            byte[] html = ReportPublishing.read(report);
            String who = person.who(database, Permission.MODELS);
            ModelRelease r;
            try (ModelRegistry registry = where.open(null, trust.trusted())) {
                r =
                        registry.view()
                                .version(version)
                                .orElseThrow(
                                        () ->
                                                new IllegalArgumentException(
                                                        "no registered model has version "
                                                                + version
                                                                + "; see fraud models list"));
            }
            String published =
                    ReportPublishing.publish(
                            database,
                            where.kafka,
                            new Reports.Publication(
                                    Reports.Kind.EVALUATION,
                                    r.getVersion(),
                                    null,
                                    Register.headline(r),
                                    html),
                            who);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "Published the evaluation report of %s to the console: %s%n",
                    r.getVersion(), published);
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "Lists the registered models, newest change first, with their metrics: the"
                            + " records a trusted key signed, as the scoring instances see them.")
    static final class ListModels implements Callable<Integer> {
        @CommandLine.Mixin RegistryOptions where = new RegistryOptions();

        @CommandLine.Mixin TrustedKeyOptions trust = new TrustedKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<ModelRelease> all;
            try (ModelRegistry registry = where.open(null, trust.trusted())) {
                all = registry.list();
            }
            if (all.isEmpty()) {
                out.println("No model is registered: the rules decide alone.");
            }
            DateTimeFormatter time =
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
            for (ModelRelease r : all) {
                out.printf(
                        Locale.ROOT,
                        "%-12s %-9s %-24s %-22s AUC %.3f  AP %.3f  CP@100 %.3f  %s %s%n",
                        r.getVersion(),
                        r.getStage().name().toLowerCase(Locale.ROOT),
                        r.getName(),
                        r.getKind(),
                        r.getMetrics().getOrDefault("roc_auc", Double.NaN),
                        r.getMetrics().getOrDefault("average_precision", Double.NaN),
                        r.getMetrics().getOrDefault("card_precision_at_100", Double.NaN),
                        time.format(r.getStageChangedAt()),
                        r.getStageChangedBy());
            }
            out.flush();
            return 0;
        }
    }

    /** Moves one registered model into a stage. */
    abstract static class StageChange implements Callable<Integer> {
        @Parameters(index = "0", description = "The model version (see 'models list').")
        String version;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin RegistryOptions where = new RegistryOptions();

        @CommandLine.Mixin ReleaseKeyOptions keys = new ReleaseKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        abstract ModelRelease change(ModelRegistry registry, String author) throws Exception;

        @Override
        public Integer call() throws Exception {
            try (ModelRegistry registry = where.open(keys)) {
                ModelRelease r = change(registry, person.who(database, Permission.MODELS));
                spec.commandLine()
                        .getOut()
                        .printf(
                                "Model %s (%s) is %s%n",
                                version, r.getName(), r.getStage().name().toLowerCase(Locale.ROOT));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description = {
                "Makes a registered model the champion; the current champion retires.",
                "With --require-approval (four eyes) the promotion is only proposed: another"
                        + " person with the models permission makes it with 'fraud models approve"
                        + " VERSION'; the proposal is audited (model.propose)."
            })
    static final class Promote implements Callable<Integer> {
        @Parameters(index = "0", description = "The model version (see 'models list').")
        String version;

        @Option(
                names = "--require-approval",
                description =
                        "Propose the promotion instead of making it: a second person must approve"
                                + " it ('fraud models approve').")
        boolean requireApproval;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin RegistryOptions where = new RegistryOptions();

        @CommandLine.Mixin ReleaseKeyOptions keys = new ReleaseKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            String author = person.who(database, Permission.MODELS);
            if (requireApproval) {
                // nothing is signed yet: the approval signs
                try (ModelRegistry registry = where.open(null, keys.trusted());
                        Database db = database.connect()) {
                    ModelProposals proposals =
                            new ModelProposals(db.dataSource(), Clock.systemUTC());
                    ModelRelease r =
                            registry.proposePromotion(
                                    version, author, () -> proposals.propose(version, author));
                    out.printf(
                            "Proposed the promotion of model %s (%s); nothing changed yet: another"
                                    + " person with the models permission makes it with 'fraud"
                                    + " models approve %s'%n",
                            version, r.getName(), version);
                }
                out.flush();
                return 0;
            }
            try (Database db = database.connect()) {
                new FourEyes(db.dataSource(), Clock.systemUTC())
                        .refuseAlone(
                                Permission.MODELS,
                                "model promotions",
                                "fraud models promote VERSION --require-approval");
            }
            try (ModelRegistry registry = where.open(keys)) {
                ModelRelease r = registry.promote(version, author);
                out.printf(
                        "Model %s (%s) is %s%n",
                        version, r.getName(), r.getStage().name().toLowerCase(Locale.ROOT));
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "proposals",
            mixinStandardHelpOptions = true,
            description =
                    "Lists the promotions proposed with 'models promote --require-approval' that"
                            + " wait for a second person, oldest first.")
    static final class Proposals implements Callable<Integer> {

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<ModelProposals.Proposal> pending;
            try (Database db = database.connect()) {
                pending = new ModelProposals(db.dataSource(), Clock.systemUTC()).pending();
            }
            if (pending.isEmpty()) {
                out.println("No promotion waits for approval.");
            }
            DateTimeFormatter time =
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
            for (ModelProposals.Proposal p : pending) {
                out.printf(
                        "%s  %-12s to champion, proposed by %s%n",
                        time.format(p.proposedAt()), p.version(), p.proposedBy());
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = {
                "Makes the promotion another person proposed with 'models promote"
                        + " --require-approval' (four eyes): signed with the release-signing key,"
                        + " published and audited as model.promote under your name, with who"
                        + " proposed it. The proposer cannot approve their own proposal."
            })
    static final class Approve implements Callable<Integer> {

        @Parameters(index = "0", description = "The proposed version ('models proposals').")
        String version;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin RegistryOptions where = new RegistryOptions();

        @CommandLine.Mixin ReleaseKeyOptions keys = new ReleaseKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            String approver = person.who(database, Permission.MODELS);
            try (ModelRegistry registry = where.open(keys);
                    Database db = database.connect()) {
                ModelRelease r =
                        new ModelProposals(db.dataSource(), Clock.systemUTC())
                                .approve(
                                        version,
                                        approver,
                                        p ->
                                                registry.promoteApproved(
                                                        p.version(), approver, p.proposedBy()));
                out.printf(
                        "Model %s (%s) is champion, approved by %s%n",
                        version, r.getName(), approver);
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "shadow",
            mixinStandardHelpOptions = true,
            description =
                    "Puts a registered model in shadow: scored on every payment and recorded on"
                            + " the decision, deciding nothing.")
    static final class Shadow extends StageChange {
        @Override
        ModelRelease change(ModelRegistry registry, String author) throws Exception {
            return registry.shadow(version, author);
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description =
                    "Makes the champion before the current one champion again; the current one"
                            + " goes back to the candidates. After the first promotion, goes back"
                            + " to no model: the rules alone decide, as before.")
    static final class Rollback implements Callable<Integer> {
        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin RegistryOptions where = new RegistryOptions();

        @CommandLine.Mixin ReleaseKeyOptions keys = new ReleaseKeyOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (ModelRegistry registry = where.open(keys)) {
                Optional<ModelRelease> r =
                        registry.rollback(person.who(database, Permission.MODELS));
                if (r.isEmpty()) {
                    spec.commandLine()
                            .getOut()
                            .println(
                                    "No model is champion again, as before the first promotion:"
                                            + " the rules alone decide; the model goes back to"
                                            + " the candidates");
                } else {
                    spec.commandLine()
                            .getOut()
                            .printf(
                                    "Model %s (%s) is champion again%n",
                                    r.get().getVersion(), r.get().getName());
                }
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }
}
