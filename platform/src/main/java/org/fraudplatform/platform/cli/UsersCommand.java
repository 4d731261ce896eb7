package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fraudplatform.api.people.People;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.api.people.Role;
import org.fraudplatform.database.Database;
import org.fraudplatform.runtime.AuditLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fraud users}: the people who sign in to the analysts' console. */
@Command(
        name = "users",
        mixinStandardHelpOptions = true,
        description = {
            "People of the running platform (analysts, data scientists, administrators), in its"
                    + " PostgreSQL. They sign in to the console at /console on the API's port."
                    + " Every change is written to audit.events with who made it."
        },
        subcommands = {
            UsersCommand.Create.class,
            UsersCommand.ListPeople.class,
            UsersCommand.Disable.class,
            UsersCommand.IssueToken.class,
            UsersCommand.Tokens.class,
            UsersCommand.RevokeToken.class,
            CommandLine.HelpCommand.class
        })
public final class UsersCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Creates a person and prints their one-time password: the only time it is"
                            + " shown.")
    static final class Create implements Callable<Integer> {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "2 to 40 lower-case letters, digits, '.', '_' or '-'.")
        String name;

        @Option(
                names = "--role",
                required = true,
                description =
                        "analyst (works reviews and lists), data-scientist (reads cases and"
                                + " decisions), admin (everything).")
        String role;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Role r =
                    Role.of(role)
                            .orElseThrow(
                                    () ->
                                            new CommandLine.ParameterException(
                                                    spec.commandLine(),
                                                    "--role is analyst, data-scientist or admin,"
                                                            + " not "
                                                            + role));
            KeysCommand.requireBroker(kafka.connection());
            String who = person.who(database, Permission.PEOPLE);
            try (Database db = database.connect();
                    AuditLog audit = new AuditLog(kafka.connection(), kafka.topics().audit())) {
                People people = new People(db.dataSource(), Clock.systemUTC());
                String password = people.create(name, r, who);
                audit.record(who, "person.created", name, Instant.now(), Map.of("role", r.label()));
                People.IssuedToken token = people.issueToken(name, People.TOKEN_VALIDITY, who);
                audit.record(who, "person.token.issued", name, Instant.now(), tokenDetails(token));
                PrintWriter out = spec.commandLine().getOut();
                out.printf("Person %s (%s)%n", name, r.label());
                out.printf("One-time password: %s%n", password);
                out.printf("Token: %s%n", token.token());
                out.printf(
                        "Sign in at /console on the API's port with the password; give the token"
                                + " to the command line (--token or FRAUD_TOKEN) and the HTTP"
                                + " operator routes (Authorization: Bearer). Token %s expires"
                                + " %s. Neither is shown again.%n",
                        token.tokenId(), token.expiresAt());
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists everybody.")
    static final class ListPeople implements Callable<Integer> {
        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Database db = database.connect()) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-24s %-15s %-28s %s%n", "NAME", "ROLE", "CREATED", "STATE");
                for (People.Listed p : new People(db.dataSource(), Clock.systemUTC()).list()) {
                    out.printf(
                            "%-24s %-15s %-28s %s%n",
                            p.name(),
                            p.role().label(),
                            p.createdAt() + " by " + p.createdBy(),
                            p.disabledAt() == null ? "active" : "disabled " + p.disabledAt());
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(
            name = "disable",
            mixinStandardHelpOptions = true,
            description = "Disables a person: they cannot sign in, and their sessions end now.")
    static final class Disable implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            KeysCommand.requireBroker(kafka.connection());
            String who = person.who(database, Permission.PEOPLE);
            try (Database db = database.connect();
                    AuditLog audit = new AuditLog(kafka.connection(), kafka.topics().audit())) {
                boolean changed = new People(db.dataSource(), Clock.systemUTC()).disable(name, who);
                if (!changed) {
                    spec.commandLine()
                            .getErr()
                            .printf("No active person named %s.%n", name)
                            .flush();
                    return 1;
                }
                audit.record(who, "person.disabled", name, Instant.now(), Map.of());
                spec.commandLine().getOut().printf("Disabled %s.%n", name).flush();
            }
            return 0;
        }
    }

    private static Map<String, String> tokenDetails(People.IssuedToken token) {
        return Map.of("token_id", token.tokenId(), "expires_at", token.expiresAt().toString());
    }

    @Command(
            name = "token",
            mixinStandardHelpOptions = true,
            description =
                    "Issues another token for a person and prints it: the only time it is shown."
                            + " Administrators only.")
    static final class IssueToken implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(
                names = "--expires-in",
                defaultValue = "90d",
                converter = DurationConverter.class,
                description = "How long the token lasts (30d, 12h). Default: ${DEFAULT-VALUE}")
        java.time.Duration expiresIn;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            KeysCommand.requireBroker(kafka.connection());
            String who = person.who(database, Permission.PEOPLE);
            try (Database db = database.connect();
                    AuditLog audit = new AuditLog(kafka.connection(), kafka.topics().audit())) {
                People.IssuedToken token =
                        new People(db.dataSource(), Clock.systemUTC())
                                .issueToken(name, expiresIn, who);
                audit.record(who, "person.token.issued", name, Instant.now(), tokenDetails(token));
                PrintWriter out = spec.commandLine().getOut();
                out.printf("Token for %s: %s%n", name, token.token());
                out.printf(
                        "Token %s expires %s. It is not shown again.%n",
                        token.tokenId(), token.expiresAt());
                out.flush();
            }
            return 0;
        }
    }

    @Command(
            name = "tokens",
            mixinStandardHelpOptions = true,
            description =
                    "Lists people's tokens (never the secrets): whose, since when, until when.")
    static final class Tokens implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only theirs.")
        String name;

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Database db = database.connect()) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf(
                        "%-16s %-20s %-24s %-24s %s%n",
                        "TOKEN", "PERSON", "CREATED", "EXPIRES", "STATE");
                for (People.Token t : new People(db.dataSource(), Clock.systemUTC()).tokens(name)) {
                    out.printf(
                            "%-16s %-20s %-24s %-24s %s%n",
                            t.tokenId(),
                            t.person(),
                            t.createdAt(),
                            t.expiresAt(),
                            t.revokedAt() != null
                                    ? "revoked " + t.revokedAt()
                                    : t.expiresAt().isBefore(Instant.now()) ? "expired" : "live");
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(
            name = "revoke-token",
            mixinStandardHelpOptions = true,
            description = "Revokes a person's token by its id (see 'fraud users tokens').")
    static final class RevokeToken implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TOKEN_ID", description = "pt_…")
        String tokenId;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            KeysCommand.requireBroker(kafka.connection());
            String who = person.who(database, Permission.PEOPLE);
            try (Database db = database.connect();
                    AuditLog audit = new AuditLog(kafka.connection(), kafka.topics().audit())) {
                var revoked =
                        new People(db.dataSource(), Clock.systemUTC()).revokeToken(tokenId, who);
                if (revoked.isEmpty()) {
                    spec.commandLine().getErr().printf("No live token %s.%n", tokenId).flush();
                    return 1;
                }
                audit.record(
                        who,
                        "person.token.revoked",
                        revoked.get(),
                        Instant.now(),
                        Map.of("token_id", tokenId));
                spec.commandLine()
                        .getOut()
                        .printf("Revoked %s (of %s).%n", tokenId, revoked.get())
                        .flush();
            }
            return 0;
        }
    }
}
