package org.fraudplatform.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What the shipped {@code logback.xml} writes with {@code FRAUD_LOG_FORMAT=json}. */
class JsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWriteOneObjectPerLineWithTheLoggingContextsIdsAsFields() throws Exception {
        Instant before = Instant.now().minusSeconds(1);

        List<String> lines =
                logged(
                        "json",
                        log -> {
                            var mdc = log.getLoggerContext().getMDCAdapter();
                            mdc.put("request_id", "req_0123456789abcdef");
                            mdc.put("merchant_id", "merchant-1");
                            mdc.put("payment_id", "pay_42");
                            log.warn("captured {} of \"{}\"", 25_00, "a\nquoted\tvalue");
                            mdc.clear();
                            log.info("second line");
                        });

        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("level").asText()).isEqualTo("WARN");
        assertThat(first.get("logger").asText()).isEqualTo("org.fraudplatform.test");
        assertThat(first.get("message").asText())
                .isEqualTo("captured 2500 of \"a\nquoted\tvalue\"");
        assertThat(first.get("request_id").asText()).isEqualTo("req_0123456789abcdef");
        assertThat(first.get("merchant_id").asText()).isEqualTo("merchant-1");
        assertThat(first.get("payment_id").asText()).isEqualTo("pay_42");
        assertThat(first.get("thread").asText()).isNotBlank();
        assertThat(Instant.parse(first.get("timestamp").asText())).isAfter(before);
        assertThat(first.has("exception")).isFalse();
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("message").asText()).isEqualTo("second line");
        assertThat(second.has("payment_id")).as("the context is the line's own").isFalse();
    }

    @Test
    void shouldMaskCardNumbersInTheMessageTheContextAndTheStackTrace() throws Exception {
        List<String> lines =
                logged(
                        "JSON",
                        log -> {
                            var mdc = log.getLoggerContext().getMDCAdapter();
                            mdc.put("request_id", "req-4111.1111.1111.1111");
                            mdc.put("4242424242424242", "x");
                            log.error(
                                    "provider said card 5555555555554444 declined",
                                    new IllegalStateException(
                                            "wrapped",
                                            new IllegalArgumentException(
                                                    "pan 4000 0566 5566 5556")));
                        });

        String all = String.join("\n", lines);
        assertThat(all)
                .doesNotContain("4111.1111.1111.1111")
                .doesNotContain("4242424242424242")
                .doesNotContain("5555555555554444")
                .doesNotContain("4000 0566 5566 5556");
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.get("message").asText())
                .isEqualTo("provider said card 555555******4444 declined");
        assertThat(line.get("request_id").asText()).isEqualTo("req-411111******1111");
        assertThat(line.get("424242******4242").asText()).isEqualTo("x");
        assertThat(line.get("exception").asText())
                .startsWith("java.lang.IllegalStateException: wrapped")
                .contains("Caused by: java.lang.IllegalArgumentException: pan 400005******5556")
                .contains("at org.fraudplatform.platform.logging.JsonLogsTest");
    }

    @Test
    void shouldKeepWritingTextAndSayWhyWhenTheFormatIsUnknown() throws Exception {
        LoggerContext context = context("yaml");
        List<String> lines;
        try {
            lines = written(context, log -> log.warn("still logged"));
            assertThat(context.getStatusManager().getCopyOfStatusList())
                    .anySatisfy(
                            s -> {
                                assertThat(s.getLevel()).isEqualTo(Status.ERROR);
                                assertThat(s.getMessage())
                                        .contains("unknown log format 'yaml'")
                                        .contains("text or json");
                            });
        } finally {
            context.stop();
        }
        assertThat(lines).singleElement().asString().contains("WARN").endsWith("- still logged");
    }

    @Test
    void shouldConfigureTheJsonFormatWithoutAWarning() throws Exception {
        LoggerContext context = context("json");
        try {
            written(context, log -> {});
            assertThat(context.getStatusManager().getCopyOfStatusList())
                    .allSatisfy(
                            s -> assertThat(s.getLevel()).as(s.toString()).isLessThan(Status.WARN));
        } finally {
            context.stop();
        }
    }

    private static List<String> logged(String format, Consumer<Logger> logging) throws Exception {
        LoggerContext context = context(format);
        try {
            return written(context, logging);
        } finally {
            context.stop();
        }
    }

    /** The shipped configuration with FRAUD_LOG_FORMAT set to {@code format}. */
    private static LoggerContext context(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("FRAUD_LOG_FORMAT", format);
        return context;
    }

    private static List<String> written(LoggerContext context, Consumer<Logger> logging)
            throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(JsonLogsTest.class.getResource("/logback.xml"));
            logging.accept(context.getLogger("org.fraudplatform.test"));
        } finally {
            System.setOut(console);
        }
        return sink.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
