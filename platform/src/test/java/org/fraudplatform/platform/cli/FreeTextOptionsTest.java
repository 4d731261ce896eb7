package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Free text on the command line that holds a card number is refused while the command line is read:
 * no platform runs here, and none is needed, because nothing is looked up or changed before.
 */
class FreeTextOptionsTest {

    private static final String REFUSAL =
            "must not contain a card number (13 to 19 digits that pass the Luhn check)";

    /** A command, the card number written in one of its free-text arguments, and that argument. */
    static Stream<Arguments> commandsWithACardNumber() {
        return Stream.of(
                Arguments.of(
                        List.of(
                                "lists",
                                "add",
                                "blocked_ips",
                                "198.51.100.7",
                                "--note",
                                "used 4111 1111 1111 1111"),
                        "4111 1111 1111 1111",
                        "'--note'"),
                Arguments.of(
                        List.of(
                                "rules",
                                "deploy",
                                "--dir",
                                "ruleset",
                                "-m",
                                "refund for 4111-1111-1111-1111"),
                        "4111-1111-1111-1111",
                        "'--message'"),
                Arguments.of(
                        List.of(
                                "models",
                                "register",
                                "model.json",
                                "-m",
                                "trained on 5555555555554444"),
                        "5555555555554444",
                        "'--message'"),
                Arguments.of(
                        List.of(
                                "reconcile",
                                "resolve",
                                "pay_1/cap_1",
                                "-m",
                                "card 4242_4242_4242_4242 credited"),
                        "4242_4242_4242_4242",
                        "'--note'"),
                Arguments.of(
                        List.of("merchants", "create", "Shop 4111/1111/1111/1111"),
                        "4111/1111/1111/1111",
                        "positional parameter at index 0"),
                Arguments.of(
                        List.of(
                                "keys",
                                "create",
                                "--merchant",
                                "shop",
                                "--name",
                                "checkout 4111111111111111"),
                        "4111111111111111",
                        "'--name'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandsWithACardNumber")
    void shouldRefuseACardNumberInFreeTextNamingTheArgumentWithoutRepeatingIt(
            List<String> args, String cardNumber, String argument) {
        Result result = run(args);

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err())
                .contains("Invalid value for")
                .contains(argument)
                .contains(REFUSAL)
                .doesNotContain(cardNumber);
    }

    @Test
    void shouldAcceptTextWithOrderIdsAndTimestampsThatFailTheLuhnCheck() {
        String note = "order 4111111111111112 refunded at 1732486712345";

        assertThat(new FreeTextConverter().convert(note)).isEqualTo(note);
    }

    private record Result(int exit, String err) {}

    private static Result run(List<String> args) {
        StringWriter err = new StringWriter();
        CommandLine cli = FraudCommand.commandLine(Map.of());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args.toArray(String[]::new));
        return new Result(exit, err.toString());
    }
}
