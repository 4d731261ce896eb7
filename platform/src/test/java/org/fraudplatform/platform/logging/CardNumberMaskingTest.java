package org.fraudplatform.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the shipped {@code logback.xml} writes: card numbers in messages, their arguments, stack
 * traces and the diagnostic context (MDC) masked to the first six and last four digits, whatever
 * separates their digits.
 */
class CardNumberMaskingTest {

    /** A text with a card number as it may reach a log, and what the log shows of it. */
    static Stream<Arguments> cardNumbers() {
        return Stream.of(
                Arguments.of("card 4242424242424242 declined", "card 424242******4242 declined"),
                Arguments.of("pan=4000 0566 5566 5556;", "pan=400005******5556;"),
                Arguments.of("pan=5555-5555-5555-4444", "pan=555555******4444"),
                Arguments.of("pan 4111.1111.1111.1111", "pan 411111******1111"),
                Arguments.of("pan 4111/1111/1111/1111", "pan 411111******1111"),
                Arguments.of("pan 4111_1111_1111_1111", "pan 411111******1111"),
                Arguments.of("pan 4111 1111-1111.1111", "pan 411111******1111"),
                Arguments.of("card=4111111111111111;", "card=411111******1111;"),
                Arguments.of("cardnumber4111111111111111", "cardnumber411111******1111"),
                Arguments.of(
                        "{\"number\":\"4111 1111 1111 1111\"}",
                        "{\"number\":\"411111******1111\"}"),
                Arguments.of(
                        "{\"a\":\"4242424242424242\",\"b\":\"5555555555554444\"}",
                        "{\"a\":\"424242******4242\",\"b\":\"555555******4444\"}"),
                Arguments.of("thirteen 4222222222222", "thirteen 422222***2222"),
                Arguments.of("sixteen 6011111111111117", "sixteen 601111******1117"),
                Arguments.of("nineteen 4000000000000000006", "nineteen 400000*********0006"));
    }

    /** Digit runs that are no card number, which the log keeps as they are. */
    static Stream<String> otherNumbers() {
        return Stream.of(
                "at 1732486712345 order 4242424242424241",
                "id 42424242424242424242",
                "pay_2026-03-02 4111 1111 1111 1112");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cardNumbers")
    void shouldMaskACardNumberInALogMessageArgument(String text, String masked) throws Exception {
        String written = logged(log -> log.warn("payment failed: {}", text));

        assertThat(written).contains("payment failed: " + masked);
        assertThat(written).doesNotContain(cardIn(text));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cardNumbers")
    void shouldMaskACardNumberInAStackTrace(String text, String masked) throws Exception {
        String written =
                logged(
                        log ->
                                log.error(
                                        "provider call failed",
                                        new IllegalStateException(
                                                "wrapped", new IllegalArgumentException(text))));

        assertThat(written).contains("IllegalArgumentException: " + masked);
        assertThat(written).doesNotContain(cardIn(text));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherNumbers")
    void shouldLeaveNumbersThatAreNoCardNumberAsTheyAre(String text) throws Exception {
        assertThat(logged(log -> log.warn(text))).contains(text);
    }

    @Test
    void shouldWriteNoCardNumberThatIsInTheMdc() throws Exception {
        String written =
                logged(
                        log -> {
                            var mdc = log.getLoggerContext().getMDCAdapter();
                            mdc.put("request_id", "4111 1111 1111 1111");
                            mdc.put("4242424242424242", "key");
                            log.warn("with a diagnostic context");
                        });

        assertThat(written)
                .contains("with a diagnostic context")
                .doesNotContain("4111 1111 1111 1111")
                .doesNotContain("4242424242424242");
    }

    @Test
    void
            shouldMaskCardNumbersInMdcKeysAndValuesWhereverAPatternOfTheShippedConfigurationPrintsThem()
                    throws Exception {
        LoggerContext context = shippedConfiguration();
        try {
            PatternLayout layout = new PatternLayout();
            layout.setContext(context);
            layout.setPattern("%X{request_id} | %mdc{request_id} | %X");
            layout.start();
            context.getMDCAdapter().put("request_id", "req-4111.1111.1111.1111");
            context.getMDCAdapter().put("4242424242424242", "x");
            Logger logger = context.getLogger("org.fraudplatform.test");

            String line =
                    layout.doLayout(
                            new LoggingEvent(
                                    Logger.class.getName(), logger, Level.WARN, "m", null, null));

            assertThat(line)
                    .startsWith("req-411111******1111 | req-411111******1111 | ")
                    .contains("request_id=req-411111******1111")
                    .contains("424242******4242=x")
                    .doesNotContain("4111.1111.1111.1111")
                    .doesNotContain("4242424242424242");
        } finally {
            context.getMDCAdapter().clear();
            context.stop();
        }
    }

    @Test
    void shouldConfigureTheMaskingWithoutAWarning() throws Exception {
        LoggerContext context = shippedConfiguration();
        try {
            assertThat(context.getStatusManager().getCopyOfStatusList())
                    .allSatisfy(
                            s -> assertThat(s.getLevel()).as(s.toString()).isLessThan(Status.WARN));
        } finally {
            context.stop();
        }
    }

    private static LoggerContext shippedConfiguration() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(CardNumberMaskingTest.class.getResource("/logback.xml"));
        return context;
    }

    /** What the shipped configuration writes to standard output while {@code logging} runs. */
    private static String logged(Consumer<Logger> logging) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
        try {
            configurator.doConfigure(CardNumberMaskingTest.class.getResource("/logback.xml"));
            logging.accept(context.getLogger("org.fraudplatform.test"));
        } finally {
            System.setOut(console);
            context.stop();
        }
        return sink.toString(StandardCharsets.UTF_8);
    }

    /** The card number in a case's text: its first run of digits and separators. */
    private static String cardIn(String text) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\d[\\d ./_-]{11,}\\d").matcher(text);
        assertThat(m.find()).isTrue();
        return m.group();
    }
}
