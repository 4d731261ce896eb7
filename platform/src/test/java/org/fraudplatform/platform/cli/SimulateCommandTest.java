package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

    @TempDir Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cli = FraudCommand.commandLine(java.util.Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setUsageHelpAutoWidth(false);
        cli.setUsageHelpWidth(200);
        return cli.execute(args);
    }

    @Test
    void helpNamesEveryOptionWithItsDefault() {
        int exit = run("simulate", "--help");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("--url", "http://127.0.0.1:8080")
                .contains("--api-key-file", "data/demo-merchant-api-key")
                .contains("--token-file", "data/admin-token")
                .contains("--payments", "5000")
                .contains("--rate", "100")
                .contains("--customers", "500")
                .contains("--seed", "42")
                .contains("--fraud-share", "0.03")
                .contains("--chargeback-share", "0.8")
                .contains("--report-share", "0.1")
                .contains("card testing", "stolen card", "account takeover");
    }

    @Test
    void refusesSharesThatDoNotAddUpBeforeSendingAnything() {
        int exit =
                run(
                        "simulate",
                        "--api-key",
                        "sk_test",
                        "--chargeback-share",
                        "0.9",
                        "--report-share",
                        "0.2");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--chargeback-share and --report-share");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void refusesToRunWithoutAnApiKey() {
        int exit = run("simulate", "--api-key-file", dir.resolve("missing").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("No API key");
    }
}
