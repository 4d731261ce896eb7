package org.fraudplatform.runtime.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Distributed tracing with OpenTelemetry: one trace per payment across the roles (the API's
 * request, the risk decision, the provider call, the ledger's commands), carried between processes
 * by the W3C {@code traceparent} header, on HTTP as on Kafka records. Off unless configured ({@code
 * --otlp-endpoint}): then every span is a no-op and nothing is added to a record.
 *
 * <p>A process has one tracing, installed at its start ({@link #install}) and read where work
 * begins ({@link #current}): the API's server, the topologies' decoders, the provider calls.
 */
public final class Tracing implements AutoCloseable {

    /** The W3C trace context header, on HTTP requests and Kafka records. */
    public static final String HEADER = "traceparent";

    private static final String STATE_HEADER = "tracestate";
    private static final String INSTRUMENTATION = "org.fraudplatform";
    private static final Tracing OFF = new Tracing(OpenTelemetry.noop(), null);
    private static volatile Tracing current = OFF;

    private final Tracer tracer;
    private final SdkTracerProvider provider;

    private Tracing(OpenTelemetry telemetry, SdkTracerProvider provider) {
        this.tracer = telemetry.getTracer(INSTRUMENTATION);
        this.provider = provider;
    }

    /** No tracing: spans are no-ops, records carry no trace context. */
    public static Tracing off() {
        return OFF;
    }

    /**
     * Spans exported in batches over OTLP/HTTP (protobuf) to {@code endpoint} (a collector's base
     * URL, e.g. {@code http://127.0.0.1:4318}; the spans go to {@code /v1/traces} under it).
     *
     * @param service the {@code service.name} of this process's spans
     * @param sampleRatio the share of traces started here that are kept (0 to 1); a trace started
     *     by a caller keeps the caller's choice
     */
    public static Tracing otlp(URI endpoint, String service, double sampleRatio) {
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException(
                    "the OTLP endpoint must be an http or https URL, was " + endpoint);
        }
        if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
            throw new IllegalArgumentException(
                    "the trace sample ratio must be between 0 and 1, was " + sampleRatio);
        }
        String base = endpoint.toString().replaceAll("/+$", "");
        SpanExporter exporter =
                OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build();
        return withProcessor(
                BatchSpanProcessor.builder(exporter).build(),
                service,
                Sampler.parentBased(Sampler.traceIdRatioBased(sampleRatio)));
    }

    /** Every span handed to {@code exporter} as it ends, all sampled (for tests). */
    public static Tracing exportingTo(SpanExporter exporter, String service) {
        return withProcessor(SimpleSpanProcessor.create(exporter), service, Sampler.alwaysOn());
    }

    private static Tracing withProcessor(
            io.opentelemetry.sdk.trace.SpanProcessor processor, String service, Sampler sampler) {
        SdkTracerProvider provider =
                SdkTracerProvider.builder()
                        .setResource(
                                Resource.getDefault()
                                        .merge(
                                                Resource.create(
                                                        Attributes.of(
                                                                AttributeKey.stringKey(
                                                                        "service.name"),
                                                                service))))
                        .setSampler(sampler)
                        .addSpanProcessor(processor)
                        .build();
        OpenTelemetrySdk sdk =
                OpenTelemetrySdk.builder()
                        .setTracerProvider(provider)
                        .setPropagators(
                                io.opentelemetry.context.propagation.ContextPropagators.create(
                                        W3CTraceContextPropagator.getInstance()))
                        .build();
        return new Tracing(sdk, provider);
    }

    /** The tracing of this process ({@link #off()} until one is installed). */
    public static Tracing current() {
        return current;
    }

    /** Makes {@code tracing} this process's, from now on. */
    public static void install(Tracing tracing) {
        current = tracing;
    }

    /** Whether spans are recorded and records carry the trace context. */
    public boolean enabled() {
        return provider != null;
    }

    /** A span of this platform's instrumentation. */
    public SpanBuilder span(String name, SpanKind kind) {
        return tracer.spanBuilder(name).setSpanKind(kind);
    }

    /** The trace context a record carries, or the root context when it carries none. */
    public Context fromHeaders(Headers headers) {
        if (!enabled() || headers == null) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance()
                .extract(Context.root(), headers, KAFKA_GETTER);
    }

    /** The trace context of an HTTP request's {@code traceparent} value (null: none). */
    public Context fromTraceparent(String traceparent) {
        if (!enabled() || traceparent == null) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance()
                .extract(Context.root(), Map.of(HEADER, traceparent), MAP_GETTER);
    }

    /**
     * Replaces the trace context a record carries with {@code context}'s, so that whatever reads
     * the record continues this trace. Nothing when tracing is off.
     */
    public void toHeaders(Context context, Headers headers) {
        if (!enabled()) {
            return;
        }
        headers.remove(HEADER);
        headers.remove(STATE_HEADER);
        W3CTraceContextPropagator.getInstance().inject(context, headers, KAFKA_SETTER);
    }

    /** Sends the spans not yet exported and stops. */
    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private static final TextMapGetter<Headers> KAFKA_GETTER =
            new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(Headers carrier) {
                    List<String> keys = new java.util.ArrayList<>();
                    for (Header h : carrier) {
                        keys.add(h.key());
                    }
                    return keys;
                }

                @Override
                public String get(Headers carrier, String key) {
                    Header h = carrier == null ? null : carrier.lastHeader(key);
                    return h == null || h.value() == null
                            ? null
                            : new String(h.value(), StandardCharsets.UTF_8);
                }
            };

    private static final TextMapSetter<Headers> KAFKA_SETTER =
            (carrier, key, value) -> {
                if (carrier != null) {
                    carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
                }
            };

    private static final TextMapGetter<Map<String, String>> MAP_GETTER =
            new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(Map<String, String> carrier) {
                    return carrier.keySet();
                }

                @Override
                public String get(Map<String, String> carrier, String key) {
                    return carrier == null ? null : carrier.get(key);
                }
            };
}
