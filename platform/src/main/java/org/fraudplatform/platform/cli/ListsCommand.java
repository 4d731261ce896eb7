package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.risk.ListEntries;
import org.fraudplatform.schemas.ListEntry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fraud lists}: block and allow lists that rules read, changed without a restart. */
@Command(
        name = "lists",
        mixinStandardHelpOptions = true,
        description = {
            "Block and allow lists the rules read (blocked_ips, blocked_emails, blocked_devices,"
                    + " blocked_bins, blocked_countries, blocked_cards, allowed_cards, or any"
                    + " snake_case name a rule uses). Card lists hold instrument tokens, e-mail"
                    + " lists keyed e-mail hashes. Every instance picks a change up within a"
                    + " moment; every change is written to audit.events."
        },
        subcommands = {
            ListsCommand.Add.class,
            ListsCommand.Remove.class,
            ListsCommand.Show.class,
            CommandLine.HelpCommand.class
        })
public final class ListsCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Puts a value on a list.")
    static final class Add implements Callable<Integer> {
        @Parameters(index = "0", description = "The list, e.g. blocked_ips.")
        String list;

        @Parameters(index = "1", description = "The value, e.g. 198.51.100.66.")
        String value;

        @Option(
                names = "--note",
                required = true,
                converter = FreeTextConverter.class,
                description = "Why it is on the list.")
        String note;

        @Option(
                names = "--expires-in",
                converter = DurationConverter.class,
                description = "How long it stays, e.g. 30d; default: until removed.")
        Duration expiresIn;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (ListEntries lists = new ListEntries(kafka.connection(), kafka.topics())) {
                ListEntry e =
                        lists.add(
                                list,
                                value,
                                note,
                                person.who(database, Permission.LISTS),
                                expiresIn);
                spec.commandLine()
                        .getOut()
                        .printf(
                                "%s is on %s%s%n",
                                value,
                                list,
                                e.getExpiresAt() == null ? "" : " until " + e.getExpiresAt());
            }
            return 0;
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Takes a value off a list.")
    static final class Remove implements Callable<Integer> {
        @Parameters(index = "0", description = "The list.")
        String list;

        @Parameters(index = "1", description = "The value.")
        String value;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (ListEntries lists = new ListEntries(kafka.connection(), kafka.topics())) {
                lists.remove(list, value, person.who(database, Permission.LISTS));
                spec.commandLine().getOut().printf("%s is off %s%n", value, list);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows the lists.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", description = "Only this list.")
        String list;

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<ListEntry> all;
            try (ListEntries lists = new ListEntries(kafka.connection(), kafka.topics())) {
                all = lists.show();
            }
            Instant now = Instant.now();
            for (ListEntry e : all) {
                if (list != null && !list.equals(e.getList())) {
                    continue;
                }
                boolean expired = e.getExpiresAt() != null && !e.getExpiresAt().isAfter(now);
                out.printf(
                        "%-18s %-24s %-10s %s (%s, %s)%s%n",
                        e.getList(),
                        e.getValue(),
                        e.getAuthor(),
                        e.getNote(),
                        e.getAddedAt(),
                        e.getExpiresAt() == null ? "no expiry" : "expires " + e.getExpiresAt(),
                        expired ? "  [expired]" : "");
            }
            out.flush();
            return 0;
        }
    }
}
