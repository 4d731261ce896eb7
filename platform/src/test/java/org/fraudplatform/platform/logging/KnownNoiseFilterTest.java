package org.fraudplatform.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

/** Only the known library noise is dropped; every other warning of the same loggers shows. */
class KnownNoiseFilterTest {

    private final KnownNoiseFilter filter = new KnownNoiseFilter();
    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(String logger, String message) {
        return new LoggingEvent(
                getClass().getName(), context.getLogger(logger), Level.WARN, message, null, null);
    }

    @Test
    void shouldDropTheStateDirectoryAdviceAboutTheTemporaryFolder() {
        assertThat(
                        filter.decide(
                                event(
                                        "org.apache.kafka.streams.processor.internals.StateDirectory",
                                        "Using an OS temp directory in the state.dir property can"
                                                + " cause failures ... Resolved state.dir: [/tmp/x]")))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void shouldDropTheBrokersReportOfAnInternalTopicThatExistedAlready() {
        assertThat(
                        filter.decide(
                                event(
                                        "kafka.server.DefaultAutoTopicCreationManager",
                                        "Auto topic creation failed for __transaction_state with"
                                                + " error 'TOPIC_ALREADY_EXISTS': Topic"
                                                + " '__transaction_state' already exists.")))
                .isEqualTo(FilterReply.DENY);
        assertThat(
                        filter.decide(
                                event(
                                        "kafka.server.DefaultAutoTopicCreationManager",
                                        "Auto topic creation failed for __consumer_offsets with"
                                                + " error 'INVALID_REPLICATION_FACTOR'")))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldKeepEveryOtherWarningOfTheSameLogger() {
        assertThat(
                        filter.decide(
                                event(
                                        "org.apache.kafka.streams.processor.internals.StateDirectory",
                                        "Failed to read json process file")))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldKeepTheSameMessageFromAnotherLogger() {
        assertThat(
                        filter.decide(
                                event(
                                        "org.fraudplatform.platform.Platform",
                                        "Using an OS temp directory in the state.dir property")))
                .isEqualTo(FilterReply.NEUTRAL);
    }
}
