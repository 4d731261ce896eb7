package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.fraudplatform.api.keys.ApiKeys;
import org.fraudplatform.api.people.Permission;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fraud merchants}: the merchants who take payments through the API. */
@Command(
        name = "merchants",
        mixinStandardHelpOptions = true,
        description = {
            "Merchants of the running platform, in its PostgreSQL. Every change is written to"
                    + " audit.events with who made it."
        },
        subcommands = {MerchantsCommand.Create.class, CommandLine.HelpCommand.class})
public final class MerchantsCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Creates a merchant and its first API key, and prints the merchant's id and"
                            + " the key's secret: the only time the secret is shown.")
    static final class Create implements Callable<Integer> {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                converter = FreeTextConverter.class,
                description = "The merchant's name.")
        String name;

        @Option(
                names = "--id",
                description =
                        "The merchant's id (lower case letters, digits, '-', '_'); default: made"
                                + " of the name, e.g. acme-shop for 'Acme Shop'.")
        String id;

        @CommandLine.Mixin KeyOptions key = new KeyOptions();

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String merchantId =
                    id != null && !id.isBlank()
                            ? id
                            : org.fraudplatform.api.merchants.MerchantAdmin.idFor(name);
            ApiKeys.NewKey spec = key.newKey();
            try (KeysCommand.Session session = KeysCommand.Session.open(database, kafka)) {
                ApiKeys.Issued issued =
                        session.admin()
                                .createMerchant(
                                        merchantId,
                                        name,
                                        spec,
                                        person.who(database, Permission.MERCHANTS));
                PrintWriter out = this.spec.commandLine().getOut();
                out.printf("Merchant %s (%s)%n", merchantId, name);
                KeysCommand.printIssued(out, issued);
                out.flush();
            }
            return 0;
        }
    }
}
