package org.fraudplatform.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

/** Only the known library noise is dropped; every other warning of the same loggers shows. */
class KnownNoiseFilterTest {

    private final KnownNoiseFilter filter = new KnownNoiseFilter();
    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(String logger, String message) {
        return new LoggingEvent(
                getClass().getName(), context.getLogger(logger), Level.WARN, message, null, null);
    }

    private LoggingEvent error(String logger, String message, Throwable cause) {
        return new LoggingEvent(
                getClass().getName(), context.getLogger(logger), Level.ERROR, message, cause, null);
    }

    @Test
    void shouldDropTheFirstTransactionsRetriableSequenceRefusalAndNoOtherSequenceError() {
        String broker = "kafka.server.ReplicaManager";
        String append =
                "[ReplicaManager broker=1] Error processing append operation on partition"
                        + " id:payments.events-2";
        assertThat(
                        filter.decide(
                                error(
                                        broker,
                                        append,
                                        new OutOfOrderSequenceException(
                                                "Invalid sequence number for producer 6 at offset 2"
                                                        + " in partition payments.events-2: 1"
                                                        + " (incoming seq. number). Expected"
                                                        + " sequence 0 for transactions v2"
                                                        + " idempotent producer with no existing"
                                                        + " state."))))
                .isEqualTo(FilterReply.DENY);
        assertThat(
                        filter.decide(
                                error(
                                        broker,
                                        append,
                                        new OutOfOrderSequenceException(
                                                "Out of order sequence number for producer 1674 at"
                                                        + " offset 548171 in partition t-0: 51"
                                                        + " (incoming seq. number), 49 (current"
                                                        + " end sequence number)"))))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(error(broker, append, null))).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldDropOnlyTheProducersRetryOfABusyTransaction() {
        String sender = "org.apache.kafka.clients.producer.internals.Sender";
        String retry =
                "[Producer clientId=p] Got error produce response with correlation id 15 on"
                        + " topic-partition payments.snapshots-3, retrying (2147483646 attempts"
                        + " left). Error: ";
        assertThat(filter.decide(event(sender, retry + "CONCURRENT_TRANSACTIONS")))
                .isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(event(sender, retry + "OUT_OF_ORDER_SEQUENCE_NUMBER")))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(event(sender, retry + "NOT_LEADER_OR_FOLLOWER")))
                .isEqualTo(FilterReply.NEUTRAL);
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
