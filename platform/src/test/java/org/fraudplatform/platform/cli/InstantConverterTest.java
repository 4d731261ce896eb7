package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Times on the command line: a plain date is the start of that day (UTC), an instant is itself. */
class InstantConverterTest {

    private final InstantConverter converter = new InstantConverter();

    @Test
    void shouldReadAPlainDateAsTheStartOfThatDayInUtc() {
        assertThat(converter.convert("2018-08-01"))
                .isEqualTo(Instant.parse("2018-08-01T00:00:00Z"));
    }

    @Test
    void shouldReadAnInstantAsItIs() {
        assertThat(converter.convert("2018-08-01T06:30:00Z"))
                .isEqualTo(Instant.parse("2018-08-01T06:30:00Z"));
    }

    @Test
    void shouldReadAnInstantWithAnOffset() {
        assertThat(converter.convert("2018-08-01T08:30:00+02:00"))
                .isEqualTo(Instant.parse("2018-08-01T06:30:00Z"));
    }

    @Test
    void shouldRefuseSomethingElseWithTheFormsItTakes() {
        assertThatThrownBy(() -> converter.convert("1 August"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("'1 August'")
                .hasMessageContaining("2018-08-01")
                .hasMessageContaining("2018-08-01T06:30:00Z");
    }

    @Test
    void shouldLetTheBacktestTakePlainDates() {
        // when
        CommandLine.ParseResult parsed =
                FraudCommand.commandLine(Map.of())
                        .parseArgs(
                                "rules",
                                "backtest",
                                "--features",
                                "f.csv",
                                "--out",
                                "o",
                                "--from",
                                "2018-08-01",
                                "--to",
                                "2018-08-31");

        // then
        CommandLine.ParseResult backtest = parsed.subcommand().subcommand();
        assertThat(backtest.<Instant>matchedOptionValue("--from", null))
                .isEqualTo(Instant.parse("2018-08-01T00:00:00Z"));
        assertThat(backtest.<Instant>matchedOptionValue("--to", null))
                .isEqualTo(Instant.parse("2018-08-31T00:00:00Z"));
    }

    @Test
    void shouldSayInEveryTimeOptionsHelpThatADateWorks() {
        CommandLine cli = FraudCommand.commandLine(Map.of());
        StringWriter help = new StringWriter();
        CommandLine backtest = cli.getSubcommands().get("rules").getSubcommands().get("backtest");
        backtest.setUsageHelpWidth(400);
        PrintWriter out = new PrintWriter(help);
        backtest.usage(out);
        out.flush();

        assertThat(
                        help.toString()
                                .lines()
                                .map(String::trim)
                                .filter(l -> l.startsWith("--from=") || l.startsWith("--to=")))
                .hasSize(2)
                .allSatisfy(l -> assertThat(l).contains(InstantConverter.FORMS));
    }
}
