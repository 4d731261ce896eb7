package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fraudplatform.api.people.People;
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

        @CommandLine.Mixin AuthorOption author = new AuthorOption();

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
            KeysCommand.requireBroker(kafka.bootstrapServers);
            try (Database db = database.connect();
                    AuditLog audit = new AuditLog(kafka.bootstrapServers, kafka.topics().audit())) {
                String password =
                        new People(db.dataSource(), Clock.systemUTC())
                                .create(name, r, author.who());
                audit.record(
                        author.who(),
                        "person.created",
                        name,
                        Instant.now(),
                        Map.of("role", r.label()));
                PrintWriter out = spec.commandLine().getOut();
                out.printf("Person %s (%s)%n", name, r.label());
                out.printf("One-time password: %s%n", password);
                out.println(
                        "Sign in at /console on the API's port. The password is not shown again.");
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

        @CommandLine.Mixin AuthorOption author = new AuthorOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            KeysCommand.requireBroker(kafka.bootstrapServers);
            try (Database db = database.connect();
                    AuditLog audit = new AuditLog(kafka.bootstrapServers, kafka.topics().audit())) {
                boolean changed =
                        new People(db.dataSource(), Clock.systemUTC()).disable(name, author.who());
                if (!changed) {
                    spec.commandLine()
                            .getErr()
                            .printf("No active person named %s.%n", name)
                            .flush();
                    return 1;
                }
                audit.record(author.who(), "person.disabled", name, Instant.now(), Map.of());
                spec.commandLine().getOut().printf("Disabled %s.%n", name).flush();
            }
            return 0;
        }
    }
}
