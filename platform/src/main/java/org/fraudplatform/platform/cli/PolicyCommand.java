package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fraudplatform.api.people.FourEyes;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.database.Database;
import org.fraudplatform.runtime.AuditLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fraud policy …}: how changes must be made. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "How changes to the platform must be made: the four-eyes policy.",
        subcommands = {PolicyCommand.FourEyesPolicy.class, CommandLine.HelpCommand.class})
public final class PolicyCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "four-eyes",
            mixinStandardHelpOptions = true,
            description = {
                "Shows, or with --rules / --models changes, where four eyes are required: a rules"
                        + " deploy or a model promotion one person makes alone is then refused, on"
                        + " the command line and in the console; it must be proposed"
                        + " (--require-approval) and approved by another person ('rules approve',"
                        + " 'models approve'). Rollbacks stay one person's.",
                "A change needs an administrator's token and is written to audit.events"
                        + " (policy.four-eyes)."
            })
    static final class FourEyesPolicy implements Callable<Integer> {

        @Option(
                names = "--rules",
                paramLabel = "on|off",
                description = "Require four eyes for rules deploys, or stop requiring them.")
        String rules;

        @Option(
                names = "--models",
                paramLabel = "on|off",
                description = "Require four eyes for model promotions, or stop requiring them.")
        String models;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Map<Permission, Boolean> changes = new LinkedHashMap<>();
            if (rules != null) {
                changes.put(Permission.RULES, onOff("--rules", rules));
            }
            if (models != null) {
                changes.put(Permission.MODELS, onOff("--models", models));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (!changes.isEmpty()) {
                KeysCommand.requireBroker(kafka.connection());
                String who = person.who(database, Permission.PEOPLE);
                try (Database db = database.connect();
                        AuditLog audit = new AuditLog(kafka.connection(), kafka.topics().audit())) {
                    FourEyes policy = new FourEyes(db.dataSource(), Clock.systemUTC());
                    Map<String, String> details = new LinkedHashMap<>();
                    for (var change : changes.entrySet()) {
                        policy.require(change.getKey(), change.getValue(), who);
                        details.put(
                                change.getKey().name().toLowerCase(Locale.ROOT),
                                change.getValue() ? "required" : "not required");
                    }
                    audit.record(who, "policy.four-eyes", "four-eyes", Instant.now(), details);
                }
            }
            try (Database db = database.connect()) {
                Map<Permission, Boolean> policy =
                        new FourEyes(db.dataSource(), Clock.systemUTC()).policy();
                out.printf(
                        "Four eyes for rules deploys: %s%n",
                        policy.get(Permission.RULES) ? "required" : "not required");
                out.printf(
                        "Four eyes for model promotions: %s%n",
                        policy.get(Permission.MODELS) ? "required" : "not required");
            }
            out.flush();
            return 0;
        }

        private boolean onOff(String option, String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "on" -> true;
                case "off" -> false;
                default ->
                        throw new CommandLine.ParameterException(
                                spec.commandLine(), option + " is on or off, not " + value);
            };
        }
    }
}
