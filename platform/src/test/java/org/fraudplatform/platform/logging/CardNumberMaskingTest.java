package org.fraudplatform.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CardNumberMaskingTest {

    @Test
    void keepsOnlyTheBinAndTheLastFourDigitsOfACardNumber() {
        assertThat(CardNumberMasking.mask("card 4242424242424242 declined"))
                .isEqualTo("card 424242******4242 declined");
    }

    @Test
    void masksNumbersWrittenWithSpacesOrDashes() {
        assertThat(CardNumberMasking.mask("pan=4000 0566 5566 5556;"))
                .isEqualTo("pan=400005******5556;");
        assertThat(CardNumberMasking.mask("pan=5555-5555-5555-4444"))
                .isEqualTo("pan=555555******4444");
    }

    @Test
    void masksEveryLengthFromThirteenToNineteenDigits() {
        assertThat(CardNumberMasking.mask("4222222222222")).isEqualTo("422222***2222");
        assertThat(CardNumberMasking.mask("6011111111111117")).isEqualTo("601111******1117");
        assertThat(CardNumberMasking.mask("4000000000000000006")).isEqualTo("400000*********0006");
    }

    @Test
    void leavesDigitRunsThatFailTheLuhnCheckAlone() {
        String timestampAndId = "at 1732486712345 order 4242424242424241";
        assertThat(CardNumberMasking.mask(timestampAndId)).isEqualTo(timestampAndId);
    }

    @Test
    void leavesLongerDigitRunsAlone() {
        String twentyDigits = "id 42424242424242424242";
        assertThat(CardNumberMasking.mask(twentyDigits)).isEqualTo(twentyDigits);
    }

    @Test
    void masksAllNumbersInOneText() {
        assertThat(
                        CardNumberMasking.mask(
                                "{\"a\":\"4242424242424242\",\"b\":\"5555555555554444\"}"))
                .isEqualTo("{\"a\":\"424242******4242\",\"b\":\"555555******4444\"}");
    }

    @Test
    void theShippedLogConfigurationMasksMessagesArgumentsAndStackTraces() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
        try {
            configurator.doConfigure(getClass().getResource("/logback.xml"));
            context.getLogger("org.fraudplatform.test")
                    .warn(
                            "payment with {} failed",
                            "4242424242424242",
                            new IllegalStateException("bad card 5555555555554444"));
        } finally {
            System.setOut(console);
            context.stop();
        }

        String written = sink.toString(StandardCharsets.UTF_8);
        assertThat(written)
                .contains("payment with 424242******4242 failed")
                .contains("IllegalStateException: bad card 555555******4444")
                .doesNotContain("4242424242424242")
                .doesNotContain("5555555555554444");
    }
}
