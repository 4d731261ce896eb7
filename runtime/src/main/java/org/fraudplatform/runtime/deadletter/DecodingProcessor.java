package org.fraudplatform.runtime.deadletter;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.fraudplatform.runtime.RequestIds;
import org.fraudplatform.runtime.tracing.Tracing;
import org.fraudplatform.schemas.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw records into typed ones, or into dead letters with the reason.
 *
 * <p>Input: key and value bytes as read from the source topic. Output: a typed record with a string
 * key to the child {@code validChild} when the value decodes and passes {@code validate}; otherwise
 * a {@link DeadLetter} (original bytes, topic, partition, offset, reason) to the child {@code
 * deadLetterChild}. Nothing is dropped: every input produces exactly one output. While a record and
 * what it leads to downstream are processed, the request id its headers carry is in the logging
 * context ({@link RequestIds}), and, with tracing on, a span continues the trace its headers carry
 * ({@link Tracing}).
 *
 * @param <V> the decoded value type
 */
public final class DecodingProcessor<V> implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(DecodingProcessor.class);

    private final String name;
    private final String sourceTopic;
    private final Deserializer<V> deserializer;
    private final Function<V, Optional<String>> validate;
    private final String validChild;
    private final String deadLetterChild;
    private ProcessorContext<Object, Object> context;

    /**
     * @param name this processor's name, recorded in dead letters
     * @param sourceTopic the topic the bytes come from (passed to the deserializer)
     * @param deserializer decodes the value
     * @param validate returns the reason a decoded value is unusable, or empty when it is fine
     * @param validChild child processor for good records
     * @param deadLetterChild child (sink) for dead letters
     */
    public DecodingProcessor(
            String name,
            String sourceTopic,
            Deserializer<V> deserializer,
            Function<V, Optional<String>> validate,
            String validChild,
            String deadLetterChild) {
        this.name = Objects.requireNonNull(name);
        this.sourceTopic = Objects.requireNonNull(sourceTopic);
        this.deserializer = Objects.requireNonNull(deserializer);
        this.validate = Objects.requireNonNull(validate);
        this.validChild = Objects.requireNonNull(validChild);
        this.deadLetterChild = Objects.requireNonNull(deadLetterChild);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        boolean traced = RequestIds.enter(record.headers());
        Tracing tracing = Tracing.current();
        if (!tracing.enabled()) {
            try {
                decode(record);
            } finally {
                if (traced) {
                    RequestIds.clear();
                }
            }
            return;
        }
        // a span for the record and all it leads to in this task; the records derived from it
        // (Kafka Streams carries the headers on) continue the trace from this span
        Span span =
                tracing.span("process " + sourceTopic, SpanKind.CONSUMER)
                        .setParent(tracing.fromHeaders(record.headers()))
                        .setAttribute("messaging.system", "kafka")
                        .setAttribute("messaging.destination.name", sourceTopic)
                        .setAttribute("messaging.operation.type", "process")
                        .setAttribute("fraud.processor", name)
                        .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            tracing.toHeaders(Context.current(), record.headers());
            decode(record);
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
            if (traced) {
                RequestIds.clear();
            }
        }
    }

    private void decode(Record<byte[], byte[]> record) {
        V value;
        try {
            if (record.value() == null) {
                deadLetter(record, "record has no value", null);
                return;
            }
            value = deserializer.deserialize(sourceTopic, record.headers(), record.value());
        } catch (RuntimeException e) {
            deadLetter(record, "cannot decode value: " + e.getMessage(), e);
            return;
        }
        Optional<String> problem = validate.apply(value);
        if (problem.isPresent()) {
            deadLetter(record, "invalid value: " + problem.get(), null);
            return;
        }
        String key =
                record.key() == null
                        ? null
                        : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        context.forward(record.withKey((Object) key).withValue((Object) value), validChild);
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, Exception cause) {
        DeadLetter letter =
                DeadLetters.of(
                        context,
                        sourceTopic,
                        record.key(),
                        record.value(),
                        record.headers(),
                        name,
                        reason,
                        cause);
        Span.current().setStatus(StatusCode.ERROR, "dead letter: " + reason);
        log.warn(
                "dead letter from {} {}/{}@{}: {}",
                name,
                letter.getTopic(),
                letter.getPartition(),
                letter.getOffset(),
                reason);
        context.forward(
                record.withKey((Object) record.key()).withValue((Object) letter), deadLetterChild);
    }
}
