package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.fraudplatform.api.merchants.MerchantAdmin;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The merchants and keys commands' options, help and refusals, without a platform. */
class KeysCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FraudCommand.commandLine(Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new String[] {Integer.toString(exit), out.toString(), err.toString()};
    }

    @Test
    void shouldExplainEveryCommandWithHelp() {
        for (List<String> command :
                List.of(
                        List.of("merchants", "create"),
                        List.of("keys", "create"),
                        List.of("keys", "list"),
                        List.of("keys", "revoke"),
                        List.of("keys", "rotate"))) {
            String[] result = run(command.get(0), command.get(1), "--help");

            assertThat(result[0]).as(command.toString()).isEqualTo("0");
            assertThat(result[1])
                    .as(command.toString())
                    .contains("Usage: fraud " + command.get(0) + " " + command.get(1));
        }
        assertThat(run("keys", "create", "--help")[1])
                .contains("--scopes", "--rate-limit", "--expires-in", "--name", "--database-url");
        assertThat(run("keys", "rotate", "--help")[1]).contains("--old-expires-in", "24h");
    }

    @Test
    void shouldRefuseAnUnknownScopeBeforeTouchingTheDatabase() {
        String[] result =
                run(
                        "keys",
                        "create",
                        "--merchant",
                        "shop",
                        "--scopes",
                        "payments:delete",
                        "--database-url",
                        "jdbc:postgresql://127.0.0.1:1/none");

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("unknown scope 'payments:delete'", "refunds:write");
    }

    @Test
    void shouldReadRateLimitsPerSecondOrNone() {
        assertThat(KeyOptions.parseRateLimit("100/s")).isEqualTo(100);
        assertThat(KeyOptions.parseRateLimit("5000")).isEqualTo(5000);
        assertThat(KeyOptions.parseRateLimit("none")).isNull();
        assertThatThrownBy(() -> KeyOptions.parseRateLimit("0/s"))
                .hasMessageContaining("--rate-limit");
        assertThatThrownBy(() -> KeyOptions.parseRateLimit("fast"))
                .hasMessageContaining("--rate-limit");
    }

    @Test
    void shouldMakeAMerchantIdOfItsName() {
        assertThat(MerchantAdmin.idFor("Acme Shop")).isEqualTo("acme-shop");
        assertThat(MerchantAdmin.idFor("  Café & Bar #2 ")).isEqualTo("caf-bar-2");
        assertThatThrownBy(() -> MerchantAdmin.idFor("!!!")).hasMessageContaining("--id");
    }

    @Test
    void shouldSayWhereTheDatabaseIsWhenItCannotBeReached() {
        String[] result = run("keys", "list", "--merchant", "shop", "--database-port", "1");

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("jdbc:postgresql://localhost:1/fraud", "fraud run");
    }
}
