package org.fraudplatform.runtime.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.fraudplatform.runtime.deadletter.DecodingProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One trace per payment: the W3C trace context on records, spans where the work is done. */
class TracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @AfterEach
    void off() {
        Tracing.install(Tracing.off());
    }

    @Test
    void shouldAddNothingToARecordAndRecordNothingWhenOff() {
        Tracing off = Tracing.off();
        RecordHeaders headers = new RecordHeaders();

        off.toHeaders(off.fromTraceparent(TRACEPARENT), headers);

        assertThat(off.enabled()).isFalse();
        assertThat(headers.toArray()).isEmpty();
        assertThat(Span.fromContext(off.fromTraceparent(TRACEPARENT)).getSpanContext().isValid())
                .isFalse();
    }

    @Test
    void shouldCarryTheTraceOnARecordReplacingWhatItCarriedBefore() {
        Tracing tracing = Tracing.exportingTo(spans, "test");
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                Tracing.HEADER,
                "00-ffffffffffffffffffffffffffffffff-ffffffffffffffff-01".getBytes());
        Span span =
                tracing.span("work", SpanKind.INTERNAL)
                        .setParent(tracing.fromTraceparent(TRACEPARENT))
                        .startSpan();

        tracing.toHeaders(Context.root().with(span), headers);
        SpanContext carried = Span.fromContext(tracing.fromHeaders(headers)).getSpanContext();
        span.end();

        assertThat(headers.headers(Tracing.HEADER)).hasSize(1);
        assertThat(carried.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(carried.getSpanId()).isEqualTo(span.getSpanContext().getSpanId());
        assertThat(spans.getFinishedSpanItems())
                .singleElement()
                .satisfies(s -> assertThat(s.getParentSpanId()).isEqualTo(CALLER_SPAN));
    }

    @Test
    void shouldStartANewTraceForAMalformedTraceparent() {
        Tracing tracing = Tracing.exportingTo(spans, "test");

        Context context = tracing.fromTraceparent("00-not-a-trace-01");

        assertThat(Span.fromContext(context).getSpanContext().isValid()).isFalse();
    }

    @Test
    void shouldProcessARecordInASpanOfItsTraceAndCarryThatSpanDownstream() {
        Tracing.install(Tracing.exportingTo(spans, "risk"));
        try (TopologyTestDriver driver = driver()) {
            var in =
                    driver.createInputTopic(
                            "requests",
                            Serdes.ByteArray().serializer(),
                            Serdes.ByteArray().serializer());
            var out =
                    driver.createOutputTopic(
                            "decisions", new StringDeserializer(), new StringDeserializer());
            RecordHeaders headers = new RecordHeaders();
            headers.add(Tracing.HEADER, TRACEPARENT.getBytes(StandardCharsets.UTF_8));

            in.pipeInput(new TestRecord<>(bytes("k"), bytes("payment"), headers));
            in.pipeInput(new TestRecord<>(bytes("k"), bytes("no trace")));

            List<SpanData> processed = spans.getFinishedSpanItems();
            assertThat(processed).hasSize(2);
            SpanData continued = processed.get(0);
            assertThat(continued.getName()).isEqualTo("process requests");
            assertThat(continued.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(continued.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(continued.getParentSpanId()).isEqualTo(CALLER_SPAN);
            assertThat(processed.get(1).getTraceId())
                    .as("a record without a trace begins one")
                    .isNotEqualTo(TRACE_ID);
            String downstream =
                    new String(
                            out.readRecord().headers().lastHeader(Tracing.HEADER).value(),
                            StandardCharsets.UTF_8);
            assertThat(downstream)
                    .as("the decision continues the trace from the span that made it")
                    .isEqualTo("00-" + TRACE_ID + "-" + continued.getSpanId() + "-01");
        }
    }

    @Test
    void shouldSendTheSpansToAnOtlpCollector() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext(
                "/",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    received.add(
                            exchange.getRequestMethod()
                                    + " "
                                    + exchange.getRequestURI().getPath()
                                    + " "
                                    + exchange.getRequestHeaders().getFirst("Content-Type")
                                    + " "
                                    + new String(body, StandardCharsets.ISO_8859_1));
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
        collector.start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + collector.getAddress().getPort() + "/");
            Tracing tracing = Tracing.otlp(endpoint, "fraud-api", 1.0);

            tracing.span("POST payments.create", SpanKind.SERVER).startSpan().end();
            tracing.close(); // sends what is batched

            assertThat(received)
                    .singleElement()
                    .asString()
                    .startsWith("POST /v1/traces application/x-protobuf")
                    .contains("POST payments.create")
                    .contains("fraud-api");
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void shouldRefuseAnEndpointThatIsNotHttpAndARatioOutsideZeroToOne() {
        assertThatThrownBy(() -> Tracing.otlp(URI.create("grpc://collector:4317"), "x", 1))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> Tracing.otlp(URI.create("http://collector:4318"), "x", 1.5))
                .hasMessageContaining("between 0 and 1");
    }

    private static TopologyTestDriver driver() {
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
                                "out",
                                "out"),
                "in");
        topology.addSink(
                "out", "decisions", new StringSerializer(), new StringSerializer(), "decode");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "tracing");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(topology, config);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
