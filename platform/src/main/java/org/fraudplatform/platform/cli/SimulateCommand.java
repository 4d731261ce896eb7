package org.fraudplatform.platform.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fraudplatform.dev.simulate.Scenario;
import org.fraudplatform.dev.simulate.SimulationOptions;
import org.fraudplatform.dev.simulate.SimulationReport;
import org.fraudplatform.dev.simulate.Simulator;
import org.fraudplatform.dev.simulate.TrafficPlan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fraud simulate}: drives realistic traffic with fraud through a running platform, then the
 * chargebacks and fraud reports that label it, so that the platform's own topics hold a history to
 * backfill features from and train models on.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Drives realistic traffic through a running platform so that its topics hold a history"
                    + " with fraud and labels (then: fraud features backfill --from-topics, fraud"
                    + " models train).",
            "",
            "Genuine customers (each with a card, home IP address, device, e-mail, country and"
                    + " typical amount) pay at a human pace; fraud scenarios: card testing (one IP"
                    + " address and device, many new cards, small amounts, in a burst), stolen card"
                    + " (a customer's card from a new IP address, device and country, larger"
                    + " amounts) and account takeover (a customer's account with a new e-mail,"
                    + " device and card, larger amounts). Scenarios that need several merchants"
                    + " are left out: all payments are the key's merchant's.",
            "",
            "Authorized payments (manual capture) are captured and a few genuine ones refunded;"
                    + " an analyst who knows the truth decides the reviews; captured fraud then"
                    + " gets a fraud chargeback (reason 10.4, relayed with an administrator's token) or a"
                    + " merchant fraud report, and the platform turns both into labels.",
            "",
            "The same seed and options send the same requests under the same Idempotency-Keys:"
                    + " a rerun against the same platform replays the first answers and records"
                    + " nothing new."
        })
public final class SimulateCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin ApiOptions api = new ApiOptions();

    @Option(
            names = "--token-file",
            defaultValue = "data/admin-token",
            description =
                    "File holding an administrator's token, which relays the provider's chargeback"
                            + " notices; without it no chargebacks are sent. Default:"
                            + " ${DEFAULT-VALUE}")
    Path tokenFile;

    @Option(
            names = "--payments",
            defaultValue = "5000",
            description = "Authorizations to send. Default: ${DEFAULT-VALUE}")
    int payments;

    @Option(
            names = "--rate",
            defaultValue = "100",
            description = "Authorizations per second. Default: ${DEFAULT-VALUE}")
    int rate;

    @Option(
            names = "--customers",
            defaultValue = "500",
            description =
                    "Genuine customers at the start; first-time customers join as the traffic"
                            + " needs them (nobody pays more often than a person would)."
                            + " Default: ${DEFAULT-VALUE}")
    int customers;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Seed of the traffic: the same seed and options send the same requests."
                            + " Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(
            names = "--fraud-share",
            defaultValue = "0.03",
            description =
                    "Share of the payments made in fraud scenarios. Default: ${DEFAULT-VALUE}")
    double fraudShare;

    @Option(
            names = "--chargeback-share",
            defaultValue = "0.8",
            description =
                    "Share of captured fraud payments that get a fraud chargeback."
                            + " Default: ${DEFAULT-VALUE}")
    double chargebackShare;

    @Option(
            names = "--report-share",
            defaultValue = "0.1",
            description =
                    "Share of captured fraud payments the merchant reports as fraud instead (the"
                            + " rest is never found out). Default: ${DEFAULT-VALUE}")
    double reportShare;

    @Option(
            names = "--refund-share",
            defaultValue = "0.05",
            description = "Share of captured genuine payments refunded. Default: ${DEFAULT-VALUE}")
    double refundShare;

    @Option(
            names = "--concurrency",
            defaultValue = "32",
            description = "Most requests in progress at once. Default: ${DEFAULT-VALUE}")
    int concurrency;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SimulationOptions options =
                new SimulationOptions(
                        payments,
                        rate,
                        customers,
                        seed,
                        fraudShare,
                        chargebackShare,
                        reportShare,
                        refundShare);
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1");
        }
        api.trust();
        String key = api.key();
        String adminToken = readToken(err);
        TrafficPlan plan = TrafficPlan.generate(options);
        Map<Scenario, Integer> planned = plan.countsByScenario();
        out.printf(
                "Simulating %d payments at %d/s against %s, seed %d: %d genuine (%d customers at"
                        + " the start, %d by the end), %d card testing, %d stolen card, %d account"
                        + " takeover%n",
                payments,
                rate,
                api.url,
                seed,
                planned.get(Scenario.GENUINE),
                customers,
                plan.customers().size(),
                planned.get(Scenario.CARD_TESTING),
                planned.get(Scenario.STOLEN_CARD),
                planned.get(Scenario.ACCOUNT_TAKEOVER));
        out.flush();
        SimulationReport report =
                new Simulator(api.url, key, adminToken, concurrency).run(plan, out);
        out.println();
        out.print(report.format());
        out.flush();
        return 0;
    }

    private String readToken(PrintWriter err) throws IOException {
        if (!Files.isReadable(tokenFile)) {
            err.println(
                    "No administrator's token ("
                            + tokenFile
                            + " is not readable): no chargebacks will be sent, only fraud reports.");
            return null;
        }
        return Files.readString(tokenFile).trim();
    }
}
