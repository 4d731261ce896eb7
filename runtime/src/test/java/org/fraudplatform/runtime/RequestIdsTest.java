package org.fraudplatform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.fraudplatform.runtime.deadletter.DecodingProcessor;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The request id: accepted from a client or made, carried in Kafka headers, back in the logs. */
class RequestIdsTest {

    @Test
    void shouldKeepAClientsPlainIdAndReplaceAnythingElse() {
        assertThat(RequestIds.accept("checkout-7f3a:2")).isEqualTo("checkout-7f3a:2");
        assertThat(RequestIds.accept(null)).matches("req_[0-9a-f]{16}");
        assertThat(RequestIds.accept("")).matches("req_[0-9a-f]{16}");
        assertThat(RequestIds.accept("forged\nERROR admin logged in")).matches("req_[0-9a-f]{16}");
        assertThat(RequestIds.accept("x".repeat(65))).matches("req_[0-9a-f]{16}");
        assertThat(RequestIds.generate()).isNotEqualTo(RequestIds.generate());
    }

    @Test
    void shouldSendTheCurrentRequestsIdWithARecordAndNothingWithoutOne() {
        RecordHeaders with = new RecordHeaders();
        RecordHeaders without = new RecordHeaders();

        MDC.put(RequestIds.MDC_KEY, "req_1");
        try {
            RequestIds.addTo(with);
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
        RequestIds.addTo(without);

        assertThat(new String(with.lastHeader("request_id").value(), StandardCharsets.UTF_8))
                .isEqualTo("req_1");
        assertThat(without.toArray()).isEmpty();
    }

    @Test
    void shouldCarryTheMerchantAndPaymentOfTheRequestToTheRecordAndBackIntoTheLogs() {
        RecordHeaders headers = new RecordHeaders();
        MDC.put(RequestIds.MDC_KEY, "req_2");
        MDC.put(RequestIds.MERCHANT_KEY, "merchant-1");
        MDC.put(RequestIds.PAYMENT_KEY, "pay_7");
        try {
            RequestIds.addTo(headers);
        } finally {
            RequestIds.clear();
        }
        assertThat(MDC.get(RequestIds.MERCHANT_KEY)).isNull();
        assertThat(MDC.get(RequestIds.PAYMENT_KEY)).isNull();
        headers.add("payment_id", "pay_7\nINFO forged".getBytes(StandardCharsets.UTF_8));

        boolean entered = RequestIds.enter(headers);
        try {
            assertThat(entered).isTrue();
            assertThat(MDC.get(RequestIds.MDC_KEY)).isEqualTo("req_2");
            assertThat(MDC.get(RequestIds.MERCHANT_KEY)).isEqualTo("merchant-1");
            assertThat(MDC.get(RequestIds.PAYMENT_KEY))
                    .as("the last header wins only when it looks like an id")
                    .isNull();
        } finally {
            RequestIds.clear();
        }
        assertThat(RequestIds.enter(new RecordHeaders())).isFalse();
    }

    @Test
    void shouldPutTheRecordsRequestIdInTheLogsWhileATopologyWorksOnItAndCarryItDownstream() {
        List<Optional<String>> seen = new ArrayList<>();
        Topology topology = new Topology();
        topology.addSource(
                "in",
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(),
                "requests");
        topology.addProcessor(
                "decode",
                () ->
                        new DecodingProcessor<>(
                                "decode",
                                "requests",
                                new StringDeserializer(),
                                v -> Optional.empty(),
                                "work",
                                "dead"),
                "in");
        topology.addProcessor("work", () -> new Watching(seen), "decode");
        topology.addProcessor("dead", () -> new Watching(new ArrayList<>()), "decode");
        topology.addSink(
                "out", "decisions", new StringSerializer(), new StringSerializer(), "work");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "request-ids");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config)) {
            var in =
                    driver.createInputTopic(
                            "requests",
                            Serdes.ByteArray().serializer(),
                            Serdes.ByteArray().serializer());
            var out =
                    driver.createOutputTopic(
                            "decisions", new StringDeserializer(), new StringDeserializer());
            RecordHeaders traced = new RecordHeaders();
            traced.add("request_id", "req_abc".getBytes(StandardCharsets.UTF_8));
            RecordHeaders forged = new RecordHeaders();
            forged.add("request_id", "a\nb".getBytes(StandardCharsets.UTF_8));

            in.pipeInput(new TestRecord<>(bytes("k"), bytes("one"), traced));
            in.pipeInput(new TestRecord<>(bytes("k"), bytes("two")));
            in.pipeInput(new TestRecord<>(bytes("k"), bytes("three"), forged));

            assertThat(seen)
                    .containsExactly(Optional.of("req_abc"), Optional.empty(), Optional.empty());
            assertThat(MDC.get(RequestIds.MDC_KEY)).as("cleared after the record").isNull();
            TestRecord<String, String> first = out.readRecord();
            assertThat(
                            new String(
                                    first.headers().lastHeader("request_id").value(),
                                    StandardCharsets.UTF_8))
                    .as("the derived record carries the id on")
                    .isEqualTo("req_abc");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Notes the request id in the logging context for each record, and forwards it. */
    private static final class Watching implements Processor<Object, Object, Object, Object> {
        private final List<Optional<String>> seen;
        private ProcessorContext<Object, Object> context;

        Watching(List<Optional<String>> seen) {
            this.seen = seen;
        }

        @Override
        public void init(ProcessorContext<Object, Object> context) {
            this.context = context;
        }

        @Override
        public void process(Record<Object, Object> record) {
            seen.add(Optional.ofNullable(MDC.get(RequestIds.MDC_KEY)));
            context.forward(record);
        }
    }
}
